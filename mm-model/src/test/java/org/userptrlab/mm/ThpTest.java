package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.Foll.FOLL_LONGTERM;
import static org.userptrlab.mm.Foll.FOLL_WRITE;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;

import org.junit.jupiter.api.Test;

/** Transparent huge pages of anonymous memory, each test a fact of mm/huge_memory.c on the kernels where it changed. */
class ThpTest {
  private static final long THP = 2 * MiB;

  private static Machine machine(KernelConfig k) {
    return new Machine(MachineConfig.builder().ram(64 * MiB).swap(32 * MiB).kernel(k).build());
  }

  @Test
  void aWriteToAnAlignedMadvisedRangeFaultsInOneThpMappedByAPmd() {
    Machine m = machine(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = KernelChangeTest.hugeAligned(p);
    p.store(buf + 5 * PAGE, (byte) 1);
    assertThat(p.anonHugePages(buf)).isEqualTo(THP);
    assertThat(p.rssParts().anon()).isEqualTo(THP / PAGE);
    assertThat(m.vmstat().get(VmEvent.THP_FAULT_ALLOC)).isEqualTo(1);
    PageInfo page = m.page((int) p.pagemap(buf + 7 * PAGE));
    assertThat(page.refcount()).as("one reference: the PMD mapping").isEqualTo(1);
    assertThat(page.mapcount()).as("mapped whole by one PMD").isEqualTo(1);
    m.checkInvariants();
  }

  @Test
  void withoutMadviseOrWithThpNeverTheSameWriteGetsASmallPage() {
    Machine m = machine(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long area = p.mmap(0, 2 * THP, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    p.store((area + THP) & -THP, (byte) 1);
    assertThat(p.anonHugePages(area)).isZero();
    Machine always = new Machine(MachineConfig.builder().ram(64 * MiB).thp(MachineConfig.Thp.ALWAYS).build());
    Process q = always.spawn("q");
    long other = q.mmap(0, 2 * THP, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    q.madvise(other, 2 * THP, Mman.MADV_NOHUGEPAGE);
    q.store((other + THP) & -THP, (byte) 1);
    assertThat(q.anonHugePages(other)).as("MADV_NOHUGEPAGE wins over always").isZero();
  }

  @Test
  void aReadMapsTheHugeZeroPageAndAWriteThenCopiesOneSmallPageOnAModernKernel() {
    Machine m = machine(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = KernelChangeTest.hugeAligned(p);
    p.load(buf);
    assertThat(p.pmdMapped(buf)).isTrue();
    assertThat(p.anonHugePages(buf)).as("smaps does not count the huge zero page").isZero();
    p.store(buf + PAGE, (byte) 1);
    assertThat(p.pmdMapped(buf)).as("do_huge_pmd_wp_page split the huge zero PMD").isFalse();
    assertThat(p.pagemap(buf)).as("the rest maps the small zero page").isEqualTo(MemMap.ZERO_PFN);
    assertThat(p.rssParts().anon()).isEqualTo(1);
    m.checkInvariants();
  }

  @Test
  void afterForkAWriteCopiesOnePageSince58AndTheWholeThpBefore() {
    for (KernelConfig k : new KernelConfig[] {KernelConfig.parse("5.7"), KernelConfig.LINUX_6_12}) {
      Machine m = machine(k);
      Process parent = m.spawn("parent");
      long buf = KernelChangeTest.hugeAligned(parent);
      parent.fill(buf, THP, 1);
      Process child = parent.fork();
      parent.fill(buf, PAGE, 2);
      assertThat(child.matches(buf, THP, 1)).as("%s: the child keeps what it saw", k).isTrue();
      boolean whole = !k.has(KernelChange.THP_COW_SPLIT);
      assertThat(parent.pmdMapped(buf)).as("%s: the parent's copy is a THP", k).isEqualTo(whole);
      assertThat(parent.pagemap(buf + PAGE) == child.pagemap(buf + PAGE)).as("%s: the rest stays shared", k).isEqualTo(!whole);
      m.checkInvariants();
    }
  }

  @Test
  void aPinnedThpIsSplitAtForkAndItsPagesCopiedForTheChild() {
    Machine m = machine(KernelConfig.LINUX_6_12);
    Process parent = m.spawn("parent");
    long buf = KernelChangeTest.hugeAligned(parent);
    parent.fill(buf, THP, 1);
    PageRefs pin = m.kernel().pinUserPages(parent, buf + PAGE, 1, FOLL_WRITE | FOLL_LONGTERM);
    Process child = parent.fork();
    assertThat(parent.pmdMapped(buf)).as("copy_huge_pmd split the PMD").isFalse();
    assertThat(child.pagemap(buf + PAGE)).as("the child's own copy of the pinned page").isNotEqualTo(pin.pfn(0));
    assertThat(child.pagemap(buf + 2 * PAGE)).as("folio_maybe_dma_pinned is the folio's: every exclusive page of it is copied")
        .isNotEqualTo(parent.pagemap(buf + 2 * PAGE));
    parent.fill(buf + PAGE, PAGE, 2);
    assertThat(m.content.matches(m.mem.content[pin.pfn(0)], 0, PAGE, 2, 0)).as("the pin follows the parent").isTrue();
    assertThat(child.matches(buf + PAGE, PAGE, 1, PAGE)).isTrue();
    pin.release();
    m.checkInvariants();
  }

  @Test
  void aPinOfOneSmallPageHoldsTheWholeFolio() {
    Machine m = machine(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = KernelChangeTest.hugeAligned(p);
    p.fill(buf, THP, 1);
    long free = m.freePages();
    PageRefs pin = m.kernel().pinUserPages(p, buf, 1, FOLL_WRITE);
    PageInfo other = m.page((int) p.pagemap(buf + 100 * PAGE));
    assertThat(other.maybeDmaPinned()).as("folio_maybe_dma_pinned is a folio's").isTrue();
    assertThat(other.refcount()).as("a pin of a large folio is one reference (and one _pincount)").isEqualTo(2);
    p.munmap(buf, THP);
    assertThat(m.freePages()).as("all 512 frames stay taken by the one pinned page").isEqualTo(free);
    m.kernel().reclaim((int) m.totalPages());
    assertThat(m.freePages()).as("nor can the folio be split while pinned").isEqualTo(free);
    pin.release();
    assertThat(m.freePages()).isEqualTo(free + THP / PAGE);
    assertThat(m.vmstat().get(VmEvent.PUT_FREED)).as("the folio goes whole at the unpin, not as 512 pages freed alone").isZero();
    m.checkInvariants();
  }

  @Test
  void aPartlyUnmappedThpWaitsOnTheDeferredSplitQueueUntilMemoryPressure() {
    Machine m = machine(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = KernelChangeTest.hugeAligned(p);
    p.fill(buf, THP, 1);
    long free = m.freePages();
    p.munmap(buf + PAGE, THP - PAGE);
    assertThat(m.freePages()).as("the unmapped pages are not freed yet").isEqualTo(free);
    assertThat(m.vmstat().get(VmEvent.THP_DEFERRED_SPLIT_PAGE)).isEqualTo(1);
    assertThat(m.thp.deferredQueue()).hasSize(1);
    m.checkInvariants();
    m.thp.deferredSplitScan();
    assertThat(m.freePages()).as("the split frees every page but the mapped one").isEqualTo(free + THP / PAGE - 1);
    assertThat(p.matches(buf, PAGE, 1)).isTrue();
    m.checkInvariants();
  }

  @Test
  void beforeTheRefcountingReworkAnMprotectOfOnePageSplitsTheThpItself() {
    Machine m = machine(KernelConfig.parse("4.4"));
    Process p = m.spawn("p");
    long buf = KernelChangeTest.hugeAligned(p);
    p.fill(buf, THP, 1);
    PageRefs held = m.kernel().getUserPages(p, buf + 3 * PAGE, 1, 0);
    p.mprotect(buf + PAGE, PAGE, Mman.PROT_READ);
    assertThat(m.mem.folioLarge(m.mem.folio((int) p.pagemap(buf)))).isFalse();
    assertThat(m.page(held.pfn(0)).refcount()).as("the reference went with its page (tail refcounting)").isEqualTo(2);
    assertThat(p.matches(buf, THP, 1)).isTrue();
    held.release();
    m.checkInvariants();
  }

  @Test
  void pageoutSwapsAThpOutSplitAndReadsItBackInSmallPages() {
    Machine m = machine(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = KernelChangeTest.hugeAligned(p);
    p.fill(buf, THP, 1);
    p.madvise(buf, THP, Mman.MADV_PAGEOUT);
    assertThat(p.swappedOut(buf) && p.swappedOut(buf + THP - PAGE)).isTrue();
    assertThat(p.matches(buf, THP, 1)).isTrue();
    assertThat(p.anonHugePages(buf)).isZero();
    m.checkInvariants();
  }

  @Test
  void collapsingAfterForkGivesTheParentItsOwnThpAndLeavesTheChildItsPages() {
    Machine m = machine(KernelConfig.LINUX_6_12);
    Process parent = m.spawn("parent");
    long buf = KernelChangeTest.hugeAligned(parent);
    parent.fill(buf, THP, 1);
    parent.mprotect(buf + PAGE, PAGE, Mman.PROT_READ);
    parent.mprotect(buf + PAGE, PAGE, Mman.PROT_READ | Mman.PROT_WRITE);
    Process child = parent.fork();
    parent.madvise(buf, THP, Mman.MADV_COLLAPSE);
    assertThat(parent.anonHugePages(buf)).isEqualTo(THP);
    parent.fill(buf, THP, 2);
    assertThat(child.matches(buf, THP, 1)).as("the child sees none of the parent's writes").isTrue();
    m.checkInvariants();
  }

  /** A VMA that holds no aligned 2 MiB block has no huge page to collapse into: EINVAL (thp_vma_suitable_order), nothing changed. */
  @Test
  void collapseOfAVmaWithNoAlignedBlockIsEinval() {
    Machine m = machine(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long small = p.mmap(0, 32 * 1024, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    p.fill(small, 32 * 1024, 1);
    long before = m.stateHash();
    MmException e = org.junit.jupiter.api.Assertions.assertThrows(MmException.class,
        () -> p.madvise(small, 32 * 1024, Mman.MADV_COLLAPSE));
    assertThat(e.errno()).isEqualTo(Errno.EINVAL);
    assertThat(m.stateHash()).isEqualTo(before);
  }

  /**
   * MADV_COLLAPSE walks the range's VMAs as every advice does (madvise_walk_vmas): a VMA before a hole that
   * holds no aligned 2 MiB block is EINVAL there; where each VMA is suitable, the blocks mapped whole are
   * collapsed and the hole answers ENOMEM at the end. Seen on 6.18 with a 4 KiB hole 1 MiB into 4 MiB.
   */
  @Test
  void collapseOverAHoleIsTheFirstVmasEinvalElseEnomemOnceTheRestIsCollapsed() {
    Machine m = machine(KernelConfig.linux("6.18"));
    Process p = m.spawn("p");
    long buf = p.mmap(0, 3 * THP, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    p.fill(buf, 3 * THP, 1);
    p.munmap(buf + THP / 2, PAGE);
    MmException first = org.junit.jupiter.api.Assertions.assertThrows(MmException.class,
        () -> p.madvise(buf, 3 * THP, Mman.MADV_COLLAPSE));
    assertThat(first.errno()).as("the VMA before the hole is too small for a THP").isEqualTo(Errno.EINVAL);
    long whole = buf + THP;
    p.munmap(whole - PAGE, PAGE);
    MmException hole = org.junit.jupiter.api.Assertions.assertThrows(MmException.class,
        () -> p.madvise(whole - PAGE, 2 * THP + PAGE, Mman.MADV_COLLAPSE));
    assertThat(hole.errno()).isEqualTo(Errno.ENOMEM);
    assertThat(p.pmdMapped(whole)).as("the blocks mapped whole were collapsed first").isTrue();
    assertThat(p.matches(whole, 2 * THP, 1, THP)).as("the bytes, from 2 MiB into the stream").isTrue();
    m.checkInvariants();
  }

  @Test
  void aPinnedPageMakesCollapseFailWithEagainAndChangesNothing() {
    Machine m = machine(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = KernelChangeTest.hugeAligned(p);
    p.madvise(buf, THP, Mman.MADV_NOHUGEPAGE);
    p.fill(buf, THP, 1);
    PageRefs pin = m.kernel().pinUserPages(p, buf + 9 * PAGE, 1, FOLL_WRITE);
    MmException e = org.junit.jupiter.api.Assertions.assertThrows(MmException.class,
        () -> p.madvise(buf, THP, Mman.MADV_COLLAPSE));
    assertThat(e.errno()).as("VM_NOHUGEPAGE").isEqualTo(Errno.EINVAL);
    p.madvise(buf, THP, Mman.MADV_HUGEPAGE);
    long before = m.stateHash();
    e = org.junit.jupiter.api.Assertions.assertThrows(MmException.class, () -> p.madvise(buf, THP, Mman.MADV_COLLAPSE));
    assertThat(e.errno()).isEqualTo(Errno.EAGAIN);
    assertThat(m.stateHash()).isEqualTo(before);
    pin.release();
    m.checkInvariants();
  }

  @Test
  void aMultiSizeThpIsMappedByPtesAndForkSharesItPageByPage() {
    Machine m = new Machine(MachineConfig.builder().ram(64 * MiB).kernel(KernelConfig.LINUX_6_12)
        .thpSize(64 << 10, MachineConfig.Thp.ALWAYS).build());
    Process parent = m.spawn("parent");
    long buf = TestMachines.anon(parent, 256 << 10);
    long folio = (buf + (64 << 10)) & -(64 << 10);
    parent.fill(folio, 64 << 10, 1);
    assertThat(parent.pmdMapped(folio)).isFalse();
    assertThat(m.page((int) parent.pagemap(folio)).refcount()).as("one reference per PTE").isEqualTo(16);
    Process child = parent.fork();
    parent.fill(folio + PAGE, PAGE, 2);
    assertThat(child.matches(folio, 64 << 10, 1)).isTrue();
    assertThat(parent.pagemap(folio + 2 * PAGE)).as("the unwritten pages stay shared").isEqualTo(child.pagemap(folio + 2 * PAGE));
    assertThat(m.mem.folioOrder((int) parent.pagemap(folio + PAGE))).as("the copy is a small page").isZero();
    m.checkInvariants();
  }

  @Test
  void theWholeCopyOfAnMlockedThpBefore58LeavesTheChildsFolioUnlocked() {
    Machine m = machine(KernelConfig.parse("4.4"));
    Process parent = m.spawn("parent");
    parent.setCapability(Capability.CAP_IPC_LOCK, true);
    long buf = KernelChangeTest.hugeAligned(parent);
    parent.fill(buf, THP, 1);
    parent.mlock(buf, THP);
    Process child = parent.fork();
    parent.store(buf, (byte) 2);
    assertThat(m.page((int) child.pagemap(buf)).flags()).as("only the child maps it, in a VMA fork did not lock")
        .doesNotContain("mlocked");
    assertThat(m.page((int) parent.pagemap(buf)).flags()).contains("mlocked");
    m.checkInvariants();
  }

  /** isolate_migratepages_block skips a compound page whole: compaction neither moves a THP nor counts it as a failure. */
  @Test
  void compactionLeavesATransparentHugePageAloneAndCountsNoFailure() {
    Machine m = machine(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long small = p.mmap(0, 64 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    p.fill(small, 64 * PAGE, 3);
    long buf = KernelChangeTest.hugeAligned(p);
    p.fill(buf, THP, 1);
    long before = p.pagemap(buf);
    p.munmap(small, 64 * PAGE);
    long[] r = m.kernel().compactMemory();
    assertThat(r[1]).as("failed").isZero();
    assertThat(p.pagemap(buf)).as("the THP stays where it is").isEqualTo(before);
    assertThat(p.pmdMapped(buf)).isTrue();
    assertThat(p.matches(buf, THP, 1)).isTrue();
    m.checkInvariants();
  }

  /** madvise_collapse: a 2 MiB block with no page table (nothing faulted there, or a zapped PMD) is SCAN_PMD_NULL: EINVAL. */
  @Test
  void collapsingARangeWithNoPageTableIsEinval() {
    Machine m = machine(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = KernelChangeTest.hugeAligned(p);
    assertThatThrownBy(() -> p.madvise(buf, THP, Mman.MADV_COLLAPSE)).hasMessageStartingWith("EINVAL")
        .hasMessageContaining("SCAN_PMD_NULL");
    p.fill(buf, THP, 1);
    p.madvise(buf, THP, Mman.MADV_DONTNEED);
    assertThatThrownBy(() -> p.madvise(buf, THP, Mman.MADV_COLLAPSE)).as("zap_huge_pmd left the PMD none")
        .hasMessageStartingWith("EINVAL");
    m.checkInvariants();
  }

  /**
   * khugepaged collapses a PTE-mapped THP's 2 MiB, or small pages written one by one, back into a THP, and
   * leaves a block one of whose pages a pin holds (SCAN_PAGE_COUNT) or whose PTEs are all none.
   */
  @Test
  void khugepagedCollapsesWhatItMayAndLeavesAPinnedBlock() {
    Machine m = new Machine(MachineConfig.builder().ram(64 * MiB).kernel(KernelConfig.LINUX_6_12).thp(MachineConfig.Thp.NEVER).build());
    Process p = m.spawn("p");
    long buf = KernelChangeTest.hugeAligned(p);
    p.fill(buf, THP, 1);
    long other = KernelChangeTest.hugeAligned(p);
    p.fill(other, THP, 2);
    long empty = KernelChangeTest.hugeAligned(p);
    PageRefs pin = m.kernel().pinUserPages(p, other + 5 * PAGE, 1, FOLL_WRITE | FOLL_LONGTERM);
    assertThat(m.kernel().khugepaged()).as("THP never: nothing is eligible").isZero();
    Machine always = new Machine(MachineConfig.builder().ram(64 * MiB).kernel(KernelConfig.LINUX_6_12).thp(MachineConfig.Thp.MADVISE)
        .build());
    Process q = always.spawn("q");
    long a = KernelChangeTest.hugeAligned(q);
    q.madvise(a, THP, Mman.MADV_NOHUGEPAGE);
    q.fill(a, THP, 1);
    long b = KernelChangeTest.hugeAligned(q);
    q.madvise(b, THP, Mman.MADV_NOHUGEPAGE);
    q.fill(b, THP, 2);
    long c = KernelChangeTest.hugeAligned(q);
    PageRefs held = always.kernel().pinUserPages(q, b + 5 * PAGE, 1, FOLL_WRITE | FOLL_LONGTERM);
    q.madvise(a, THP, Mman.MADV_HUGEPAGE);
    q.madvise(b, THP, Mman.MADV_HUGEPAGE);
    q.madvise(c, THP, Mman.MADV_HUGEPAGE);
    assertThat(q.anonHugePages(a)).isZero();
    assertThat(always.kernel().khugepaged()).isEqualTo(1);
    assertThat(q.pmdMapped(a)).isTrue();
    assertThat(q.matches(a, THP, 1)).isTrue();
    assertThat(q.pmdMapped(b)).as("a pinned page keeps its block small").isFalse();
    assertThat(q.pmdMapped(c)).as("512 none PTEs are more than max_ptes_none").isFalse();
    held.release();
    pin.release();
    always.checkInvariants();
    m.checkInvariants();
  }

  /** madvise_free: a whole THP marked lazily freeable keeps its bytes until reclaim takes it, then reads as zeros. */
  @Test
  void madvFreeOfAWholeThpKeepsItsBytesUntilReclaimThenZeros() {
    Machine m = machine(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = KernelChangeTest.hugeAligned(p);
    p.fill(buf, THP, 4);
    p.madvise(buf, THP, Mman.MADV_FREE);
    m.checkInvariants();
    assertThat(p.matches(buf, THP, 4)).isTrue();
    p.madvise(buf, THP, Mman.MADV_FREE);
    for (long a = buf; a < buf + THP; a += PAGE) {
      m.vmscan.reclaim((int) p.pagemap(a));
    }
    m.checkInvariants();
    assertThat(p.load(buf)).isZero();
    assertThat(p.load(buf + THP - 1)).isZero();
  }
}
