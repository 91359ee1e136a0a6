package org.userptrlab.strategy.cow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.userptrlab.testkit.StrategyRig;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.mm.Foll;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.PageRefs;
import org.userptrlab.mm.Process;
import org.userptrlab.mm.VmEvent;

class CowStrategyTest {
  static final int PAGE = 4096;
  private Machine m;
  private StrategyRig rig;
  private Process p;

  private void boot(KernelConfig kernelConfig) {
    rig = new StrategyRig(CowStrategy.NAME, MachineConfig.builder().ram(64L << 20).kernel(kernelConfig).build());
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
  void theScratchLoopWorksWithOneCowFaultPerPageRewritten() {
    boot(KernelConfig.LINUX_6_12);
    long scratch = p.memalign(PAGE, 64 * PAGE);
    p.fill(scratch, 64 * PAGE, 1);
    UserptrBacking first = imp(scratch, 64 * PAGE);
    assertThat(p.pteWritable(scratch)).isFalse();
    long cow = m.vmstat().get(VmEvent.COW_COPY);

    p.fill(scratch, 64 * PAGE, 2);

    assertThat(m.vmstat().get(VmEvent.COW_COPY)).isEqualTo(cow + 64);
    assertThat(gpuSees(first, 1)).isTrue();
    assertThat(p.matches(scratch, 64 * PAGE, 2)).isTrue();
    UserptrBacking second = imp(scratch, 64 * PAGE);
    assertThat(gpuSees(second, 2)).isTrue();
    first.release();
    second.release();
    long reused = m.vmstat().get(VmEvent.COW_REUSE);
    p.fill(scratch, 64 * PAGE, 3);
    // No one else holds the pages now: wp_can_reuse_anon_folio reuses them, no copy.
    assertThat(m.vmstat().get(VmEvent.COW_COPY)).isEqualTo(cow + 64);
    assertThat(m.vmstat().get(VmEvent.COW_REUSE)).isEqualTo(reused + 64);
    m.checkInvariants();
  }

  @Test
  void afterForkTheObjectKeepsTheImportWhoeverWrites() {
    boot(KernelConfig.LINUX_6_12);
    long buf = p.memalign(PAGE, 16 * PAGE);
    p.fill(buf, 16 * PAGE, 1);
    UserptrBacking b = imp(buf, 16 * PAGE);
    Process child = p.fork();
    child.fill(buf, 16 * PAGE, 2);
    p.fill(buf, 16 * PAGE, 3);
    assertThat(gpuSees(b, 1)).isTrue();
    assertThat(child.matches(buf, 16 * PAGE, 2)).isTrue();
    assertThat(p.matches(buf, 16 * PAGE, 3)).isTrue();
    b.release();
    m.checkInvariants();
  }

  @Test
  void onAModernKernelTheTrickNeedsAPlainReferenceNotAPin() {
    boot(KernelConfig.LINUX_6_12);
    long buf = p.memalign(PAGE, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    // With a pin instead, the pages cannot be made shared, and an exclusive write-protected page is reused on write.
    PageRefs pin = m.kernel().pinUserPages(p, buf, 4, Foll.FOLL_WRITE);
    m.kernel().writeProtectRange(p, buf, 4 * PAGE, false);
    p.fill(buf, 4 * PAGE, 2);
    assertThat(m.kernel().dmaMatches(pin.pfns(), 0, 4 * PAGE, 2, 0)).as("the pinned pages took the write").isTrue();
    pin.release();
    m.checkInvariants();
  }

  @Test
  void onLinux34ItCopiesBecauseDoWpPageWouldReuseTheHeldPage() {
    boot(KernelConfig.LINUX_3_4);
    long buf = p.memalign(PAGE, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    UserptrBacking b = imp(buf, 4 * PAGE);
    assertThat(b.notes()).anySatisfy(n -> assertThat(n.detail()).contains("reuse_swap_page"));
    assertThat(p.pteWritable(buf)).isTrue();
    b.release();
  }

  /**
   * The first GPU write gives the object pages of its own and lets go of the program's: once the
   * object is gone, the program's next write reuses its page in place (do_wp_page sees a count of
   * one) instead of copying it. The import says how many pages it write-protected.
   */
  @Test
  void aGpuWriteLetsGoOfTheProgramsPagesSoItsNextWriteReusesThem() {
    boot(KernelConfig.LINUX_6_12);
    long buf = p.memalign(PAGE, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    UserptrBacking b = imp(buf, 4 * PAGE);
    assertThat(b.notes()).extracting(org.userptrlab.core.spi.ImportNote::detail)
        .containsExactly("write-protected 4 pages; each one the program writes again costs a COW fault");
    long pfn = p.pagemap(buf);
    rig.gpuWrites(b, 9);
    assertThat(gpuSees(b, 9)).isTrue();
    assertThat(p.matches(buf, 4 * PAGE, 1)).as("the GPU wrote its own copy").isTrue();
    b.release();
    long cow = m.vmstat().get(VmEvent.COW_COPY);
    p.store(buf, (byte) 1);
    assertThat(p.pagemap(buf)).as("reused, not copied").isEqualTo(pfn);
    assertThat(m.vmstat().get(VmEvent.COW_COPY)).isEqualTo(cow);
    m.checkInvariants();
  }

  /** A range that ends exactly where a read-only VMA begins is write-protected, not copied: the next VMA is not part of it. */
  @Test
  void aRangeEndingAtAReadOnlyVmaIsNotCopied() {
    boot(KernelConfig.LINUX_6_12);
    long a = p.mmap(0, 4L * PAGE, org.userptrlab.mm.Mman.PROT_READ | org.userptrlab.mm.Mman.PROT_WRITE,
        org.userptrlab.mm.Mman.MAP_PRIVATE | org.userptrlab.mm.Mman.MAP_ANONYMOUS);
    p.fill(a, 4L * PAGE, 1);
    p.mprotect(a + 2L * PAGE, 2L * PAGE, org.userptrlab.mm.Mman.PROT_READ);
    UserptrBacking b = imp(a, 2L * PAGE);
    assertThat(b.notes()).extracting(org.userptrlab.core.spi.ImportNote::kind)
        .containsExactly(org.userptrlab.core.spi.ImportNote.Kind.WRITE_PROTECTED);
    b.release();
    m.checkInvariants();
  }
}
