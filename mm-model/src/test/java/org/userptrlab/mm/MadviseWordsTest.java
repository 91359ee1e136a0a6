package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.Mman.MAP_PRIVATE;
import static org.userptrlab.mm.Mman.MAP_SHARED;
import static org.userptrlab.mm.Mman.PROT_READ;
import static org.userptrlab.mm.Mman.PROT_WRITE;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The madvise words of mm/madvise.c, each from the release that brought it (EINVAL before, as
 * madvise_behavior_valid says): MADV_FREE (4.5), MADV_COLD and MADV_PAGEOUT (5.4),
 * MADV_POPULATE_READ and MADV_POPULATE_WRITE (5.14), MADV_DONTNEED_LOCKED (5.18), and MADV_REMOVE,
 * which every kernel has for shared writable file mappings.
 */
class MadviseWordsTest {
  private static final KernelConfig LINUX_5_4 = KernelConfig.linux("5.4");

  private static Machine machine(KernelConfig k, long swap) {
    return new Machine(MachineConfig.builder().ram(64 * MiB).swap(swap).kernel(k).build());
  }

  private static void refused(Machine m, Errno errno, Executable call) {
    long before = m.stateHash();
    assertThatThrownBy(call::execute).isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(errno));
    assertThat(m.stateHash()).as("a refused call changes nothing").isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(ints = {Mman.MADV_FREE, Mman.MADV_COLD, Mman.MADV_PAGEOUT, Mman.MADV_POPULATE_READ, Mman.MADV_POPULATE_WRITE,
      Mman.MADV_DONTNEED_LOCKED})
  void theNewWordsAreUnknownOn34(int advice) {
    Machine m = machine(KernelConfig.LINUX_3_4, 0);
    Process p = m.spawn("p");
    long buf = anon(p, 2 * PAGE);
    p.fill(buf, 2 * PAGE, 1);
    refused(m, Errno.EINVAL, () -> p.madvise(buf, 2 * PAGE, advice));
  }

  static java.util.stream.Stream<KernelConfig> pageoutKernels() {
    return java.util.stream.Stream.of(LINUX_5_4, KernelConfig.LINUX_6_12);
  }

