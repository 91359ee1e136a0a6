package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What a machine is and how its state is told apart: equal configurations build machines that
 * behave identically, and {@link Machine#stateHash()} moves with every kind of state a refused call
 * must leave alone.
 */
class MachineStateTest {
  private static final MachineConfig CONFIG = MachineConfig.builder().ram(16L << 20).swap(16L << 20).build();

  @Test
  void configurationsAreValuesAndRoundTripThroughTheirBuilder() {
    MachineConfig c = MachineConfig.builder().ram(32L << 20).cma(4L << 20).movable(4L << 20).swap(8L << 20).cpus(3)
        .kernel(KernelConfig.LINUX_3_4.with(KernelChange.CMA)).seed(7).aslr(true).memlock(1L << 20).build();
    assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
    assertThat(c.toBuilder().seed(8).build()).isNotEqualTo(c);
    assertThat(c.toBuilder().memlock(-1).build()).isNotEqualTo(c);
    assertThat(c.toBuilder().movable(0).build()).isNotEqualTo(c);
    assertThat(c.toString()).contains("ram=32MiB", "cma=4MiB", "movable=4MiB", "swap=8MiB", "cpus=3", "kernel=3.4+cma", "seed=7",
        "aslr=true", "memlock=1048576");
    assertThat(c.movableBytes()).isEqualTo(4L << 20);
    assertThat(c.initialMemlock()).isEqualTo(1L << 20);
    assertThat(c.toBuilder().memlock(-1).build().initialMemlock()).as("MLOCK_LIMIT of 3.4").isEqualTo(64L << 10);
    assertThat(c.toBuilder().memlock(-1).kernel(KernelConfig.LINUX_6_12).build().initialMemlock()).isEqualTo(8L << 20);
    assertThat(MachineConfig.builder().ram(4L << 20).build().ramBytes()).as("4 MiB is the smallest machine").isEqualTo(4L << 20);
  }

  @Test
  void equalConfigurationsRunTheSameProgramToTheSameState() {
    long[] hashes = new long[2];
    for (int i = 0; i < 2; i++) {
      Machine m = new Machine(CONFIG);
      Process p = m.spawn("p");
      long buf = anon(p, 8 * PAGE);
      p.fill(buf, 8 * PAGE, 3);
      p.fork().store(buf, (byte) 1);
      hashes[i] = m.stateHash();
      assertThat(m.stateHash()).isEqualTo(hashes[i]);
    }
    assertThat(hashes[0]).isEqualTo(hashes[1]);
  }

  /** A program that leaves frames of every kind behind: shared after fork, swapped, mlocked, CMA, freed. */
  private static long busyProgram(Machine m) {
    Process p = m.spawn("p");
    long buf = anon(p, 64 * PAGE);
    p.fill(buf, 64 * PAGE, 3);
    p.mlock(buf, 4 * PAGE);
    Process child = p.fork();
    child.store(buf + 8 * PAGE, (byte) 1);
    m.kernel().reclaim(16 * PAGE);
    p.munmap(buf + 32 * PAGE, 16 * PAGE);
    return m.stateHash();
  }

  @Test
  void aMachineBootedAfterARetiredOneOfItsSizeBehavesAsAFreshlyBootedOne() {
    MachineConfig withCma = CONFIG.toBuilder().cma(4L << 20).build();
    long fresh = busyProgram(new Machine(withCma));
    Machine first = new Machine(withCma);
    busyProgram(first);
    first.retire();
    Machine second = new Machine(withCma);
    assertThat(busyProgram(second)).as("the same program on a machine that took the retired one's memory map").isEqualTo(fresh);
    second.checkInvariants();
    second.retire();
    Machine otherLayout = new Machine(CONFIG);
    assertThat(busyProgram(otherLayout)).as("a machine of the same size without CMA").isEqualTo(busyProgram(new Machine(CONFIG)));
    otherLayout.checkInvariants();
  }

  @Test
  void machinesOfTwoSizesBootedInTurnEachTakeTheMapRetiredAtTheirSizeAndBehaveAsFreshOnes() {
    MachineConfig larger = CONFIG.toBuilder().ram(2 * CONFIG.ramBytes()).build();
    long freshSmall = busyProgram(new Machine(CONFIG));
    long freshLarge = busyProgram(new Machine(larger));
    Machine small = new Machine(CONFIG);
    busyProgram(small);
    small.retire();
    Machine large = new Machine(larger);
    busyProgram(large);
    large.retire();
    Machine small2 = new Machine(CONFIG);
    Machine large2 = new Machine(larger);
    assertThat(small2.mem.refcount).as("the small machine's arrays, though a larger one retired since").isSameAs(small.mem.refcount);
    assertThat(large2.mem.refcount).isSameAs(large.mem.refcount);
    assertThat(busyProgram(small2)).isEqualTo(freshSmall);
    assertThat(busyProgram(large2)).isEqualTo(freshLarge);
    small2.checkInvariants();
    large2.checkInvariants();
  }

  @Test
  void framesTheRetiredMachineTouchedAreFreeAndPristineOnTheNextOne() {
    Machine first = new Machine(CONFIG);
    busyProgram(first);
    int touched = first.mem.touchedEnd(MemMap.AREA_NORMAL);
    first.retire();
    Machine second = new Machine(CONFIG);
    Process p = second.spawn("p");
    long buf = anon(p, PAGE);
    p.fill(buf, PAGE, 9);
    second.checkInvariants();
    PageInfo last = second.page(touched - 1);
    assertThat(last.flags()).isEqualTo("buddy");
    assertThat(last.refcount()).isZero();
    assertThat(last.mapcount()).isZero();
    assertThat(second.page(MemMap.ZERO_PFN).flags()).isEqualTo("reserved");
    assertThat(second.freePages()).isEqualTo(new Machine(CONFIG).freePages() - 1);
  }

  @Test
  void bytesAMachineWroteAreNotSeenByTheNextOneThatTakesItsPages() {
    Machine first = new Machine(CONFIG);
    Process p = first.spawn("p");
    long buf = anon(p, 8 * PAGE);
    for (int i = 0; i < 8; i++) {
      p.fill(buf + (long) i * PAGE + 1, PAGE - 1, 40 + i);
    }
    first.retire();
    Machine second = new Machine(CONFIG);
    Process q = second.spawn("q");
    long mine = anon(q, 8 * PAGE);
    for (int i = 0; i < 8; i++) {
      long page = mine + (long) i * PAGE;
      q.store(page, (byte) 1);
      assertThat(q.read(page + 1, PAGE - 1)).as("page %d", i).containsOnly((byte) 0);
    }
    second.checkInvariants();
  }

  @Test
  void swapSlotsARetiredMachineUsedAreEmptyOnTheNextOne() {
    Machine first = new Machine(CONFIG);
    Process p = first.spawn("p");
    long buf = anon(p, 16 * PAGE);
    p.fill(buf, 16 * PAGE, 5);
    first.kernel().reclaim(1 << 20);
    assertThat(first.swap.touchedSlots()).as("the first machine swapped its pages out").isPositive();
    first.retire();
    Machine second = new Machine(CONFIG);
    assertThat(second.swap.touchedSlots()).isZero();
    assertThat(second.swap.usedSlots()).isZero();
    for (int slot = 0; slot < 16; slot++) {
      assertThat(second.swap.count(slot)).isZero();
      assertThat(second.swap.cached(slot)).isEqualTo(MemMap.NONE);
      assertThat(second.swap.slotToken(slot)).isEqualTo(Content.ZERO);
    }
    Process q = second.spawn("q");
    long mine = anon(q, 4 * PAGE);
    q.store(mine, (byte) 9);
    second.kernel().reclaim(1 << 20);
    assertThat(q.read(mine, 2)).containsExactly(9, 0);
    second.checkInvariants();
  }

  @Test
  void aRetiredMachineRefusesEveryCall() {
    Machine m = new Machine(CONFIG);
    Process p = m.spawn("p");
    m.retire();
    assertThatThrownBy(() -> p.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("retired");
    assertThatThrownBy(() -> m.spawn("q")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(m::checkInvariants).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(m::retire).isInstanceOf(IllegalStateException.class);
  }

  private static void moves(String what, Consumer<Process> change) {
    Machine m = new Machine(CONFIG);
    Process p = m.spawn("p");
    long buf = anon(p, 8 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    long before = m.stateHash();
    change.accept(p);
    assertThat(m.stateHash()).as(what).isNotEqualTo(before);
  }

  @Test
  void theStateHashMovesWithEveryKindOfState() {
    moves("a byte stored into a page", p -> p.store(p.vmas().get(0).start(), (byte) 9));
    moves("a page faulted in by a read", p -> p.load(p.vmas().get(0).start() + 6 * PAGE));
    moves("a new mapping", p -> anon(p, PAGE));
    moves("a changed protection", p -> p.mprotect(p.vmas().get(0).start(), PAGE, Mman.PROT_READ));
    moves("a lock", p -> {
      p.setCapability(Capability.CAP_IPC_LOCK, true);
      p.mlock(p.vmas().get(0).start(), PAGE);
    });
    moves("a heap that grew", p -> p.brk(p.currentBrk() + PAGE));
    moves("pages swapped out", p -> p.machine().kernel().reclaim(1 << 20));
    moves("a file page read into the cache", p -> {
      MemFile f = p.machine().createFile("f", PAGE);
      long a = p.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_SHARED, f, 0);
      p.load(a);
    });
    moves("a second process", p -> p.machine().spawn("q"));
  }
}
