package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;
import static org.userptrlab.mm.TestMachines.small;

import org.junit.jupiter.api.Test;

/** The kernel services a driver calls, each against a fact of the kernel function it stands for. */
class DriverServicesTest {
  private final Machine m = small(KernelConfig.LINUX_6_12);
  private final Kernel k = m.kernel();
  private final Process p = m.spawn("app");
  private final long buf = anon(p, 8 * PAGE);

  private static void errno(Runnable call, Errno errno) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(errno));
  }

  /** copy_from_user faults the user pages in and copies exactly the bytes asked, counted once. */
  @Test
  void copyFromUserCopiesTheBytesAcrossPagesAndCountsThem() {
    p.fill(buf, 8 * PAGE, 5);
    PageRefs obj = k.allocPages(3);
    long copiesBefore = m.vmstat().get(VmEvent.COPY_CALLS);
    k.copyFromUser(p, buf + 100, obj.pfns(), 50, 2 * PAGE);
    assertThat(k.dmaMatches(obj.pfns(), 50, 2 * PAGE, 5, 100)).isTrue();
    assertThat(k.dmaMatches(obj.pfns(), 0, 50, 5, 50)).as("bytes before the copy stay zero").isFalse();
    assertThat(k.dmaRead(obj.pfns(), 49)).isZero();
    assertThat(m.vmstat().get(VmEvent.COPY_CALLS)).isEqualTo(copiesBefore + 1);
    obj.release();
    m.checkInvariants();
  }

  /** copy_to_user writes the program's memory through its page tables, breaking COW as a store would. */
  @Test
  void copyToUserWritesTheProgramsMemory() {
    PageRefs obj = k.allocPages(2);
    k.dmaFill(obj.pfns(), 0, 2 * PAGE, 9);
    k.copyToUser(p, buf + PAGE, obj.pfns(), 0, 2 * PAGE);
    assertThat(p.matches(buf + PAGE, 2 * PAGE, 9)).isTrue();
    assertThat(p.pagemap(buf)).as("pages outside the copy are not touched").isEqualTo(-1);
    obj.release();
    m.checkInvariants();
  }

  /**
   * A user copy that reaches a page past the end of a mapped file is EFAULT, not SIGBUS: the
   * kernel-mode fault is fixed up from the exception table. The pages before it were faulted in.
   */
  @Test
  void aCopyPastTheEndOfAMappedFileIsEfaultNotSigbus() {
    MemFile f = m.createFile("f", 2 * PAGE);
    long map = p.mmap(0, 4 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, f, 0);
    PageRefs obj = k.allocPages(4);
    errno(() -> k.copyFromUser(p, map, obj.pfns(), 0, 4 * PAGE), Errno.EFAULT);
    errno(() -> k.copyToUser(p, map, obj.pfns(), 0, 4 * PAGE), Errno.EFAULT);
    assertThat(p.resident(map + PAGE)).as("the file's pages before the end were faulted in").isTrue();
    assertThatThrownBy(() -> p.load(map + 2 * PAGE)).as("the program's own access is still SIGBUS")
        .isInstanceOf(SignalException.class);
    obj.release();
    m.checkInvariants();
  }

  @Test
  void aCopyFromUnmappedOrReadOnlyMemoryIsEfaultAndCopiesNothing() {
    PageRefs obj = k.allocPages(1);
    long before = m.stateHash();
    errno(() -> k.copyFromUser(p, buf + 16 * PAGE, obj.pfns(), 0, PAGE), Errno.EFAULT);
    long ro = p.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    long afterMap = m.stateHash();
    errno(() -> k.copyToUser(p, ro, obj.pfns(), 0, PAGE), Errno.EFAULT);
    errno(() -> k.copyFromUser(p, buf, obj.pfns(), PAGE, 1), Errno.EINVAL);
    assertThat(m.stateHash()).isEqualTo(afterMap).isNotEqualTo(before);
    obj.release();
  }

  /** A driver DMA to a frame it gave back is a use after free: the model refuses it loudly. */
  @Test
  void dmaToAFreedFrameIsAUseAfterFree() {
    PageRefs obj = k.allocPages(1);
    int[] pfns = obj.pfns();
    obj.release();
    assertThatThrownBy(() -> k.dmaFill(pfns, 0, PAGE, 1)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("use after free");
  }

  /** zap_page_range: the PTEs go, the VMA stays, a held page survives for its holder and the next touch gets a new zero page. */
  @Test
  void zapDropsThePtesButAHeldPageLivesOnForItsHolder() {
    p.fill(buf, 4 * PAGE, 3);
    PageRefs held = k.getUserPages(p, buf, 4, Foll.FOLL_GET | Foll.FOLL_WRITE);
    assertThat(k.zapPageRange(p, buf, 8 * PAGE)).isEqualTo(4);
    assertThat(p.vmas()).hasSize(1);
    assertThat(p.pagemap(buf)).isEqualTo(-1);
    assertThat(k.dmaMatches(held.pfns(), 0, 4 * PAGE, 3, 0)).as("the holder still has the bytes").isTrue();
    assertThat(m.page(held.pfn(0)).mapcount()).isZero();
    assertThat(p.load(buf)).as("the next touch reads a fresh zero page").isZero();
    held.release();
    m.checkInvariants();
    errno(() -> k.zapPageRange(p, buf + 1, PAGE), Errno.EINVAL);
  }

  /** get_user_pages_fast returns the frames the PTEs map, taking a reference on each. */
  @Test
  void gupFastReturnsTheMappedFramesWithAReferenceEach() {
    p.fill(buf, 2 * PAGE, 1);
    int before = m.page((int) p.pagemap(buf)).refcount();
    PageRefs refs = k.getUserPagesFast(p, buf, 2, Foll.FOLL_GET);
    assertThat(refs.pfn(0)).isEqualTo((int) p.pagemap(buf));
    assertThat(refs.pfn(1)).isEqualTo((int) p.pagemap(buf + PAGE));
    assertThat(m.page(refs.pfn(0)).refcount()).isEqualTo(before + 1);
    refs.release();
    assertThat(m.page((int) p.pagemap(buf)).refcount()).isEqualTo(before);
    m.checkInvariants();
  }

  /** ib_umem_get: pinned_vm is checked against RLIMIT_MEMLOCK, charged with the pages and uncharged with them. */
  @Test
  void pinnedVmIsCheckedChargedAndGivenBack() {
    p.setrlimitMemlock(4 * PAGE, 4 * PAGE);
    errno(() -> k.checkPinnedVm(p, 5), Errno.ENOMEM);
    k.checkPinnedVm(p, 4);
    PageRefs pins = k.pinUserPagesAll(p, buf, 4, Foll.FOLL_PIN | Foll.FOLL_LONGTERM | Foll.FOLL_WRITE);
    k.accountPinnedVm(p, pins);
    assertThat(p.pinnedVm()).isEqualTo(4);
    errno(() -> k.accountPinnedVm(p, pins), Errno.EINVAL);
    PageRefs more = k.pinUserPagesAll(p, buf + 4 * PAGE, 1, Foll.FOLL_PIN | Foll.FOLL_WRITE);
    errno(() -> k.accountPinnedVm(p, more), Errno.ENOMEM);
    more.release();
    pins.release();
    assertThat(p.pinnedVm()).isZero();
    m.checkInvariants();
  }

  /** __account_locked_vm (VFIO type1) charges locked_vm, and CAP_IPC_LOCK lifts the limit. */
  @Test
  void lockedVmChargesAgainstTheLimitUnlessCapIpcLock() {
    p.setrlimitMemlock(PAGE, PAGE);
    PageRefs pins = k.pinUserPagesAll(p, buf, 2, Foll.FOLL_PIN | Foll.FOLL_WRITE);
    errno(() -> k.accountLockedVm(p, pins), Errno.ENOMEM);
    p.setCapability(Capability.CAP_IPC_LOCK, true);
    k.accountLockedVm(p, pins);
    assertThat(p.lockedVm()).isEqualTo(2);
    pins.release();
    assertThat(p.lockedVm()).isZero();
    m.checkInvariants();
  }

  /** shmem_read_mapping_page: a new shmem object reads as zeros; its pages stay in the file after the references go. */
  @Test
  void shmemPagesAreZeroedHeldAndDroppedWithTheFile() {
    MemFile f = k.shmemFileSetup("bo", 3 * PAGE);
    PageRefs pages = k.shmemGetPages(f);
    assertThat(pages.size()).isEqualTo(3);
    assertThat(k.dmaMatches(pages.pfns(), 0, 3 * PAGE, 1, 0)).isFalse();
    assertThat(k.dmaRead(pages.pfns(), 3 * PAGE - 1)).isZero();
    k.dmaFill(pages.pfns(), 0, 3 * PAGE, 4);
    pages.releaseDirty();
    assertThat(f.cachedPages()).isEqualTo(3);
    PageRefs again = k.shmemGetPages(f);
    assertThat(k.dmaMatches(again.pfns(), 0, 3 * PAGE, 4, 0)).as("the page cache kept the bytes").isTrue();
    again.release();
    long free = m.freePages();
    k.shmemFileRelease(f);
    assertThat(m.freePages()).isEqualTo(free + 3);
    errno(() -> k.shmemGetPages(m.createFile("disk", PAGE)), Errno.EINVAL);
    m.checkInvariants();
  }

  /** A driver's memcpy between frames it holds. */
  @Test
  void copyFramesCopiesBetweenObjects() {
    PageRefs a = k.allocPages(2);
    PageRefs b = k.allocPages(2);
    k.dmaFill(a.pfns(), 0, 2 * PAGE, 8);
    k.copyFrames(b.pfns(), 10, a.pfns(), 0, PAGE);
    assertThat(k.dmaMatches(b.pfns(), 10, PAGE, 8, 0)).isTrue();
    errno(() -> k.copyFrames(b.pfns(), PAGE + 1, a.pfns(), 0, PAGE), Errno.EINVAL);
    a.release();
    b.release();
    m.checkInvariants();
  }

  /** set_page_dirty_lock marks what the device wrote, so reclaim writes it back. */
  @Test
  void setPagesDirtyMarksTheFrames() {
    p.fill(buf, PAGE, 1);
    PageRefs refs = k.getUserPages(p, buf, 1, Foll.FOLL_GET);
    k.setPagesDirty(refs.pfns());
    assertThat(m.page(refs.pfn(0)).flags()).contains("dirty");
    refs.release();
  }

  /** hmm_range_fault faults the pages in, takes no reference, and refuses an access the VMA forbids. */
  @Test
  void hmmRangeFaultFaultsInWithoutAReference() {
    int[] pfns = k.hmmRangeFault(p, buf, 2, true);
    assertThat(pfns[0]).isEqualTo((int) p.pagemap(buf));
    assertThat(m.page(pfns[0]).refcount()).as("mapped once, held by no one").isEqualTo(1);
    int[] zero = k.hmmRangeFault(p, buf + 4 * PAGE, 1, false);
    assertThat(zero[0]).as("a read fault maps the shared zero page").isEqualTo(MemMap.ZERO_PFN);
    long ro = p.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    errno(() -> k.hmmRangeFault(p, ro, 1, true), Errno.EFAULT);
    errno(() -> k.hmmRangeFault(p, buf + 16 * PAGE, 1, false), Errno.EFAULT);
    m.checkInvariants();
  }

  /** The interval notifier's sequence moves when an invalidation covers the interval, and read_retry sees it. */
  @Test
  void anInvalidationMovesTheSequenceAndReadRetrySeesIt() {
    p.fill(buf, 2 * PAGE, 1);
    int[] calls = {0};
    MmuIntervalNotifier sub = k.mmuIntervalNotifierInsert(p, buf, 2 * PAGE, (s, range, seq) -> {
      calls[0]++;
      s.setSeq(seq);
      return true;
    });
    long seq = sub.readBegin();
    assertThat(sub.readRetry(seq)).isFalse();
    long global = k.notifierSequence();
    k.zapPageRange(p, buf, PAGE);
    assertThat(calls[0]).isEqualTo(1);
    assertThat(sub.readRetry(seq)).isTrue();
    assertThat(k.notifierSequence()).isGreaterThan(global);
    sub.remove();
    k.zapPageRange(p, buf + PAGE, PAGE);
    assertThat(calls[0]).as("a removed subscription hears nothing").isEqualTo(1);
    errno(() -> k.mmuIntervalNotifierInsert(p, buf, 0, (s, r, q) -> true), Errno.EINVAL);
  }
}
