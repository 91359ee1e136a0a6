package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.Foll.FOLL_LONGTERM;
import static org.userptrlab.mm.Foll.FOLL_WRITE;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;

import org.junit.jupiter.api.Test;

/** hugetlb: the pools, MAP_HUGETLB and hugetlbfs memfds, each test a fact of mm/hugetlb.c on the kernels where it changed. */
class HugetlbTest {
  private static final long HUGE = 2 * MiB;
  private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
  private static final int PRIVATE_HUGE = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_HUGETLB;

  private static Machine machine(KernelConfig k, int hugePages) {
    return new Machine(MachineConfig.builder().ram(64 * MiB).kernel(k).hugetlbPages(HUGE, hugePages).build());
  }

  private static HugetlbPool pool(Machine m) {
    return m.hugetlbPool(HUGE);
  }

  @Test
  void mmapReservesAHugePageAndTheFirstTouchTakesItFromThePoolOutsideRss() {
    Machine m = machine(KernelConfig.LINUX_6_12, 2);
    Process p = m.spawn("p");
    long mem = p.mmap(0, PAGE, RW, PRIVATE_HUGE);
    assertThat(mem % HUGE).as("hugetlb_get_unmapped_area aligns").isZero();
    assertThat(p.vma(mem).size()).as("the length is whole huge pages").isEqualTo(HUGE);
    assertThat(pool(m)).isEqualTo(new HugetlbPool(HUGE, 2, 2, 1));
    p.store(mem + 5 * PAGE, (byte) 1);
    assertThat(pool(m)).as("the reservation is consumed").isEqualTo(new HugetlbPool(HUGE, 2, 1, 0));
    assertThat(p.pagemap(mem + 7 * PAGE)).as("one huge page, contiguous").isEqualTo(p.pagemap(mem) + 7);
    assertThat(p.rss()).as("hugetlb pages are not in RSS").isZero();
    m.checkInvariants();
    p.munmap(mem, HUGE);
    assertThat(pool(m)).as("back in the pool").isEqualTo(new HugetlbPool(HUGE, 2, 2, 0));
    m.checkInvariants();
  }

  @Test
  void aMappingThePoolCannotPromiseIsEnomemAndChangesNothing() {
    Machine m = machine(KernelConfig.LINUX_6_12, 1);
    Process p = m.spawn("p");
    p.mmap(0, HUGE, RW, PRIVATE_HUGE);
    var before = p.vmas().toString();
    assertThatThrownBy(() -> p.mmap(0, HUGE, RW, PRIVATE_HUGE)).isInstanceOf(MmException.class).hasMessageStartingWith("ENOMEM");
    assertThat(p.vmas().toString()).isEqualTo(before);
    long noreserve = p.mmap(0, HUGE, RW, PRIVATE_HUGE | Mman.MAP_NORESERVE);
    assertThatThrownBy(() -> p.store(noreserve, (byte) 1)).as("MAP_NORESERVE: the fault finds no page")
        .isInstanceOf(SignalException.class);
    assertThatThrownBy(() -> p.mmap(0, HUGE, RW, PRIVATE_HUGE | Mman.MAP_HUGE_1GB))
        .hasMessageStartingWith("ENOMEM").hasMessageContaining("huge pages of 1048576 KiB to reserve, 0 free");
    m.checkInvariants();
  }

  @Test
  void munmapOrMprotectOfPartOfAHugePageIsEinvalAndChangesNothing() {
    Machine m = machine(KernelConfig.LINUX_6_12, 2);
    Process p = m.spawn("p");
    long mem = p.mmap(0, 2 * HUGE, RW, PRIVATE_HUGE);
    p.fill(mem, 2 * HUGE, 3);
    var before = p.vmas().toString();
    assertThatThrownBy(() -> p.munmap(mem, PAGE)).hasMessageStartingWith("EINVAL").hasMessageContaining("hugetlb_vm_op_split");
    assertThatThrownBy(() -> p.mprotect(mem + HUGE + PAGE, PAGE, Mman.PROT_READ)).hasMessageStartingWith("EINVAL");
    assertThat(p.vmas().toString()).isEqualTo(before);
    // mprotect_fixup returns before any split where nothing changes: part of a huge page to the protection it has is no error
    // (seen on 6.18).
    p.mprotect(mem + HUGE + PAGE, PAGE, RW);
    assertThat(p.vmas().toString()).isEqualTo(before);
    assertThat(p.matches(mem, 2 * HUGE, 3)).isTrue();
    p.munmap(mem, HUGE);
    assertThat(pool(m).freeHugepages()).isEqualTo(1);
    m.checkInvariants();
  }

