package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.Mman.PROT_READ;
import static org.userptrlab.mm.Mman.PROT_WRITE;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;
import static org.userptrlab.mm.TestMachines.small;

import org.junit.jupiter.api.Test;

class VmaTest {
  private final Machine m = small(KernelConfig.LINUX_6_12);
  private final Process p = m.spawn("p");

  @Test
  void mprotectOfTheMiddleSplitsIntoThreeAndMprotectBackMergesIntoOne() {
    long buf = anon(p, 12 * PAGE);
    p.fill(buf, 12 * PAGE, 1);

    p.mprotect(buf + 4 * PAGE, 4 * PAGE, PROT_READ);
    assertThat(p.vmas()).hasSize(3);
    assertThat(p.vma(buf + 4 * PAGE).has(VmFlags.VM_WRITE)).isFalse();
    assertThat(p.vma(buf).has(VmFlags.VM_WRITE)).isTrue();
    assertThat(p.pteWritable(buf + 4 * PAGE)).isFalse();
    SignalExceptionAssert.segv(() -> p.store(buf + 5 * PAGE, (byte) 1), buf + 5 * PAGE);

    p.mprotect(buf + 4 * PAGE, 4 * PAGE, PROT_READ | PROT_WRITE);
    assertThat(p.vmas()).hasSize(1);
    assertThat(p.vma(buf).start()).isEqualTo(buf);
    assertThat(p.vma(buf).end()).isEqualTo(buf + 12 * PAGE);
    p.store(buf + 5 * PAGE, (byte) 1);
    assertThat(p.matches(buf, 12 * PAGE, 1)).isFalse();
    m.checkInvariants();
  }

