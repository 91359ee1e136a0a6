package org.userptrlab.strategy.backed;

import org.userptrlab.core.spi.ImportNote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.userptrlab.testkit.StrategyRig;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.mm.Capability;
import org.userptrlab.mm.Errno;
import org.userptrlab.mm.KernelChange;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.MmException;
import org.userptrlab.mm.Process;
import org.userptrlab.mm.VmEvent;

class BackedStrategiesTest {
  static final int PAGE = 4096;
  private Machine m;
  private StrategyRig rig;
  private Process p;

  private void boot(String name, KernelConfig kernelConfig) {
    rig = new StrategyRig(name, MachineConfig.builder().ram(64L << 20).swap(64L << 20).kernel(kernelConfig).build());
    m = rig.m;
    p = rig.p;
  }

  private UserptrBacking imp(long addr, long size) {
    return rig.imp(addr, size);
  }

  private boolean gpuSees(UserptrBacking b, long seed) {
    return rig.gpuSees(b, seed);
  }

  @Test
  void beforeIntervalNotifiersTheMirrorSaysWhichOlderInterfaceItStandsFor() {
    KernelConfig with = KernelConfig.linux(KernelChange.INTERVAL_NOTIFIER.release());
    boot(BackedNotifierStrategy.NAME, with);
    assertThat(rig.strategy.standsFor()).isEmpty();
    boot(BackedNotifierStrategy.NAME, with.without(KernelChange.INTERVAL_NOTIFIER));
    assertThat(rig.strategy.standsFor()).hasValueSatisfying(s -> assertThat(s)
        .startsWith("no mmu_interval_notifier before 5.5 (99cb252f5e68)").contains("whole-mm mmu_notifier", "get_user_pages"));
    boot(BackedPinStrategy.NAME, KernelConfig.LINUX_3_4);
    assertThat(rig.strategy.standsFor()).as("plain references exist on every kernel").isEmpty();
  }

  @Test
  void theMirrorRefaultsAfterEveryInvalidationAndStaysCoherent() {
    boot(BackedNotifierStrategy.NAME, KernelConfig.LINUX_6_12);
    long buf = p.memalign(PAGE, 16 * PAGE);
    p.fill(buf, 16 * PAGE, 1);
    UserptrBacking b = imp(buf, 16 * PAGE);
    assertThat(gpuSees(b, 1)).isTrue();
    long before = m.vmstat().get(VmEvent.MMU_NOTIFIER_INVALIDATE);

    m.kernel().migratePage((int) p.pagemap(buf));
    Process child = p.fork();
    p.fill(buf, 16 * PAGE, 2);
    m.kernel().reclaim(1 << 14);

    assertThat(m.vmstat().get(VmEvent.MMU_NOTIFIER_INVALIDATE)).isGreaterThan(before);
    assertThat(gpuSees(b, 2)).isTrue();
    assertThat(child.matches(buf, 16 * PAGE, 1)).isTrue();
    assertThat(b.notes()).extracting(ImportNote::kind).contains(ImportNote.Kind.MIRROR_INVALIDATED);
    b.release();
    m.checkInvariants();
  }

  /** check_and_migrate_movable_pages: a FOLL_LONGTERM pin moves pages out of CMA first, so the region stays usable. */
  @Test
  void aLongtermImportMovesItsPagesOutOfCmaAndAShortTermOneLeavesThem() {
    for (String name : new String[] {BackedLongtermStrategy.NAME, BackedPinStrategy.NAME}) {
      rig = new StrategyRig(name, MachineConfig.builder().ram(32L << 20).cma(24L << 20).kernel(KernelConfig.LINUX_6_12).build());
      m = rig.m;
      p = rig.p;
      long buf = p.memalign(PAGE, 4 * PAGE);
      p.fill(buf, 4 * PAGE, 1);
      assertThat(m.page((int) p.pagemap(buf)).zone()).as("user pages land in CMA while it holds most free memory").isEqualTo("Normal(CMA)");
      UserptrBacking b = imp(buf, 4 * PAGE);
      boolean longterm = name.equals(BackedLongtermStrategy.NAME);
      for (int i = 0; i < 4; i++) {
        assertThat(m.page((int) p.pagemap(buf + (long) i * PAGE)).zone()).as("%s, page %d", name, i)
            .isEqualTo(longterm ? "Normal" : "Normal(CMA)");
      }
      assertThat(gpuSees(b, 1)).isTrue();
      b.release();
      m.checkInvariants();
    }
  }

