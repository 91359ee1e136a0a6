package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.Foll.FOLL_LONGTERM;
import static org.userptrlab.mm.Foll.FOLL_WRITE;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;

import org.junit.jupiter.api.Test;
import org.userptrlab.mm.MachineConfig.ThpDefrag;

/**
 * transparent_hugepage/defrag (mm/huge_memory.c: vma_thp_gfp_mask): whether a THP fault with no
 * free huge block compacts, wakes kcompactd or falls back, per setting and per kernel default.
 */
class ThpDefragTest {
  private static final long THP = 2 * MiB;

  private static Machine machine(KernelConfig k, MachineConfig.Thp thp, ThpDefrag defrag) {
    return new Machine(MachineConfig.builder().ram(32 * MiB).kernel(k).thp(thp).thpDefrag(defrag).build());
  }

  /** Small pages over all of memory but a little, then every other one freed: half of memory free, no aligned 2 MiB block. */
  static Process fragment(Machine m) {
    Process hog = m.spawn("hog");
    long size = 32 * MiB;
    long area = hog.mmap(0, size, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    hog.madvise(area, size, Mman.MADV_NOHUGEPAGE);
    long end = area;
    while (m.mem.freePages() > 256) {
      hog.store(end, (byte) 1);
      end += PAGE;
    }
    for (long a = area; a < end; a += 2 * PAGE) {
      hog.munmap(a, PAGE);
    }
    return hog;
  }

  private static long aligned(Process p, boolean madvise) {
    long area = p.mmap(0, 2 * THP, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    long buf = (area + THP) & -THP;
    if (madvise) {
      p.madvise(buf, THP, Mman.MADV_HUGEPAGE);
    }
    return buf;
  }

  @Test
  void onAModernKernelAMadvisedFaultCompactsFragmentedMemoryIntoAThpByDefault() {
    Machine m = machine(KernelConfig.LINUX_6_12, MachineConfig.Thp.MADVISE, null);
    assertThat(m.config().thpDefrag()).isEqualTo(ThpDefrag.MADVISE);
    Process hog = fragment(m);
    long hogPages = hog.rssParts().anon();
    Process p = m.spawn("p");
    long buf = aligned(p, true);
    p.store(buf, (byte) 1);
    assertThat(p.anonHugePages(buf)).isEqualTo(THP);
    assertThat(hog.rssParts().anon()).as("compaction moved the hog's pages; reclaim took none").isEqualTo(hogPages);
    assertThat(m.vmstat().get(VmEvent.COMPACT_STALL)).isEqualTo(1);
    assertThat(m.vmstat().get(VmEvent.COMPACT_SUCCESS)).isEqualTo(1);
    m.checkInvariants();
  }

  @Test
  void withDefragNeverTheSameFaultFallsBackToASmallPage() {
    Machine m = machine(KernelConfig.LINUX_6_12, MachineConfig.Thp.MADVISE, ThpDefrag.NEVER);
    fragment(m);
    Process p = m.spawn("p");
    long buf = aligned(p, true);
    p.store(buf, (byte) 1);
    assertThat(p.anonHugePages(buf)).isZero();
    assertThat(m.vmstat().get(VmEvent.THP_FAULT_FALLBACK)).isEqualTo(1);
    assertThat(m.vmstat().get(VmEvent.COMPACT_STALL)).isZero();
    m.checkInvariants();
  }

  @Test
  void withThpAlwaysAFaultOutsideMadviseDoesNotStallOnAModernKernelButDidBefore46() {
    for (KernelConfig k : new KernelConfig[] {KernelConfig.LINUX_6_12, KernelConfig.parse("4.5")}) {
      Machine m = machine(k, MachineConfig.Thp.ALWAYS, null);
      fragment(m);
      Process p = m.spawn("p");
      long buf = aligned(p, false);
      p.store(buf, (byte) 1);
      boolean stalls = !k.has(KernelChange.THP_DEFRAG_MADVISE);
      assertThat(m.config().thpDefrag()).isEqualTo(stalls ? ThpDefrag.ALWAYS : ThpDefrag.MADVISE);
      assertThat(p.anonHugePages(buf)).as("%s", k).isEqualTo(stalls ? THP : 0);
      assertThat(m.vmstat().get(VmEvent.COMPACT_STALL)).as("%s", k).isEqualTo(stalls ? 1 : 0);
      assertThat(m.vmstat().get(VmEvent.COMPACT_NODES)).as("a fault's direct compaction is no write to compact_memory").isZero();
      m.checkInvariants();
    }
  }

  @Test
  void deferFallsBackAtOnceAndKcompactdLeavesAHugeBlockForTheNextFault() {
    Machine m = machine(KernelConfig.LINUX_6_12, MachineConfig.Thp.ALWAYS, ThpDefrag.DEFER);
    fragment(m);
    Process p = m.spawn("p");
    long first = aligned(p, true);
    p.store(first, (byte) 1);
    assertThat(p.anonHugePages(first)).as("the faulting thread does not wait").isZero();
    assertThat(m.vmstat().get(VmEvent.COMPACT_DAEMON_WAKE)).isEqualTo(1);
    long second = aligned(p, true);
    p.store(second, (byte) 1);
    assertThat(p.anonHugePages(second)).isEqualTo(THP);
    m.checkInvariants();
  }

  @Test
  void deferMadviseStallsInMadvisedRegionsAndWakesKcompactdElsewhere() {
    Machine m = machine(KernelConfig.LINUX_6_12, MachineConfig.Thp.ALWAYS, ThpDefrag.DEFER_MADVISE);
    fragment(m);
    Process p = m.spawn("p");
    long plain = aligned(p, false);
    p.store(plain, (byte) 1);
    assertThat(p.anonHugePages(plain)).isZero();
    assertThat(m.vmstat().get(VmEvent.COMPACT_DAEMON_WAKE)).isEqualTo(1);
    assertThat(m.vmstat().get(VmEvent.COMPACT_STALL)).isZero();
    Machine n = machine(KernelConfig.LINUX_6_12, MachineConfig.Thp.ALWAYS, ThpDefrag.DEFER_MADVISE);
    fragment(n);
    Process q = n.spawn("q");
    long madvised = aligned(q, true);
    q.store(madvised, (byte) 1);
    assertThat(q.anonHugePages(madvised)).isEqualTo(THP);
    assertThat(n.vmstat().get(VmEvent.COMPACT_STALL)).isEqualTo(1);
  }

  @Test
  void pinnedPagesScatteredOverMemoryDefeatCompactionAndAFailureDefersTheNextAttempts() {
    Machine m = machine(KernelConfig.LINUX_6_12, MachineConfig.Thp.MADVISE, null);
    Process hog = fragment(m);
    // One long-term pin in every 2 MiB block: nothing there can move, so no block can be emptied.
    long[] pinnedAt = new long[(int) (m.mem.nrFrames / (THP / PAGE))];
    java.util.List<PageRefs> pins = new java.util.ArrayList<>();
    for (int pfn = MemMap.ZERO_PFN + 1; pfn < m.mem.nrFrames; pfn++) {
      int block = (int) (pfn / (THP / PAGE));
      if (pinnedAt[block] == 0 && m.mem.pageAnon(pfn) && m.mem.mapcount[pfn] == 1) {
        long addr = m.rmap.mappings(pfn).get(0)[1];
        pins.add(m.kernel().pinUserPages(hog, addr, 1, FOLL_WRITE | FOLL_LONGTERM));
        pinnedAt[block] = addr;
      }
    }
    Process p = m.spawn("p");
    long buf = aligned(p, true);
    p.store(buf, (byte) 1);
    assertThat(p.anonHugePages(buf)).isZero();
    assertThat(m.vmstat().get(VmEvent.COMPACT_FAIL)).isEqualTo(1);
    long next = aligned(p, true);
    p.store(next, (byte) 1);
    assertThat(m.vmstat().get(VmEvent.COMPACT_STALL)).as("defer_compaction: the next attempt does not compact").isEqualTo(1);
    m.checkInvariants();
    pins.forEach(PageRefs::release);
  }

  @Test
  void aSizeSetToInheritFollowsTheTopLevelSettingAndTheTopLevelRefusesInherit() {
    Machine m = new Machine(MachineConfig.builder().ram(32 * MiB).thp(MachineConfig.Thp.ALWAYS)
        .thpSize(64 << 10, MachineConfig.Thp.INHERIT).thpSize(2 * MiB, MachineConfig.Thp.NEVER).build());
    assertThat(m.config().thpForOrder(4)).isEqualTo(MachineConfig.Thp.ALWAYS);
    assertThat(m.config().thpForOrder(MachineConfig.Thp.PMD_ORDER)).isEqualTo(MachineConfig.Thp.NEVER);
    Process p = m.spawn("p");
    long buf = aligned(p, false);
    p.store(buf, (byte) 1);
    assertThat(m.page((int) p.pagemap(buf)).folioPages()).isEqualTo(16);
    SignalExceptionAssert.errno(() -> MachineConfig.builder().thp(MachineConfig.Thp.INHERIT), Errno.EINVAL);
    assertThat(MachineConfig.builder().build().thpForOrder(MachineConfig.Thp.PMD_ORDER))
        .as("the PMD size inherits by default").isEqualTo(MachineConfig.Thp.MADVISE);
  }

  /** hugepages-<size>kB/enabled is 6.8's: before, a size's setting is nowhere, and the PMD size follows the top level. */
  @Test
  void beforeMultiSizeThpTheTopLevelSettingDecidesThePmdSize() {
    MachineConfig.Builder b = MachineConfig.builder().ram(32 * MiB).thp(MachineConfig.Thp.ALWAYS).thpSize(2 * MiB, MachineConfig.Thp.NEVER);
    assertThat(b.kernel(KernelConfig.parse("6.7")).build().thpForOrder(MachineConfig.Thp.PMD_ORDER)).isEqualTo(MachineConfig.Thp.ALWAYS);
    assertThat(b.kernel(KernelConfig.LINUX_6_12).build().thpForOrder(MachineConfig.Thp.PMD_ORDER)).isEqualTo(MachineConfig.Thp.NEVER);
    Machine m = new Machine(b.kernel(KernelConfig.parse("6.7")).build());
    Process p = m.spawn("p");
    long buf = aligned(p, false);
    p.store(buf, (byte) 1);
    assertThat(p.anonHugePages(buf)).isEqualTo(THP);
  }
}
