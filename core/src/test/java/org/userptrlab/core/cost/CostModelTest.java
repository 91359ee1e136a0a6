package org.userptrlab.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.userptrlab.mm.VmEvent;

/** What each counted kernel event costs under a profile: one figure per event, by the item it belongs to. */
class CostModelTest {
  /** A profile whose every figure is a distinct prime, so that a wrong figure cannot price right. */
  private static final PlatformProfile P = profile(Parameter.LLC_BYTES, 1 << 20);

  private static PlatformProfile profile(Parameter changed, double value) {
    PlatformProfile.Builder b = PlatformProfile.builder("test", "figures for the test");
    double[] primes = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167, 173, 179, 181, 191, 193, 197, 199, 211, 223, 227, 229};
    for (Parameter p : Parameter.values()) {
      // A CPU's own cache is no larger than the LLC: the LLC a size past any other unless it is the one changed.
      b.set(p, p == changed ? value : p == Parameter.LLC_BYTES ? 1 << 26 : primes[p.ordinal()], "test");
    }
    return b.build();
  }

  private static Cost price(long ioctls, Object... events) {
    Map<VmEvent, Long> delta = new EnumMap<>(VmEvent.class);
    for (int i = 0; i < events.length; i += 2) {
      delta.put((VmEvent) events[i], ((Number) events[i + 1]).longValue());
    }
    return CostModel.price(delta, ioctls, P);
  }

  private static void only(Cost c, CostItem item, double ns) {
    for (CostItem i : CostItem.values()) {
      assertThat(c.ns(i)).as(i.label()).isCloseTo(i == item ? ns : 0, within(1e-6));
    }
    assertThat(c.totalNs()).isCloseTo(ns, within(1e-6));
  }

  @Test
  void eachCountedEventIsPricedByItsOwnFigure() {
    only(price(0, VmEvent.PGFAULT, 3), CostItem.FAULTS, 3 * P.get(Parameter.FAULT));
    // Of five faults, two the kernel took for itself, without a trap.
    only(price(0, VmEvent.PGFAULT, 5, VmEvent.KERNEL_FAULTS, 2), CostItem.FAULTS, 3 * P.get(Parameter.FAULT));
    only(price(0, VmEvent.PGFAULT, 2, VmEvent.PAGE_MKWRITE, 2), CostItem.FAULTS, 2 * P.get(Parameter.FAULT)
        + 2 * P.get(Parameter.PAGE_MKWRITE));
    only(price(0, VmEvent.PGALLOC, 2, VmEvent.PGFREE, 5), CostItem.PAGE_ALLOC_FREE,
        2 * P.get(Parameter.PAGE_ALLOC) + 5 * P.get(Parameter.PAGE_FREE));
    // Of five pages freed, two at a pin's or a reference's release, alone.
    only(price(0, VmEvent.PGFREE, 5, VmEvent.PUT_FREED, 2), CostItem.PAGE_ALLOC_FREE,
        3 * P.get(Parameter.PAGE_FREE) + 2 * P.get(Parameter.PUT_FREE));
    only(price(0, VmEvent.GUP_FAST_PAGES, 4, VmEvent.GUP_SLOW_PAGES, 6), CostItem.GUP,
        4 * P.get(Parameter.GUP_FAST) + 6 * P.get(Parameter.GUP_SLOW));
    // hmm_range_fault's walk of pages already present: gup_fast's walk, without the reference.
    only(price(0, VmEvent.HMM_RANGE_PAGES, 7), CostItem.GUP, 7 * P.get(Parameter.GUP_FAST));
    only(price(0, VmEvent.ZAP_PTE, 2, VmEvent.WRPROTECT_PTE, 3, VmEvent.FORK_PTE, 4), CostItem.PTE_UPDATES,
        2 * P.get(Parameter.ZAP) + 3 * P.get(Parameter.WRPROTECT) + 4 * P.get(Parameter.FORK_PTE));
    only(price(0, VmEvent.NR_TLB_LOCAL_FLUSH_ONE, 1, VmEvent.NR_TLB_LOCAL_FLUSH_ALL, 2, VmEvent.NR_TLB_REMOTE_FLUSH, 3,
        VmEvent.NR_TLB_REMOTE_FLUSH_RECEIVED, 4), CostItem.TLB_FLUSHES, P.get(Parameter.TLB_FLUSH_ONE)
        + 2 * P.get(Parameter.TLB_FLUSH_ALL) + 3 * P.get(Parameter.TLB_SHOOTDOWN) + 4 * P.get(Parameter.TLB_IPI_RECEIVED));
    only(price(0, VmEvent.TLB_FLUSHED_PAGES, 7), CostItem.TLB_REFILLS, 7 * P.get(Parameter.TLB_REFILL));
    // A page walk that sets an old PTE's accessed bit, beside the walks after a flush.
    only(price(0, VmEvent.TLB_FLUSHED_PAGES, 2, VmEvent.PTE_FIRST_TOUCH, 5), CostItem.TLB_REFILLS,
        2 * P.get(Parameter.TLB_REFILL) + 5 * P.get(Parameter.FIRST_TOUCH));
    only(price(0, VmEvent.PSWPIN, 1, VmEvent.PSWPOUT, 2), CostItem.SWAP_IO, P.get(Parameter.SWAP_IN) + 2 * P.get(Parameter.SWAP_IO));
    // A page reclaim isolated and put back, unable to take it (no swap slot): CPU time, not I/O.
    only(price(0, VmEvent.RECLAIM_PUTBACK, 3), CostItem.RECLAIM, 3 * P.get(Parameter.RECLAIM_PUTBACK));
    only(price(0, VmEvent.MMU_NOTIFIER_INVALIDATE, 9), CostItem.NOTIFIERS, 9 * P.get(Parameter.NOTIFIER));
    only(price(4), CostItem.IOCTLS, 4 * P.get(Parameter.IOCTL));
    only(price(0, VmEvent.SYSCALLS, 5), CostItem.SYSCALLS, 5 * P.get(Parameter.SYSCALL));
    only(price(0, VmEvent.VMA_CHANGES, 3), CostItem.VMA_CHANGES, 3 * P.get(Parameter.VMA_CHANGE));
    only(price(0, VmEvent.PAGECACHE_REMOVED, 4), CostItem.PAGE_CACHE, 4 * P.get(Parameter.TRUNCATE));
    only(price(0, VmEvent.FILE_PAGES_WRITTEN, 3), CostItem.PAGE_CACHE, 3 * P.get(Parameter.FILE_WRITE));
    only(price(0), CostItem.MEMCPY, 0);
    // A fork's own process, a swap entry's zap and a pin's release, each beside the figures it joins.
    only(price(0, VmEvent.SYSCALLS, 2, VmEvent.FORKS, 1), CostItem.SYSCALLS, 2 * P.get(Parameter.SYSCALL) + P.get(Parameter.FORK));
    only(price(0, VmEvent.ZAP_PTE, 2, VmEvent.ZAP_SWAP_PTE, 3), CostItem.PTE_UPDATES, 2 * P.get(Parameter.ZAP)
        + 3 * P.get(Parameter.SWAP_FREE));
    only(price(0, VmEvent.GUP_SLOW_PAGES, 4, VmEvent.NR_FOLL_PIN_RELEASED, 4), CostItem.GUP, 4 * P.get(Parameter.GUP_SLOW)
        + 4 * P.get(Parameter.UNPIN));
    // A plain reference's put_page, as a pin's release.
    only(price(0, VmEvent.FOLL_GET_RELEASED, 3, VmEvent.NR_FOLL_PIN_RELEASED, 2), CostItem.GUP, 5 * P.get(Parameter.UNPIN));
  }

  /**
   * A page between RAM and the GPU's memory costs migration's unmap and remap; one coming back also its
   * bytes over the GPU's link as the GPU writes them (GPU_DMA_WRITE), which the CPU fault waits for (those a GPU fault
   * moves in are the GPU job's).
   */
  @Test
  void aPageMovedToOrFromDeviceMemoryCostsAMigrationAndOneComingBackItsBytesOverTheLink() {
    only(price(0, VmEvent.MIGRATE_TO_DEVICE, 3, VmEvent.MIGRATE_TO_RAM, 2), CostItem.DEVICE_MIGRATION,
        5 * P.get(Parameter.MIGRATE) + 2 * 4096 / P.get(Parameter.GPU_DMA_WRITE));
  }

  /** A copy within the last-level cache runs at cache bandwidth; what exceeds it at DRAM bandwidth. */
  @Test
  void copiesAndClearsArePricedByWhereTheBytesFit() {
    double llc = P.get(Parameter.LLC_BYTES);
    only(price(0, VmEvent.COPY_BYTES, 4096, VmEvent.COPY_CALLS, 1), CostItem.MEMCPY, 4096 / P.get(Parameter.MEMCPY_CACHE));
    long big = (long) llc * 3;
    only(price(0, VmEvent.COPY_BYTES, big, VmEvent.COPY_CALLS, 1), CostItem.MEMCPY,
        llc / P.get(Parameter.MEMCPY_CACHE) + (big - llc) / P.get(Parameter.MEMCPY_DRAM));
    only(price(0, VmEvent.COPY_BYTES, big, VmEvent.COPY_CALLS, 3), CostItem.MEMCPY,
        3 * (llc / P.get(Parameter.MEMCPY_CACHE)));
    only(price(0, VmEvent.ZERO_FILL, 2), CostItem.PAGE_CLEARING, 8192 / P.get(Parameter.MEMSET_CACHE));
    long pages = (long) llc / 4096 * 2;
    only(price(0, VmEvent.ZERO_FILL, pages), CostItem.PAGE_CLEARING,
        llc / P.get(Parameter.MEMSET_CACHE) + llc / P.get(Parameter.MEMSET_DRAM));
  }

  /**
   * A program's check of bytes reads back from its CPU's own cache as much as fits there, at the rate of a check of
   * a buffer just filled, and the rest at USER_CHECK's: each check by its own size.
   */
  @Test
  void aCheckReadsWhatFitsInTheCpusOwnCacheAtItsRate() {
    PlatformProfile q = profile(Parameter.CPU_CACHE_BYTES, 1 << 20);
    double cached = q.get(Parameter.USER_CHECK_CACHE);
    double beyond = q.get(Parameter.USER_CHECK);
    assertThat(checked(q, 64 << 10, 1)).isCloseTo((64 << 10) / cached, within(1e-6));
    assertThat(checked(q, 4 << 20, 1)).isCloseTo((1 << 20) / cached + (3 << 20) / beyond, within(1e-6));
    assertThat(checked(q, 4 << 20, 4)).as("four checks of 1 MiB").isCloseTo(4 * (1 << 20) / cached, within(1e-6));
    assertThat(checked(q, 4 << 20, 1)).as("dearer than four checks of a quarter").isGreaterThan(checked(q, 4 << 20, 4));
  }

  private static double checked(PlatformProfile q, long bytes, long checks) {
    return CostModel.price(Map.of(VmEvent.USER_BYTES_CHECKED, bytes, VmEvent.USER_CHECKS, checks), 0, q).ns(CostItem.PROGRAM_BYTES);
  }

  /**
   * A compaction of all memory costs the walk of the machine's memory (COMPACT_MEMORY), which the model's machine, holding
   * the program alone, does not have, beside each page it moves for the program; a fault's direct compaction is no such walk.
   */
  @Test
  void aCompactionOfAllMemoryCostsTheMachinesWalkBesideThePagesItMoves() {
    only(price(0, VmEvent.COMPACT_NODES, 2), CostItem.COMPACTION, 2 * P.get(Parameter.COMPACT_MEMORY));
    Cost c = price(0, VmEvent.COMPACT_NODES, 1, VmEvent.PGMIGRATE_SUCCESS, 3);
    assertThat(c.ns(CostItem.COMPACTION)).isEqualTo(P.get(Parameter.COMPACT_MEMORY));
    assertThat(c.ns(CostItem.COW_COPIES)).isCloseTo(3 * (4096 / P.get(Parameter.MEMCPY_CACHE) + P.get(Parameter.MIGRATE)),
        within(1e-6));
    only(price(0, VmEvent.COMPACT_STALL, 1), CostItem.COMPACTION, 0);
  }

  /** A COW copy, a fork copy and a migration each copy one page; a migration also pays its unmap and remap. */
  @Test
  void pageCopiesAndMigrationsArePricedPerPage() {
    double page = 4096 / P.get(Parameter.MEMCPY_CACHE);
    only(price(0, VmEvent.COW_COPY, 2, VmEvent.FORK_COPY, 3), CostItem.COW_COPIES, 5 * page);
    only(price(0, VmEvent.PGMIGRATE_SUCCESS, 2), CostItem.COW_COPIES, 2 * page + 2 * P.get(Parameter.MIGRATE));
  }

  @Test
  void aProfileMustGiveEveryFigureWithItsSource() {
    assertThatThrownBy(() -> PlatformProfile.builder("x", "y").build()).hasMessageContaining("lacks a figure");
    assertThatThrownBy(() -> new Figure(-1, "s")).hasMessageContaining("non-negative");
    assertThatThrownBy(() -> new Figure(Double.NaN, "s")).hasMessageContaining("finite");
    assertThatThrownBy(() -> new Figure(1, " ")).hasMessageContaining("where it comes from");
    assertThatThrownBy(() -> new PlatformProfile("Bad Name", "d", P.figures())).isInstanceOf(IllegalArgumentException.class);
    assertThat(Profiles.byName("exynos4-2012")).contains(Profiles.EXYNOS4_2012);
    assertThat(Profiles.byName("nope")).isEmpty();
    assertThat(Profiles.names()).containsExactly("exynos4-2012", "x86-desktop-2012", "epyc-guest-2026", "pcie5-dgpu-2026");
    for (PlatformProfile p : Profiles.all()) {
      assertThat(p.figures()).hasSize(Parameter.values().length);
      p.figures().forEach((param, f) -> assertThat(f.source()).as("%s %s", p.name(), param).isNotBlank());
    }
  }
}