  @Test
  void aLongtermPinIsChargedToPinnedVmAgainstTheLimit() {
    boot(BackedLongtermStrategy.NAME, KernelConfig.LINUX_6_12);
    long big = p.memalign(PAGE, 16L << 20);
    long before = m.stateHash();
    assertThatThrownBy(() -> imp(big, 16L << 20)).isInstanceOfSatisfying(MmException.class,
        e -> assertThat(e.errno()).isEqualTo(Errno.ENOMEM));
    assertThat(m.stateHash()).as("the limit is checked before anything is pinned").isEqualTo(before);
    m.checkInvariants();
    p.setCapability(Capability.CAP_IPC_LOCK, true);
    UserptrBacking b = imp(big, 16L << 20);
    assertThat(p.pinnedVm()).isEqualTo(4096);
    b.release();
    assertThat(p.pinnedVm()).isZero();
    m.checkInvariants();
  }

  @Test
  void aReferenceHeldForTheObjectsLifeBlocksMigration() {
    boot(BackedPinStrategy.NAME, KernelConfig.LINUX_6_12);
    long buf = p.memalign(PAGE, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    UserptrBacking b = imp(buf, 4 * PAGE);
    int pfn = (int) p.pagemap(buf);
    assertThatThrownBy(() -> m.kernel().migratePage(pfn)).isInstanceOfSatisfying(MmException.class,
        e -> assertThat(e.errno()).isEqualTo(Errno.EAGAIN));
    b.release();
    assertThat(m.kernel().migratePage(pfn)).isNotEqualTo(pfn);
    m.checkInvariants();
  }

  /** Each invalidation of the range is counted once, and release removes the notifier: later unmaps reach it no more. */
  @Test
  void theMirrorCountsItsInvalidationsAndReleaseRemovesItsNotifier() {
    boot(BackedNotifierStrategy.NAME, KernelConfig.LINUX_6_12);
    long buf = p.memalign(PAGE, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    UserptrBacking b = imp(buf, 4 * PAGE);
    assertThat(b.notes()).isEmpty();
    p.madvise(buf, PAGE, org.userptrlab.mm.Mman.MADV_DONTNEED);
    assertThat(b.notes()).extracting(ImportNote::detail).containsExactly("1 invalidations of the mirror");
    b.release();
    long before = m.vmstat().get(VmEvent.MMU_NOTIFIER_INVALIDATE);
    p.madvise(buf, 4 * PAGE, org.userptrlab.mm.Mman.MADV_DONTNEED);
    assertThat(b.notes()).extracting(ImportNote::detail).containsExactly("1 invalidations of the mirror");
    assertThat(m.vmstat().get(VmEvent.MMU_NOTIFIER_INVALIDATE)).as("no subscriber left to call").isEqualTo(before);
    m.checkInvariants();
  }

  /** A long-term pin is taken writable (FOLL_WRITE): after fork the pinned page stays the parent's, whose writes the GPU sees. */
  @Test
  void aLongtermPinIsWritableAndFollowsTheParentAfterFork() {
    boot(BackedLongtermStrategy.NAME, KernelConfig.LINUX_6_12);
    p.setCapability(Capability.CAP_IPC_LOCK, true);
    long buf = p.memalign(PAGE, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    UserptrBacking b = imp(buf, 4 * PAGE);
    Process child = p.fork();
    p.fill(buf, 4 * PAGE, 2);
    assertThat(gpuSees(b, 2)).isTrue();
    assertThat(child.matches(buf, 4 * PAGE, 1)).isTrue();
    assertThat(p.pinnedVm()).isEqualTo(4);
    b.release();
    m.checkInvariants();
  }

  /**
   * A GPU write through the mirror dirties the pages it wrote (set_page_dirty_lock), so that
   * writeback takes them to the file a MAP_SHARED range maps; a read leaves the file as it was.
   */
  @Test
  void aGpuWriteThroughTheMirrorReachesTheFileAndAReadDoesNot() {
    boot(BackedNotifierStrategy.NAME, KernelConfig.LINUX_6_12);
    org.userptrlab.mm.MemFile f = m.createFile("image", 4 * PAGE);
    m.fillFile(f, 0, 4 * PAGE, 5);
    long map = p.mmap(0, 4 * PAGE, org.userptrlab.mm.Mman.PROT_READ | org.userptrlab.mm.Mman.PROT_WRITE,
        org.userptrlab.mm.Mman.MAP_SHARED, f, 0);
    UserptrBacking b = imp(map, 4 * PAGE);
    assertThat(gpuSees(b, 5)).isTrue();
    m.kernel().reclaim(1 << 14);
    assertThat(m.fileMatches(f, 0, 4 * PAGE, 5)).isTrue();
    rig.gpuWrites(b, 7);
    b.release();
    p.munmap(map, 4 * PAGE);
    m.kernel().reclaim(1 << 14);
    assertThat(m.fileMatches(f, 0, 4 * PAGE, 7)).as("written back").isTrue();
    m.checkInvariants();
  }
}