  @ParameterizedTest
  @MethodSource("pageoutKernels")
  void pageoutSwapsOutTheAnonymousPagesOnlyThisProcessMaps(KernelConfig k) {
    Machine m = machine(k, 16 * MiB);
    Process p = m.spawn("p");
    long buf = anon(p, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    p.madvise(buf, 4 * PAGE, Mman.MADV_PAGEOUT);
    for (int i = 0; i < 4; i++) {
      assertThat(p.swappedOut(buf + (long) i * PAGE)).as("page %d", i).isTrue();
    }
    assertThat(p.rss()).isZero();
    m.checkInvariants();
    assertThat(p.matches(buf, 4 * PAGE, 1)).as("swapped back in with its bytes").isTrue();
    m.checkInvariants();
  }

  /** {@code pages} pages of anonymous memory, written with the stream of seed 1. */
  private static long written(Process p, int pages) {
    long buf = anon(p, pages * PAGE);
    p.fill(buf, pages * PAGE, 1);
    return buf;
  }

  /**
   * Four pages written out by MADV_PAGEOUT and gone from the swap cache (reclaim frees them once their writes are done),
   * then MADV_WILLNEED over them.
   */
  private static long willneedAfterPageout(Machine m, Process p) {
    long buf = written(p, 4);
    p.madvise(buf, 4 * PAGE, Mman.MADV_PAGEOUT);
    m.kernel().reclaim(1 << 20);
    p.madvise(buf, 4 * PAGE, Mman.MADV_WILLNEED);
    return buf;
  }

  /**
   * MADV_PAGEOUT writes the pages out and leaves them in the swap cache while the writes are in flight
   * (shrink_folio_list: PAGE_SUCCESS with the folio under writeback, "goto keep"): the PTEs hold swap
   * entries, and a touch finds each page there, a minor fault with nothing read back, as on a kernel
   * whose swap is a file on a disk (pswpin +0, pgmajfault +0, SwapCached 8 MiB after 8 MiB paged out).
   */
  @Test
  void pageoutLeavesThePagesInTheSwapCacheAndATouchIsAMinorFault() {
    Machine m = machine(KernelConfig.LINUX_6_12, 16 * MiB);
    Process p = m.spawn("p");
    long buf = written(p, 4);
    long free = m.freePages();
    p.madvise(buf, 4 * PAGE, Mman.MADV_PAGEOUT);
    assertThat(m.vmstat().get(VmEvent.PSWPOUT)).as("written out").isEqualTo(4);
    assertThat(p.swappedOut(buf)).as("not mapped").isTrue();
    assertThat(m.freePages()).as("still in the swap cache").isEqualTo(free);
    long major = m.vmstat().get(VmEvent.PGMAJFAULT);
    assertThat(p.matches(buf, 4 * PAGE, 1)).isTrue();
    assertThat(m.vmstat().get(VmEvent.PGMAJFAULT)).as("found in the swap cache").isEqualTo(major);
    assertThat(m.vmstat().get(VmEvent.PSWPIN)).as("nothing read back").isZero();
    m.checkInvariants();
  }

  /**
   * MADV_WILLNEED of swapped-out anonymous memory reads the pages into the swap cache and maps none
   * (swapin_walk_pmd_entry, read_swap_cache_async): the PTEs still hold swap entries, and the touch
   * that follows finds each page there, a minor fault.
   */
  @Test
  void willneedReadsSwappedOutPagesIntoTheSwapCacheAndTheTouchIsAMinorFault() {
    Machine m = machine(KernelConfig.LINUX_6_12, 16 * MiB);
    Process p = m.spawn("p");
    long buf = willneedAfterPageout(m, p);
    assertThat(m.vmstat().get(VmEvent.PSWPIN)).as("read from swap").isEqualTo(4);
    assertThat(p.swappedOut(buf)).as("not mapped").isTrue();
    assertThat(p.rss()).isZero();
    m.checkInvariants();
    long major = m.vmstat().get(VmEvent.PGMAJFAULT);
    assertThat(p.matches(buf, 4 * PAGE, 1)).isTrue();
    assertThat(m.vmstat().get(VmEvent.PGMAJFAULT)).as("found in the swap cache").isEqualTo(major);
    assertThat(m.vmstat().get(VmEvent.PSWPIN)).as("read once").isEqualTo(4);
    m.checkInvariants();
  }

  /** Pages MADV_WILLNEED left in the swap cache go with reclaim, which drops them unwritten, or with the range's unmap. */
  @Test
  void pagesWillneedLeftInTheSwapCacheGoWithReclaimOrAnUnmap() {
    Machine m = machine(KernelConfig.LINUX_6_12, 16 * MiB);
    Process p = m.spawn("p");
    long buf = willneedAfterPageout(m, p);
    long out = m.vmstat().get(VmEvent.PSWPOUT);
    m.kernel().reclaim(1 << 20);
    assertThat(m.vmstat().get(VmEvent.PSWPOUT)).as("clean: nothing written again").isEqualTo(out);
    m.checkInvariants();
    assertThat(p.matches(buf, 4 * PAGE, 1)).isTrue();
    p.munmap(buf, 4 * PAGE);
    long again = willneedAfterPageout(m, p);
    long free = m.freePages();
    p.munmap(again, 4 * PAGE);
    assertThat(m.freePages() - free).as("the swap cache's pages freed").isGreaterThanOrEqualTo(4);
    m.checkInvariants();
  }

  /** MADV_WILLNEED of anonymous memory was EBADF until swap prefetch came in 3.9 (1998cc048901). */
  @Test
  void willneedOfAnonymousMemoryIsEbadfBefore39() {
    Machine m = machine(KernelConfig.LINUX_3_4, 16 * MiB);
    Process p = m.spawn("p");
    long buf = written(p, 2);
    refused(m, Errno.EBADF, () -> p.madvise(buf, 2 * PAGE, Mman.MADV_WILLNEED));
  }

  /** MADV_WILLNEED of a disk file's mapping reads the file's pages reclaim dropped back into the page cache. */
  @Test
  void willneedReadsADiskFilesPagesBackIntoThePageCache() {
    Machine m = machine(KernelConfig.LINUX_6_12, 0);
    Process p = m.spawn("p");
    MemFile f = m.createFile("data", 4 * PAGE);
    long map = p.mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
    p.fill(map, 4 * PAGE, 3);
    p.munmap(map, 4 * PAGE);
    m.kernel().reclaim(1 << 20);
    long ro = p.mmap(0, 4 * PAGE, PROT_READ, MAP_PRIVATE, f, 0);
    p.madvise(ro, 4 * PAGE, Mman.MADV_WILLNEED);
    m.checkInvariants();
    long major = m.vmstat().get(VmEvent.PGMAJFAULT);
    assertThat(p.matches(ro, 4 * PAGE, 3)).isTrue();
    assertThat(m.vmstat().get(VmEvent.PGMAJFAULT)).as("read ahead: no fault reads the disk").isEqualTo(major);
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("pageoutKernels")
  void pageoutLeavesPagesAForkedChildAlsoMapsFrom56ButTakesThemFromBothBefore(KernelConfig k) {
    Machine m = machine(k, 16 * MiB);
    Process p = m.spawn("p");
    long buf = anon(p, 2 * PAGE);
    p.fill(buf, 2 * PAGE, 1);
    Process child = p.fork();
    p.madvise(buf, 2 * PAGE, Mman.MADV_PAGEOUT);
    boolean taken = !k.has(KernelChange.PAGEOUT_SKIP_SHARED);
    assertThat(p.swappedOut(buf)).isEqualTo(taken);
    assertThat(child.swappedOut(buf)).as("12e967fd8e4e: do not allow MADV_PAGEOUT for CoW pages").isEqualTo(taken);
    m.checkInvariants();
    assertThat(child.matches(buf, 2 * PAGE, 1)).isTrue();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("pageoutKernels")
  void pageoutWithoutSwapKeepsAnonymousPages(KernelConfig k) {
    Machine m = machine(k, 0);
    Process p = m.spawn("p");
    long buf = anon(p, 2 * PAGE);
    p.fill(buf, 2 * PAGE, 1);
    long putBack = m.vmstat().get(VmEvent.RECLAIM_PUTBACK);
    p.madvise(buf, 2 * PAGE, Mman.MADV_PAGEOUT);
    assertThat(p.swappedOut(buf)).isFalse();
    assertThat(p.rss()).isEqualTo(2);
    assertThat(m.vmstat().get(VmEvent.RECLAIM_PUTBACK) - putBack).as("each page isolated, then put back: no swap slot")
        .isEqualTo(2);
    assertThat(m.vmstat().get(VmEvent.PSWPOUT)).isZero();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("pageoutKernels")
  void aPinnedPageIsSwappedOutUnder511ButKeptFrom511AndTheHolderKeepsItsFrameEitherWay(KernelConfig k) {
    Machine m = machine(k, 16 * MiB);
    Process p = m.spawn("p");
    long buf = anon(p, PAGE);
    p.fill(buf, PAGE, 1);
    PageRefs pin = m.kernel().pinUserPages(p, buf, 1, Foll.FOLL_WRITE);
    p.madvise(buf, PAGE, Mman.MADV_PAGEOUT);
    assertThat(p.swappedOut(buf)).as("shrink_folio_list skips a maybe-pinned page from 5.11 (feb889fb40fa)")
        .isEqualTo(!k.has(KernelChange.RECLAIM_SKIP_PINNED));
    assertThat(m.page(pin.pfn(0)).refcount()).as("the holder's frame lives").isPositive();
    assertThat(p.matches(buf, PAGE, 1)).isTrue();
    assertThat(p.pagemap(buf)).as("the swap cache still had the held page: the same frame comes back").isEqualTo(pin.pfn(0));
    m.checkInvariants();
    pin.release();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aLockedRangeRefusesDontneedAndPageout(KernelConfig k) {
    Machine m = machine(k, 16 * MiB);
    Process p = m.spawn("p");
    long buf = anon(p, 2 * PAGE);
    p.mlock(buf, 2 * PAGE);
    refused(m, Errno.EINVAL, () -> p.madvise(buf, 2 * PAGE, Mman.MADV_DONTNEED));
    if (k.has(KernelChange.MADV_PAGEOUT)) {
      refused(m, Errno.EINVAL, () -> p.madvise(buf, 2 * PAGE, Mman.MADV_PAGEOUT));
    }
  }

  @Test
  void dontneedLockedDropsThePagesOfAnMlockedRangeAndKeepsItLocked() {
    Machine m = machine(KernelConfig.LINUX_6_12, 0);
    Process p = m.spawn("p");
    long buf = anon(p, 2 * PAGE);
    p.mlock(buf, 2 * PAGE);
    p.fill(buf, 2 * PAGE, 1);
    p.madvise(buf, 2 * PAGE, Mman.MADV_DONTNEED_LOCKED);
    assertThat(p.rss()).isZero();
    assertThat(p.lockedVm()).isEqualTo(2);
    assertThat(p.vma(buf).has(VmFlags.VM_LOCKED)).isTrue();
    assertThat(p.load(buf)).isZero();
    m.checkInvariants();
  }

  @Test
  void populateWriteFaultsEveryPageInAndPopulateReadMapsAFilesPages() {
    Machine m = machine(KernelConfig.LINUX_6_12, 0);
    Process p = m.spawn("p");
    long buf = anon(p, 4 * PAGE);
    p.madvise(buf, 4 * PAGE, Mman.MADV_POPULATE_WRITE);
    assertThat(p.rss()).isEqualTo(4);
    MemFile f = m.createFile("f", 2 * PAGE);
    long map = p.mmap(0, 2 * PAGE, PROT_READ, MAP_SHARED, f, 0);
    p.madvise(map, 2 * PAGE, Mman.MADV_POPULATE_READ);
    assertThat(p.rssParts().file()).isEqualTo(2);
    m.checkInvariants();
  }

  @Test
  void populateWriteOfAReadOnlyMappingIsEinvalAndPastTheEndOfAFileEfault() {
    Machine m = machine(KernelConfig.LINUX_6_12, 0);
    Process p = m.spawn("p");
    long ro = p.mmap(0, 2 * PAGE, PROT_READ, MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    refused(m, Errno.EINVAL, () -> p.madvise(ro, 2 * PAGE, Mman.MADV_POPULATE_WRITE));
    MemFile f = m.createFile("f", PAGE);
    long map = p.mmap(0, 2 * PAGE, PROT_READ, MAP_SHARED, f, 0);
    assertThatThrownBy(() -> p.madvise(map, 2 * PAGE, Mman.MADV_POPULATE_READ)).isInstanceOfSatisfying(MmException.class,
        e -> assertThat(e.errno()).isEqualTo(Errno.EFAULT));
    assertThat(p.rssParts().file()).as("the page before the end was populated").isEqualTo(1);
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void removePunchesAHoleInAShmemFileThroughASharedMapping(KernelConfig k) {
    Machine m = machine(k, 0);
    MemFile f = m.createShmemFile("f", 4 * PAGE);
    Process p = m.spawn("p");
    long map = p.mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
    p.fill(map, 4 * PAGE, 1);
    p.madvise(map + PAGE, 2 * PAGE, Mman.MADV_REMOVE);
    assertThat(f.cachedPages()).isEqualTo(2);
    assertThat(f.size()).as("FALLOC_FL_KEEP_SIZE").isEqualTo(4 * PAGE);
    assertThat(p.load(map + PAGE)).isZero();
    assertThat(p.matches(map + 3 * PAGE, PAGE, 1, 3 * PAGE)).isTrue();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void removeOfADiskFileIsEnosysOn34AndPunchesAHoleFrom35(KernelConfig k) {
    Machine m = machine(k, 0);
    MemFile f = m.createFile("f", 2 * PAGE);
    m.fillFile(f, 0, 2 * PAGE, 1);
    Process p = m.spawn("p");
    long map = p.mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
    p.load(map);
    if (!k.has(KernelChange.MADV_REMOVE_PUNCH_HOLE)) {
      refused(m, Errno.ENOSYS, () -> p.madvise(map, PAGE, Mman.MADV_REMOVE));
      return;
    }
    p.madvise(map, PAGE, Mman.MADV_REMOVE);
    assertThat(p.load(map)).isZero();
    assertThat(m.fileMatches(f, 0, PAGE, 1)).as("the hole is the file's too").isFalse();
    assertThat(p.matches(map + PAGE, PAGE, 1, PAGE)).as("the page after the hole keeps its bytes").isTrue();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void removeOfPrivateAnonymousMemoryIsEinvalAndOfAPrivateFileMappingEacces(KernelConfig k) {
    Machine m = machine(k, 0);
    Process p = m.spawn("p");
    long buf = anon(p, PAGE);
    p.fill(buf, PAGE, 1);
    refused(m, Errno.EINVAL, () -> p.madvise(buf, PAGE, Mman.MADV_REMOVE));
    MemFile f = m.createShmemFile("f", PAGE);
    long priv = p.mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, f, 0);
    refused(m, Errno.EACCES, () -> p.madvise(priv, PAGE, Mman.MADV_REMOVE));
  }

  @Test
  void freedPagesAreDroppedByReclaimUnlessWrittenAgain() {
    Machine m = machine(KernelConfig.LINUX_6_12, 0);
    Process p = m.spawn("p");
    long buf = anon(p, 2 * PAGE);
    p.fill(buf, 2 * PAGE, 1);
    p.madvise(buf, 2 * PAGE, Mman.MADV_FREE);
    p.fill(buf + PAGE, PAGE, 2);
    m.kernel().reclaim(64);
    m.kernel().reclaim(64);
    assertThat(p.pagemap(buf)).as("the clean lazily-freed page is gone").isEqualTo(-1);
    assertThat(p.load(buf)).isZero();
    assertThat(p.matches(buf + PAGE, PAGE, 2, 0)).as("the page written again is kept").isTrue();
    assertThat(m.vmstat().get(VmEvent.PGLAZYFREED)).isEqualTo(1);
    m.checkInvariants();
  }

  @Test
  void freeOfSharedMemoryIsEinval() {
    Machine m = machine(KernelConfig.LINUX_6_12, 0);
    Process p = m.spawn("p");
    long shared = p.mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | Mman.MAP_ANONYMOUS);
    refused(m, Errno.EINVAL, () -> p.madvise(shared, PAGE, Mman.MADV_FREE));
  }

  @Test
  void coldKeepsThePagesAndTheirBytes() {
    Machine m = machine(KernelConfig.LINUX_6_12, 0);
    Process p = m.spawn("p");
    long buf = anon(p, 2 * PAGE);
    p.fill(buf, 2 * PAGE, 1);
    p.madvise(buf, 2 * PAGE, Mman.MADV_COLD);
    assertThat(p.rss()).isEqualTo(2);
    assertThat(p.matches(buf, 2 * PAGE, 1)).isTrue();
    m.checkInvariants();
  }
}