  @Test
  void afterForkAWriteCopiesTheWholeHugePageAndTheChildKeepsWhatItSaw() {
    Machine m = machine(KernelConfig.LINUX_6_12, 2);
    Process parent = m.spawn("parent");
    long mem = parent.mmap(0, HUGE, RW, PRIVATE_HUGE);
    parent.fill(mem, HUGE, 1);
    Process child = parent.fork();
    assertThat(child.pagemap(mem)).isEqualTo(parent.pagemap(mem));
    parent.fill(mem, HUGE, 2);
    assertThat(child.matches(mem, HUGE, 1)).isTrue();
    assertThat(parent.pagemap(mem)).isNotEqualTo(child.pagemap(mem));
    assertThat(pool(m).freeHugepages()).isZero();
    m.checkInvariants();
    child.exit();
    parent.exit();
    assertThat(pool(m)).isEqualTo(new HugetlbPool(HUGE, 2, 2, 0));
    m.checkInvariants();
  }

  /**
   * hugetlb_wp reuses an anonymous page only one mapping maps, whatever else holds it: a reference a
   * pipe took (vmsplice) sees the next write (cow.c's hugetlb vmsplice cases are its expected failures).
   */
  @Test
  void aReferenceHeldAfterTheOtherMappingWentSeesTheNextWrite() {
    Machine m = machine(KernelConfig.LINUX_6_12, 2);
    Process parent = m.spawn("parent");
    long mem = parent.mmap(0, HUGE, RW, PRIVATE_HUGE);
    parent.fill(mem, HUGE, 1);
    Process child = parent.fork();
    PageRefs pipe = m.kernel().getUserPages(child, mem, 1, 0);
    child.munmap(mem, HUGE);
    parent.fill(mem, HUGE, 2);
    assertThat(m.page(pipe.pfn(0)).pfn()).isEqualTo(parent.pagemap(mem));
    assertThat(m.vmstat().get(VmEvent.COW_REUSE)).isPositive();
    pipe.release();
    m.checkInvariants();
  }

  @Test
  void forkCopiesAPinnedHugePageForTheChildSince512AndSharesItBefore() {
    for (KernelConfig k : new KernelConfig[] {KernelConfig.parse("5.11"), KernelConfig.LINUX_6_12}) {
      Machine m = machine(k, 3);
      Process parent = m.spawn("parent");
      long mem = parent.mmap(0, HUGE, RW, PRIVATE_HUGE);
      parent.fill(mem, HUGE, 1);
      PageRefs pin = m.kernel().pinUserPages(parent, mem, 1, FOLL_WRITE | FOLL_LONGTERM);
      Process child = parent.fork();
      boolean early = k.has(KernelChange.HUGETLB_FORK_EARLY_COW);
      assertThat(child.pagemap(mem) != parent.pagemap(mem)).as("%s: the child has its own copy", k).isEqualTo(early);
      parent.fill(mem, HUGE, 2);
      assertThat(parent.pagemap(mem) == pin.pfn(0)).as("%s: the parent still maps the pinned page", k).isEqualTo(early);
      assertThat(child.matches(mem, HUGE, 1)).isTrue();
      pin.release();
      m.checkInvariants();
    }
  }

  @Test
  void aReadOnlyLongtermPinOfASharedHugePageUnsharesItSince519() {
    for (KernelConfig k : new KernelConfig[] {KernelConfig.parse("5.18"), KernelConfig.LINUX_6_12}) {
      Machine m = machine(k, 3);
      Process parent = m.spawn("parent");
      long mem = parent.mmap(0, HUGE, RW, PRIVATE_HUGE);
      parent.fill(mem, HUGE, 1);
      Process child = parent.fork();
      PageRefs pin = m.kernel().pinUserPages(parent, mem, 1, FOLL_LONGTERM);
      parent.fill(mem, HUGE, 2);
      boolean coherent = pin.pfn(0) == parent.pagemap(mem);
      assertThat(coherent).as("%s: the pin sees the parent's write", k).isEqualTo(k.has(KernelChange.ANON_EXCLUSIVE));
      pin.release();
      child.exit();
      m.checkInvariants();
    }
  }

  @Test
  void aHugetlbMemfdTakesItsPagesAtFallocateAndAPrivateWriteCopiesThem() {
    Machine m = machine(KernelConfig.LINUX_6_12, 2);
    Process p = m.spawn("p");
    MemFile f = m.createMemfd("test", 0, Mman.MFD_HUGETLB | Mman.MFD_HUGE_2MB);
    m.fallocate(f, HUGE);
    assertThat(pool(m).freeHugepages()).isEqualTo(1);
    long mem = p.mmap(0, HUGE, RW, Mman.MAP_PRIVATE, f, 0);
    long smem = p.mmap(0, HUGE, Mman.PROT_READ, Mman.MAP_SHARED, f, 0);
    p.load(mem);
    p.load(smem);
    assertThat(p.pagemap(mem)).isEqualTo(p.pagemap(smem));
    p.fill(mem, HUGE, 4);
    assertThat(p.pagemap(mem)).isNotEqualTo(p.pagemap(smem));
    assertThat(p.matches(smem, HUGE, 0) || m.fileMatches(f, 0, HUGE, 0)).as("the other mapping not modified").isFalse();
    assertThat(p.read(smem, 8)).containsOnly(0);
    assertThatThrownBy(() -> m.fallocate(f, 2 * HUGE)).hasMessageStartingWith("ENOSPC");
    assertThatThrownBy(() -> m.createMemfd("odd", PAGE, Mman.MFD_HUGETLB)).hasMessageStartingWith("EINVAL");
    m.checkInvariants();
  }

