package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** lockdep's rule: an order that closes a cycle with orders seen before is reported once, with the orders; lockdep then stops. */
class LockdepTest {
  @Test
  void twoLocksTakenInBothOrdersAreAPossibleDeadlockNamingBoth() {
    Lockdep l = new Lockdep();
    l.acquire("A", "path one");
    l.acquire("B", "path one");
    l.release("B");
    l.release("A");
    assertThat(l.inversions()).isEmpty();
    l.acquire("B", "path two");
    l.acquire("A", "path two");
    assertThat(l.inversions()).singleElement().satisfies(i -> {
      assertThat(i.held()).isEqualTo("B");
      assertThat(i.acquired()).isEqualTo("A");
      assertThat(i.describe()).contains("A taken while holding B (path two)").contains("B taken while holding A (path one)");
    });
  }

  @Test
  void aCycleThroughAThirdLockIsFoundAndTheSameOrderTwiceIsNone() {
    Lockdep l = new Lockdep();
    for (String[] order : new String[][] {{"A", "B"}, {"B", "C"}, {"A", "B"}}) {
      l.acquire(order[0], "x");
      l.acquire(order[1], "x");
      l.release(order[1]);
      l.release(order[0]);
    }
    assertThat(l.inversions()).isEmpty();
    l.acquire("C", "y");
    l.acquire("A", "y");
    assertThat(l.inversions()).singleElement().satisfies(i -> assertThat(i.earlier()).hasSize(2));
  }

  @Test
  void theModelsMunmapOrdersMmapLockBeforeTheInvalidateMap() {
    Machine m = new Machine(MachineConfig.builder().ram(16L << 20).build());
    Process p = m.spawn("p");
    long buf = p.mmap(0, 4096, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    p.store(buf, (byte) 1);
    p.munmap(buf, 4096);
    // The opposite order now closes the cycle munmap made.
    m.lockdep().acquire(Lockdep.INVALIDATE_RANGE_START, "test");
    m.lockdep().acquire(Lockdep.MMAP_LOCK, "test");
    assertThat(m.lockdep().inversions()).hasSize(1);
  }
}
