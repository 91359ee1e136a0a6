package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import org.junit.jupiter.api.Test;

/**
 * Reclaim and swap at their edges (mm/vmscan.c, mm/swapfile.c, mm/migrate.c): without a free slot
 * an anonymous page stays, slots are handed out round from a cursor, a swap-cache page whose last
 * swap entry is zapped is freed with it, a dirty file page is written back before it is dropped,
 * and a page migrated while in the swap cache is the page the other sharer swaps in.
 */
class ReclaimEdgesTest {
  private static Machine machine(long swap) {
    return new Machine(MachineConfig.builder().ram(8 * MiB).swap(swap).kernel(KernelConfig.LINUX_6_12).build());
  }

  @Test
  void withoutAFreeSlotAnonymousPagesStayAndFreedSlotsAreReused() {
    Machine m = machine(4 * PAGE);
    Process p = m.spawn("p");
    long buf = anon(p, 8 * PAGE);
    p.fill(buf, 8 * PAGE, 1);
    assertThat(m.kernel().reclaim(8)).as("four slots, four pages").isEqualTo(4);
    assertThat(m.kernel().reclaim(8)).as("swap is full").isZero();
    java.util.List<Long> out = new java.util.ArrayList<>();
    java.util.List<Long> in = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      long a = buf + (long) i * PAGE;
      (p.swappedOut(a) ? out : in).add(a);
    }
    assertThat(out).hasSize(4);
    for (long a : out) {
      p.munmap(a, PAGE);
    }
    assertThat(m.kernel().reclaim(8)).as("the freed slots take the rest").isEqualTo(4);
    for (long a : in) {
      assertThat(p.swappedOut(a)).isTrue();
      assertThat(p.matches(a, PAGE, 1, a - buf)).isTrue();
    }
    m.checkInvariants();
  }

  /** A parent and a forked child sharing one page of stream 1, swapped out: one slot, two entries. */
  private record Family(Machine m, Process parent, Process child, long buf) {
    static Family swappedOut() {
      Machine m = machine(8 * MiB);
      Process parent = m.spawn("parent");
      long buf = anon(parent, PAGE);
      parent.fill(buf, PAGE, 1);
      Process child = parent.fork();
      m.kernel().reclaim(1 << 12);
      return new Family(m, parent, child, buf);
    }
  }

  @Test
  void aSwapCachePageWhoseLastEntryIsZappedIsFreedWithIt() {
    Family f = Family.swappedOut();
    long free = f.m().freePages();
    f.child().load(f.buf());
    f.child().exit();
    assertThat(f.m().freePages()).as("the page read back stays in the swap cache for the parent's entry").isEqualTo(free - 1);
    f.parent().munmap(f.buf(), PAGE);
    assertThat(f.m().freePages()).isEqualTo(free);
    f.m().checkInvariants();
  }

  @Test
  void aPageMigratedInTheSwapCacheIsWhatTheOtherSharerSwapsIn() {
    Family f = Family.swappedOut();
    f.child().load(f.buf());
    int moved = f.m().kernel().migratePage((int) f.child().pagemap(f.buf()));
    assertThat(f.child().pagemap(f.buf())).isEqualTo(moved);
    f.parent().load(f.buf());
    assertThat(f.parent().pagemap(f.buf())).isEqualTo(moved);
    assertThat(f.parent().matches(f.buf(), PAGE, 1)).isTrue();
    f.m().checkInvariants();
  }

  @Test
  void aDirtySharedFilePageIsWrittenBackBeforeItIsDropped() {
    Machine m = machine(0);
    Process p = m.spawn("p");
    MemFile f = m.createFile("f", PAGE);
    long map = p.mmap(0, PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, f, 0);
    p.fill(map, PAGE, 7);
    long anonBuf = anon(p, PAGE);
    p.fill(anonBuf, PAGE, 1);
    m.kernel().reclaim(1 << 12);
    assertThat(p.pagemap(map)).as("the file page was dropped").isEqualTo(-1);
    assertThat(p.pagemap(anonBuf)).as("no swap: the anonymous page stays").isPositive();
    long major = m.vmstat().get(VmEvent.PGMAJFAULT);
    assertThat(p.matches(map, PAGE, 7)).as("read back from the file").isTrue();
    assertThat(m.vmstat().get(VmEvent.PGMAJFAULT) - major).isEqualTo(1);
    m.checkInvariants();
  }

  @Test
  void aNotifierHearsOfAMigrationOfItsOwnPageOnly() {
    Machine m = machine(0);
    Process p = m.spawn("p");
    long buf = anon(p, 2 * PAGE);
    p.fill(buf, 2 * PAGE, 1);
    int[] calls = new int[2];
    m.kernel().mmuIntervalNotifierInsert(p, buf, PAGE, (s, r, seq) -> ++calls[0] > 0);
    m.kernel().mmuIntervalNotifierInsert(p, buf + PAGE, PAGE, (s, r, seq) -> ++calls[1] > 0);
    m.kernel().migratePage((int) p.pagemap(buf + PAGE));
    assertThat(calls).containsExactly(0, 1);
    long flushed = m.vmstat().get(VmEvent.TLB_FLUSHED_PAGES);
    m.kernel().migratePage((int) p.pagemap(buf));
    assertThat(calls).containsExactly(1, 1);
    assertThat(m.vmstat().get(VmEvent.TLB_FLUSHED_PAGES) - flushed).as("one page's entry").isEqualTo(1);
  }
}
