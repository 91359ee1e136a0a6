package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.Foll.FOLL_WRITE;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;

import org.junit.jupiter.api.Test;

/** Reclaim of THPs (mm/vmscan.c: shrink_folio_list, add_to_swap): whole into a swap cluster from 4.14, split before. */
class ThpSwapTest {
  private static final long THP = 2 * MiB;
  private static final int NR = (int) (THP / PAGE);

  private static Machine machine(KernelConfig k, long swap) {
    return new Machine(MachineConfig.builder().ram(64 * MiB).swap(swap).kernel(k).build());
  }

  private static boolean allSwapped(Process p, long buf) {
    for (long a = buf; a < buf + THP; a += PAGE) {
      if (!p.swappedOut(a)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aThpIsSwappedOutWholeIntoAClusterAndFreedWholeOnAModernKernel() {
    Machine m = machine(KernelConfig.LINUX_6_12, 32 * MiB);
    Process p = m.spawn("p");
    long buf = KernelChangeTest.hugeAligned(p);
    p.fill(buf, THP, 9);
    int head = (int) p.pagemap(buf);
    p.madvise(buf, THP, Mman.MADV_PAGEOUT);
    assertThat(allSwapped(p, buf)).isTrue();
    assertThat(m.vmstat().get(VmEvent.THP_SWPOUT)).isEqualTo(1);
    assertThat(m.vmstat().get(VmEvent.THP_SPLIT_PAGE)).as("not split to go out").isZero();
    assertThat(m.vmstat().get(VmEvent.PSWPOUT)).isEqualTo(NR);
    assertThat(m.vmstat().get(VmEvent.PGSTEAL)).isEqualTo(NR);
    assertThat(m.vmstat().get(VmEvent.THP_DEFERRED_SPLIT_PAGE)).as("unmapped whole, never queued to split").isZero();
    assertThat(m.mem.isFree(head) && m.mem.isFree(head + NR - 1)).isTrue();
    m.checkInvariants();
    assertThat(p.matches(buf, THP, 9)).as("swapped back in, page by page").isTrue();
    assertThat(p.anonHugePages(buf)).isZero();
    m.checkInvariants();
  }

  @Test
  void before414TheThpIsSplitFirstAndItsPagesGoOneByOne() {
    Machine m = machine(KernelConfig.LINUX_6_12.without(KernelChange.THP_SWAP), 32 * MiB);
    Process p = m.spawn("p");
    long buf = KernelChangeTest.hugeAligned(p);
    p.fill(buf, THP, 9);
    p.madvise(buf, THP, Mman.MADV_PAGEOUT);
    assertThat(allSwapped(p, buf)).isTrue();
    assertThat(m.vmstat().get(VmEvent.THP_SPLIT_PAGE)).isEqualTo(1);
    assertThat(m.vmstat().get(VmEvent.THP_SWPOUT)).isZero();
    assertThat(p.matches(buf, THP, 9)).isTrue();
    m.checkInvariants();
  }

  @Test
  void withNoFreeClusterTheThpFallsBackToSplitAndStillGoesOut() {
    Machine m = machine(KernelConfig.LINUX_6_12, 4 * MiB);
    Process p = m.spawn("p");
    // One small page swapped out in each of the swap device's two clusters: no 512 free slots in a row are left.
    long small = p.mmap(0, 2 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    p.madvise(small, 2 * PAGE, Mman.MADV_NOHUGEPAGE);
    p.store(small, (byte) 1);
    p.madvise(small, PAGE, Mman.MADV_PAGEOUT);
    long filler = p.mmap(0, THP, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    p.madvise(filler, THP, Mman.MADV_NOHUGEPAGE);
    p.fill(filler, THP, 2);
    p.madvise(filler, THP, Mman.MADV_PAGEOUT);
    p.munmap(filler, THP / 2);
    long buf = KernelChangeTest.hugeAligned(p);
    p.fill(buf, THP, 9);
    p.madvise(buf, THP, Mman.MADV_PAGEOUT);
    assertThat(m.vmstat().get(VmEvent.THP_SWPOUT_FALLBACK)).isEqualTo(1);
    assertThat(m.vmstat().get(VmEvent.THP_SPLIT_PAGE)).isEqualTo(1);
    assertThat(p.swappedOut(buf)).isTrue();
    assertThat(p.matches(buf, THP, 9)).isTrue();
    m.checkInvariants();
  }

  @Test
  void aThpParentAndChildShareGoesOutWholeFromBothAndEachReadsItsBytesBack() {
    Machine m = machine(KernelConfig.LINUX_6_12, 32 * MiB);
    Process parent = m.spawn("parent");
    long buf = KernelChangeTest.hugeAligned(parent);
    parent.fill(buf, THP, 4);
    Process child = parent.fork();
    int head = (int) parent.pagemap(buf);
    assertThat(m.vmscan.reclaim(head)).isEqualTo(NR);
    assertThat(allSwapped(parent, buf) && allSwapped(child, buf)).isTrue();
    m.checkInvariants();
    parent.fill(buf, PAGE, 5);
    assertThat(child.matches(buf, THP, 4)).isTrue();
    assertThat(parent.matches(buf + PAGE, THP - PAGE, 4, PAGE)).isTrue();
    assertThat(parent.matches(buf, PAGE, 5)).isTrue();
    m.checkInvariants();
  }

  @Test
  void aThpSomeoneHoldsStaysWholeAndMapped() {
    Machine m = machine(KernelConfig.LINUX_6_12, 32 * MiB);
    Process p = m.spawn("p");
    long buf = KernelChangeTest.hugeAligned(p);
    p.fill(buf, THP, 3);
    PageRefs held = m.kernel().getUserPages(p, buf + 7 * PAGE, 1, FOLL_WRITE);
    p.madvise(buf, THP, Mman.MADV_PAGEOUT);
    assertThat(p.pmdMapped(buf)).isTrue();
    assertThat(p.swappedOut(buf)).isFalse();
    assertThat(m.vmstat().get(VmEvent.THP_SPLIT_PAGE_FAILED)).as("can_split_folio failed; no split was tried").isZero();
    held.release();
    m.checkInvariants();
  }
}