  @Test
  void madviseDontneedDropsWholeHugePagesSince518() {
    Machine old = machine(KernelConfig.parse("5.17"), 1);
    Process p = old.spawn("p");
    long mem = p.mmap(0, HUGE, RW, PRIVATE_HUGE);
    p.fill(mem, HUGE, 1);
    assertThatThrownBy(() -> p.madvise(mem, HUGE, Mman.MADV_DONTNEED)).hasMessageStartingWith("EINVAL");
    Machine m = machine(KernelConfig.LINUX_6_12, 1);
    Process q = m.spawn("q");
    long buf = q.mmap(0, HUGE, RW, PRIVATE_HUGE);
    q.fill(buf, HUGE, 1);
    q.madvise(buf, PAGE, Mman.MADV_DONTNEED);
    assertThat(q.matches(buf, HUGE, 1)).as("the end rounds down: nothing dropped").isTrue();
    q.madvise(buf, HUGE, Mman.MADV_DONTNEED);
    assertThat(q.read(buf, 8)).containsOnly(0);
    assertThatThrownBy(() -> q.madvise(buf, HUGE, Mman.MADV_PAGEOUT)).hasMessageStartingWith("EINVAL");
    m.checkInvariants();
  }

  /** With no huge page free for the copy, the owner takes its page back and the child loses it (unmap_ref_private). */
  @Test
  void whenThePoolIsEmptyTheOwnersCowTakesThePageFromTheChild() {
    Machine m = machine(KernelConfig.LINUX_6_12, 1);
    Process parent = m.spawn("parent");
    long mem = parent.mmap(0, HUGE, RW, PRIVATE_HUGE);
    parent.fill(mem, HUGE, 1);
    Process child = parent.fork();
    parent.fill(mem, HUGE, 2);
    assertThat(parent.matches(mem, HUGE, 2)).isTrue();
    assertThatThrownBy(() -> child.load(mem)).isInstanceOf(SignalException.class);
    m.checkInvariants();
  }

  /** mlock_fixup leaves a hugetlb VMA unlocked; a driver that writes VM_LOCKED itself sets it, and no page of it is mlocked. */
  @Test
  void mlockLeavesAHugetlbMappingAloneAndADriversOwnVmLockedLocksNoPage() {
    Machine m = machine(KernelConfig.LINUX_6_12, 1);
    Process p = m.spawn("p");
    long mem = p.mmap(0, HUGE, RW, PRIVATE_HUGE);
    p.fill(mem, HUGE, 1);
    p.mlock(mem, HUGE);
    assertThat(p.vma(mem).has(VmFlags.VM_LOCKED)).isFalse();
    assertThat(p.lockedVm()).isZero();
    m.kernel().setVmLockedUnaccounted(p, mem, HUGE, true);
    assertThat(p.vma(mem).has(VmFlags.VM_LOCKED)).isTrue();
    assertThat(m.page((int) p.pagemap(mem)).flags()).doesNotContain("mlocked");
    m.checkInvariants();
    p.munmap(mem, HUGE);
    m.checkInvariants();
  }

  /** The answers of the calls around a hugetlb memfd and mapping that a program gets wrong, as the kernel gives them. */
  @Test
  void badSizesAndAFailedPopulateGetTheKernelsAnswers() {
    Machine m = machine(KernelConfig.LINUX_6_12, 0);
    assertThatThrownBy(() -> m.createMemfd("m", HUGE, Mman.MFD_HUGETLB | Mman.MFD_HUGE_2MB | Mman.MFD_HUGE_1GB))
        .as("hugetlb_file_setup: no hstate of that size").hasMessageStartingWith("ENODEV");
    Process p = m.spawn("p");
    assertThatThrownBy(() -> p.mmap(0, HUGE, RW, PRIVATE_HUGE | Mman.MAP_HUGE_2MB | Mman.MAP_HUGE_1GB))
        .as("mmap's hstate_sizelog").hasMessageStartingWith("EINVAL");
    assertThatThrownBy(() -> m.createMemfd("m", HUGE, Mman.MFD_HUGE_2MB)).as("a size without MFD_HUGETLB: memfd_create's flags check")
        .hasMessageStartingWith("EINVAL");
    MemFile f = m.createMemfd("m", 0, Mman.MFD_HUGETLB);
    assertThatThrownBy(() -> m.fallocate(f, 0)).as("vfs_fallocate: len <= 0").hasMessageStartingWith("EINVAL");
    long mem = p.mmap(0, HUGE, RW, PRIVATE_HUGE | Mman.MAP_NORESERVE | Mman.MAP_POPULATE);
    assertThat(p.pagemap(mem)).as("mm_populate ignores the fault's SIGBUS: mmap succeeds, nothing populated").isEqualTo(-1);
    m.checkInvariants();
  }
}