  @Test
  void adjacentAnonymousMappingsWithEqualFlagsMergeIntoOneVma() {
    long a = anon(p, 4 * PAGE);
    long b = anon(p, 4 * PAGE);
    assertThat(b).isEqualTo(a - 4 * PAGE);
    assertThat(p.vmas()).hasSize(1);
    long c = p.mmap(0, 4 * PAGE, PROT_READ, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    assertThat(c).isEqualTo(b - 4 * PAGE);
    assertThat(p.vmas()).hasSize(2);
    m.checkInvariants();
  }

  @Test
  void munmapOfTheMiddleLeavesTwoVmasAndFreesExactlyThosePages() {
    long buf = anon(p, 10 * PAGE);
    p.fill(buf, 10 * PAGE, 1);
    long free = m.freePages();

    p.munmap(buf + 3 * PAGE, 4 * PAGE);

    assertThat(p.vmas()).hasSize(2);
    assertThat(m.freePages()).isEqualTo(free + 4);
    assertThat(p.matches(buf, 3 * PAGE, 1)).isTrue();
    assertThat(p.matches(buf + 7 * PAGE, 3 * PAGE, 1, 7 * PAGE)).isTrue();
    SignalExceptionAssert.segv(() -> p.load(buf + 3 * PAGE), buf + 3 * PAGE);
    m.checkInvariants();
  }

  @Test
  void brkGrowsTheHeapVmaInPlaceAndShrinkingItFreesThePages() {
    long start = p.brk(0);
    assertThat(p.brk(start + 3 * PAGE)).isEqualTo(start + 3 * PAGE);
    assertThat(p.brk(start + 8 * PAGE)).isEqualTo(start + 8 * PAGE);
    assertThat(p.vmas()).hasSize(1);
    assertThat(p.vma(start).name()).isEqualTo("[heap]");
    p.fill(start, 8 * PAGE, 2);
    long free = m.freePages();

    assertThat(p.brk(start + 2 * PAGE)).isEqualTo(start + 2 * PAGE);

    assertThat(m.freePages()).isEqualTo(free + 6);
    assertThat(p.vma(start).end()).isEqualTo(start + 2 * PAGE);
    m.checkInvariants();
  }

  @Test
  void brkDoesNotMoveWhenAMappingIsInTheWay() {
    long start = p.brk(0);
    p.mmap(start + 4 * PAGE, PAGE, PROT_READ, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_FIXED);
    assertThat(p.brk(start + 8 * PAGE)).isEqualTo(start);
    assertThat(p.brk(start + 2 * PAGE)).isEqualTo(start + 2 * PAGE);
  }

  @Test
  void aVmaWithTheHeapsFlagsPlusVmLockedIsNotExpandedByBrk() {
    // do_brk_flags compares flags exactly: a locked heap VMA gets a new neighbour rather than growing.
    long start = p.brk(0);
    p.brk(start + 4 * PAGE);
    p.mlock(start, 4 * PAGE);
    p.brk(start + 8 * PAGE);
    assertThat(p.vmas()).hasSize(2);
    assertThat(p.vma(start).has(VmFlags.VM_LOCKED)).isTrue();
    assertThat(p.vma(start + 5 * PAGE).has(VmFlags.VM_LOCKED)).isFalse();
    m.checkInvariants();
  }

  @Test
  void madvDontneedEmptiesAnonymousMemoryButKeepsTheVma() {
    long buf = anon(p, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    p.madvise(buf, 2 * PAGE, Mman.MADV_DONTNEED);
    assertThat(p.vmas()).hasSize(1);
    assertThat(p.read(buf, 2 * PAGE)).containsOnly((byte) 0);
    assertThat(p.matches(buf + 2 * PAGE, 2 * PAGE, 1, 2 * PAGE)).isTrue();
    m.checkInvariants();
  }

  @Test
  void aReadOfUntouchedAnonymousMemoryMapsTheSharedZeroPageAndAWriteReplacesIt() {
    long buf = anon(p, 2 * PAGE);
    assertThat(p.load(buf + 10)).isZero();
    assertThat(p.pagemap(buf)).isEqualTo(MemMap.ZERO_PFN);
    long allocs = m.vmstat().get(VmEvent.PGALLOC);
    p.store(buf + 10, (byte) 3);
    assertThat(p.pagemap(buf)).isNotEqualTo(MemMap.ZERO_PFN);
    assertThat(m.vmstat().get(VmEvent.PGALLOC)).isEqualTo(allocs + 1);
    assertThat(p.load(buf + 10)).isEqualTo((byte) 3);
    assertThat(p.load(buf + 11)).isZero();
    m.checkInvariants();
  }

  @Test
  void withAslrTheSeedAloneDecidesWhereHeapAndMappingsStart() {
    MachineConfig.Builder b = MachineConfig.builder().ram(32L << 20).aslr(true);
    Process one = new Machine(b.seed(7).build()).spawn("p");
    Process same = new Machine(b.seed(7).build()).spawn("p");
    Process other = new Machine(b.seed(8).build()).spawn("p");
    long a = anon(one, PAGE);
    assertThat(anon(same, PAGE)).isEqualTo(a);
    assertThat(same.heapStart()).isEqualTo(one.heapStart());
    assertThat(anon(other, PAGE)).isNotEqualTo(a);
    assertThat(one.heapStart()).isNotEqualTo(Mm.START_BRK);
    assertThat(p.heapStart()).isEqualTo(Mm.START_BRK);
    Process child = one.fork();
    assertThat(child.heapStart()).isEqualTo(one.heapStart());
  }

  /** mlock_fixup, mprotect_fixup and madvise_update_vma return early when the flags would not change. */
  @Test
  void aCallThatChangesNothingDoesNotSplitTheVma() {
    long buf = anon(p, 12 * PAGE);
    p.fill(buf, 12 * PAGE, 1);
    p.munlock(buf + 4 * PAGE, 4 * PAGE);
    p.mprotect(buf + 4 * PAGE, 4 * PAGE, PROT_READ | PROT_WRITE);
    p.madvise(buf + 4 * PAGE, 4 * PAGE, Mman.MADV_DOFORK);
    assertThat(p.vmas()).hasSize(1);
    m.checkInvariants();
  }

  @Test
  void theCheckerFlagsNeighboursThatVmaMergeWouldHaveJoined() {
    long buf = anon(p, 8 * PAGE);
    Vma v = p.mm.find(buf);
    p.mm.split(v, buf + 4 * PAGE);
    assertThat(p.vmas()).hasSize(2);
    org.assertj.core.api.Assertions.assertThatThrownBy(m::checkInvariants)
        .hasMessageContaining("vma_merge would have made them one");
  }

  /** dup_mmap copies VMAs one for one without VM_LOCKED and merges nothing: the child keeps two VMAs. */
  @Test
  void forkCopiesVmasOneForOneEvenWhenTheyNowMatch() {
    p.setCapability(Capability.CAP_IPC_LOCK, true);
    long buf = anon(p, 8 * PAGE);
    p.mprotect(buf, 4 * PAGE, PROT_READ);
    p.mprotect(buf, 4 * PAGE, PROT_READ | PROT_WRITE);
    p.mlock(buf, 4 * PAGE);
    p.munlock(buf, 4 * PAGE);
    assertThat(p.vmas()).as("munlock merges back a VMA without pages of its own").hasSize(1);

    long locked = anon(p, 8 * PAGE);
    p.mlock(locked, 4 * PAGE);
    Process child = p.fork();
    assertThat(child.vma(locked).has(VmFlags.VM_LOCKED)).isFalse();
    assertThat(child.vma(locked).end()).as("the copy of the locked part stays its own VMA").isEqualTo(locked + 4 * PAGE);
    m.checkInvariants();
    // Its pages gave it an anon_vma the other half lacks, and a forked chain: is_mergeable_anon_vma says no.
    child.mprotect(locked, 4 * PAGE, PROT_READ);
    child.mprotect(locked, 4 * PAGE, PROT_READ | PROT_WRITE);
    assertThat(child.vma(locked).end()).isEqualTo(locked + 4 * PAGE);
    m.checkInvariants();
  }

  /** A mapping reads as /proc/PID/maps and smaps' VmFlags spell it. */
  @Test
  void aVmaDescribesItselfAsProcMapsAndSmapsDo() {
    Machine m = TestMachines.small(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long rw = p.mmap(0, 4096, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    long rx = p.mmap(0, 4096, Mman.PROT_READ | Mman.PROT_EXEC, Mman.MAP_SHARED | Mman.MAP_ANONYMOUS);
    long none = p.mmap(0, 4096, Mman.PROT_NONE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    org.assertj.core.api.Assertions.assertThat(p.vma(rw).toString()).endsWith(" rw-p rd wr mr mw me ac");
    org.assertj.core.api.Assertions.assertThat(p.vma(rx).toString()).contains(" r-xs rd ex sh mr mw me ms");
    org.assertj.core.api.Assertions.assertThat(p.vma(none).toString()).contains(" ---p mr mw me");
    p.mlock(rw, 4096);
    p.madvise(rw, 4096, Mman.MADV_DONTFORK);
    org.assertj.core.api.Assertions.assertThat(p.vma(rw).toString()).endsWith(" rw-p rd wr mr mw me lo dc ac");
    org.assertj.core.api.Assertions.assertThat(VmFlags.describe(0)).isEmpty();
  }
}
