package org.userptrlab.strategy.steal;

import org.userptrlab.core.spi.ImportNote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.userptrlab.testkit.StrategyRig;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.mm.Errno;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.MemFile;
import org.userptrlab.mm.Mman;
import org.userptrlab.mm.MmException;
import org.userptrlab.mm.Process;
import org.userptrlab.mm.VmEvent;

/** What drm_gem_from_userptr does to the program and the machine, as the thread described it. */
class StealStrategyTest {
  static final int PAGE = 4096;

  private Machine m;
  private StrategyRig rig;
  private Process p;

  private void boot(KernelConfig kernelConfig) {
    rig = new StrategyRig(StealStrategy.NAME, MachineConfig.builder().ram(64L << 20).cpus(4).kernel(kernelConfig).build());
    m = rig.m;
    p = rig.p;
  }

  private UserptrBacking imp(long addr, long size) {
    return rig.imp(addr, size);
  }

  private boolean gpuSees(UserptrBacking b, long seed, long pos) {
    return rig.gpuSees(b, seed, pos);
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.testkit.StrategyRig#ends")
  void theFullyCoveredPagesLeaveTheProcessAndTheEdgesAreCopied(KernelConfig kernelConfig) {
    boot(kernelConfig);
    long buf = p.malloc(1 << 20);
    p.fill(buf, 1 << 20, 1);
    long stolenPfn = p.pagemap(buf + PAGE);

    UserptrBacking b = imp(buf, 1 << 20);

    // malloc's pointer sits 16 bytes into its mapping: the first page is an edge, copied, and stays.
    assertThat(p.pagemap(buf)).isNotEqualTo(-1);
    assertThat(p.pagemap(buf + PAGE)).as("a stolen page is no longer mapped").isEqualTo(-1);
    assertThat(p.matches(buf, PAGE - 16, 1)).as("the edge page keeps the program's bytes").isTrue();
    assertThat(p.read(buf + PAGE, 16)).as("the range's contents are gone").containsOnly((byte) 0);
    assertThat(gpuSees(b, 1, 0)).isTrue();
    assertThat(m.page((int) stolenPfn).mapcount()).isZero();
    b.release();
    p.free(buf);
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.testkit.StrategyRig#ends")
  void stealingCostsOneTlbShootdownForAProcessOnTwoCpus(KernelConfig kernelConfig) {
    boot(kernelConfig);
    p.runOn(0, 1);
    long buf = p.memalign(PAGE, 64 * PAGE);
    p.fill(buf, 64 * PAGE, 1);
    long ipis = m.vmstat().get(VmEvent.NR_TLB_REMOTE_FLUSH_RECEIVED);

    UserptrBacking b = imp(buf, 64 * PAGE);

    assertThat(m.vmstat().get(VmEvent.NR_TLB_REMOTE_FLUSH_RECEIVED)).isEqualTo(ipis + 1);
    assertThat(m.vmstat().get(VmEvent.ZAP_PTE)).isEqualTo(64);
    b.release();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.testkit.StrategyRig#ends")
  void aFileBackedRangeFallsBackToCopying(KernelConfig kernelConfig) {
    boot(kernelConfig);
    MemFile f = m.createFile("texture.raw", 16 * PAGE);
    m.fillFile(f, 0, 16 * PAGE, 3);
    long map = p.mmap(0, 16 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE, f, 0);

    UserptrBacking b = imp(map, 16 * PAGE);

    assertThat(b.notes()).extracting(ImportNote::kind).contains(ImportNote.Kind.FELL_BACK_TO_COPY);
    assertThat(p.matches(map, 16 * PAGE, 3)).isTrue();
    assertThat(gpuSees(b, 3, 0)).isTrue();
    b.release();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.testkit.StrategyRig#ends")
  void stolenPagesCannotBeMigratedForTheObjectsLife(KernelConfig kernelConfig) {
    boot(kernelConfig);
    long buf = p.memalign(PAGE, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    int pfn = (int) p.pagemap(buf);
    UserptrBacking b = imp(buf, 4 * PAGE);
    assertThatThrownBy(() -> m.kernel().migratePage(pfn)).isInstanceOfSatisfying(MmException.class,
        e -> assertThat(e.errno()).isEqualTo(Errno.EAGAIN));
    b.release();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.testkit.StrategyRig#ends")
  void aChildForkedBeforeTheImportKeepsItsCopy(KernelConfig kernelConfig) {
    boot(kernelConfig);
    long buf = p.memalign(PAGE, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    Process child = p.fork();

    UserptrBacking b = imp(buf, 4 * PAGE);
    child.fill(buf, 4 * PAGE, 2);

    // FOLL_WRITE broke COW before the pages were taken: the object and the child never share a page.
    assertThat(gpuSees(b, 1, 0)).isTrue();
    assertThat(child.matches(buf, 4 * PAGE, 2)).isTrue();
    b.release();
    m.checkInvariants();
  }

  private long anon(int pages) {
    long a = p.mmap(0, (long) pages * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    p.fill(a, (long) pages * PAGE, 1);
    return a;
  }

  private static String stole(UserptrBacking b) {
    return b.notes().stream().filter(n -> n.kind() == ImportNote.Kind.STOLE_PAGES).map(ImportNote::detail).findFirst().orElseThrow();
  }

  /** The whole pages go to the object and the program's range reads zero there; the edges are copied and stay the program's. */
  @ParameterizedTest
  @MethodSource("org.userptrlab.testkit.StrategyRig#ends")
  void theNoteSaysHowManyPagesWereStolenAndHowManyEdgeBytesCopied(KernelConfig kernelConfig) {
    boot(kernelConfig);
    long a = anon(4);
    UserptrBacking both = imp(a + 100, 3L * PAGE - 50);
    assertThat(stole(both)).isEqualTo("stole 2 pages, copied 4046 edge bytes");
    assertThat(gpuSees(both, 1, 100)).isTrue();
    assertThat(p.matches(a, 100, 1)).as("the head's bytes before the range").isTrue();
    assertThat(p.matches(a + PAGE, 2 * PAGE, 0)).isFalse();
    both.release();
    long b = anon(4);
    UserptrBacking headOnly = imp(b + 100, 2L * PAGE - 100);
    assertThat(stole(headOnly)).as("ends on a page boundary: no tail").isEqualTo("stole 1 pages, copied 3996 edge bytes");
    assertThat(gpuSees(headOnly, 1, 100)).isTrue();
    headOnly.release();
    long c = anon(2);
    UserptrBacking inOnePage = imp(c + 100, 100);
    assertThat(stole(inOnePage)).as("inside one page: nothing stolen").isEqualTo("stole 0 pages, copied 100 edge bytes");
    assertThat(gpuSees(inOnePage, 1, 100)).isTrue();
    assertThat(p.matches(c, 2L * PAGE, 1)).as("the program keeps the whole page").isTrue();
    inOnePage.release();
    m.checkInvariants();
  }

  /** A range that ends exactly where a read-only VMA begins is stolen: the next VMA is not part of it. */
  @ParameterizedTest
  @MethodSource("org.userptrlab.testkit.StrategyRig#ends")
  void aRangeEndingAtAReadOnlyVmaIsStillStolen(KernelConfig kernelConfig) {
    boot(kernelConfig);
    long a = anon(4);
    p.mprotect(a + 2L * PAGE, 2L * PAGE, Mman.PROT_READ);
    UserptrBacking b = imp(a, 2L * PAGE);
    assertThat(b.notes()).extracting(ImportNote::kind).contains(ImportNote.Kind.STOLE_PAGES)
        .doesNotContain(ImportNote.Kind.FELL_BACK_TO_COPY);
    assertThat(stole(b)).isEqualTo("stole 2 pages, copied 0 edge bytes");
    b.release();
    m.checkInvariants();
  }

  /**
   * Out of memory while the pages are faulted in: get_user_pages takes fewer pages than asked, which
   * the driver refuses with EFAULT as i915 did; the edge copies go back, and a later import works.
   */
  @ParameterizedTest
  @MethodSource("org.userptrlab.testkit.StrategyRig#ends")
  void outOfMemoryMidwayGivesTheEdgeCopiesBack(KernelConfig kernelConfig) {
    rig = new StrategyRig(StealStrategy.NAME, MachineConfig.builder().ram(8L << 20).kernel(kernelConfig).build());
    m = rig.m;
    p = rig.p;
    long a = p.mmap(0, 8L * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    Process hog = m.spawn("hog");
    long left = m.freePages() - 3;
    long h = hog.mmap(0, left * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    hog.fill(h, left * PAGE, 2);
    long free = m.freePages();
    assertThatThrownBy(() -> imp(a + 100, 8L * PAGE - 200)).isInstanceOfSatisfying(MmException.class,
        e -> assertThat(e.errno()).isEqualTo(Errno.EFAULT));
    assertThat(m.freePages()).as("the edge pages went back").isGreaterThanOrEqualTo(free - 1);
    m.checkInvariants();
    hog.exit();
    UserptrBacking b = imp(a + 100, 8L * PAGE - 200);
    assertThat(stole(b)).isEqualTo("stole 6 pages, copied 7992 edge bytes");
    b.release();
    m.checkInvariants();
  }
}
