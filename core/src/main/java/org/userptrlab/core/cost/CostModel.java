package org.userptrlab.core.cost;

import static org.userptrlab.core.cost.Parameter.*;

import java.util.EnumMap;
import java.util.Map;
import org.userptrlab.mm.Page;
import org.userptrlab.mm.VmEvent;

/**
 * Turns what the memory manager counted during a run (a {@link VmEvent} delta) and the driver's
 * ioctls into simulated time under a {@link PlatformProfile}. Copies and clears are priced by
 * size: the part of one operation that fits the last-level cache at cache bandwidth, the rest at
 * DRAM bandwidth. The memory manager itself knows nothing of time.
 */
public final class CostModel {
  private CostModel() {}

  /** The counters the model prices: all a reading for {@link #priceNs} needs to hold (those the pricing asks for). */
  public static final java.util.List<VmEvent> PRICED = priced();

  private static java.util.List<VmEvent> priced() {
    java.util.EnumSet<VmEvent> asked = java.util.EnumSet.noneOf(VmEvent.class);
    price(e -> {
      asked.add(e);
      return 0;
    }, 0, Profiles.EPYC_GUEST, (item, ns) -> { });
    return java.util.List.copyOf(asked);
  }

  /** The time of each item, in nanoseconds. */
  public static Cost price(Map<VmEvent, Long> delta, long ioctls, PlatformProfile p) {
    Map<CostItem, Double> c = new EnumMap<>(CostItem.class);
    price(e -> delta.getOrDefault(e, 0L), ioctls, p, c::put);
    return new Cost(p, c);
  }

  /**
   * The time of the work counted between two readings of the counters (by {@link VmEvent#ordinal()}, of
   * which only the {@link #PRICED} ones are read), in nanoseconds: the same pricing as {@link #price(Map, long, PlatformProfile)}, with nothing built, for the
   * virtual clock's every call.
   */
  public static double priceNs(long[] before, long[] after, long ioctls, PlatformProfile p) {
    return priceNs(before, after, ioctls, p, null);
  }

  /**
   * As {@link #priceNs(long[], long[], long, PlatformProfile)}, adding to {@code io[0]} the part that is
   * a device's I/O the caller sleeps through (swap written and read back: io_schedule), its CPU free
   * for others meanwhile.
   */
  public static double priceNs(long[] before, long[] after, long ioctls, PlatformProfile p, double[] io) {
    double[] total = new double[1];
    price(e -> after[e.ordinal()] - before[e.ordinal()], ioctls, p, (item, ns) -> {
      total[0] += ns;
      if (io != null && item == CostItem.SWAP_IO) {
        io[0] += ns;
      }
    });
    return total[0];
  }

  /** A counter's movement. */
  private interface Delta {
    long n(VmEvent e);
  }

  private static void price(Delta d, long ioctls, PlatformProfile p, java.util.function.ObjDoubleConsumer<CostItem> out) {
    long copyBytes = d.n(VmEvent.COPY_BYTES);
    long copyCalls = Math.max(1, d.n(VmEvent.COPY_CALLS));
    out.accept(CostItem.MEMCPY, copyCalls * sized(copyBytes / (double) copyCalls, p.get(MEMCPY_CACHE), p.get(MEMCPY_DRAM), p));
    long cowPages = d.n(VmEvent.COW_COPY) + d.n(VmEvent.FORK_COPY) + d.n(VmEvent.PGMIGRATE_SUCCESS);
    out.accept(CostItem.COW_COPIES, cowPages * sized(Page.PAGE_SIZE, p.get(MEMCPY_CACHE), p.get(MEMCPY_DRAM), p)
        + d.n(VmEvent.PGMIGRATE_SUCCESS) * p.get(MIGRATE));
    long zeroPages = d.n(VmEvent.ZERO_FILL);
    out.accept(CostItem.PAGE_CLEARING, sized(zeroPages * (double) Page.PAGE_SIZE, p.get(MEMSET_CACHE), p.get(MEMSET_DRAM), p));
    // A fault the kernel takes for itself (get_user_pages, populate) has no trap: its page's allocation and clearing are
    // priced, and its walk with get_user_pages'.
    out.accept(CostItem.FAULTS, (d.n(VmEvent.PGFAULT) - d.n(VmEvent.KERNEL_FAULTS)) * p.get(FAULT)
        + d.n(VmEvent.PAGE_MKWRITE) * p.get(PAGE_MKWRITE));
    // A frame the run freed comes back warm, one another process freed just before the run less so; a page freed alone
    // at its last reference's put costs more than one of a zap's batch.
    out.accept(CostItem.PAGE_ALLOC_FREE, (d.n(VmEvent.PGALLOC) - d.n(VmEvent.PGALLOC_WARM) - d.n(VmEvent.PGALLOC_RECENT))
        * p.get(PAGE_ALLOC) + d.n(VmEvent.PGALLOC_WARM) * p.get(PAGE_ALLOC_WARM) + d.n(VmEvent.PGALLOC_RECENT) * p.get(PAGE_ALLOC_RECENT)
        + (d.n(VmEvent.PGFREE) - d.n(VmEvent.PUT_FREED)) * p.get(PAGE_FREE) + d.n(VmEvent.PUT_FREED) * p.get(PUT_FREE));
    // hmm_range_fault walks the page tables as gup_fast does (hmm_vma_walk_pmd), taking no reference. A reference
    // given back is one folio_put, a pin's (gup_put_folio) or a plain reference's (put_page).
    out.accept(CostItem.GUP, (d.n(VmEvent.GUP_FAST_PAGES) + d.n(VmEvent.HMM_RANGE_PAGES)) * p.get(GUP_FAST)
        + d.n(VmEvent.GUP_SLOW_PAGES) * p.get(GUP_SLOW)
        + (d.n(VmEvent.NR_FOLL_PIN_RELEASED) + d.n(VmEvent.FOLL_GET_RELEASED)) * p.get(UNPIN));
    out.accept(CostItem.PTE_UPDATES, d.n(VmEvent.ZAP_PTE) * p.get(ZAP) + d.n(VmEvent.WRPROTECT_PTE) * p.get(WRPROTECT)
        + d.n(VmEvent.FORK_PTE) * p.get(FORK_PTE) + d.n(VmEvent.ZAP_SWAP_PTE) * p.get(SWAP_FREE)
        + d.n(VmEvent.UNEVICTABLE_PGS_MLOCKED) * p.get(MLOCK) + d.n(VmEvent.UNEVICTABLE_PGS_MUNLOCKED) * p.get(MUNLOCK));
    out.accept(CostItem.TLB_FLUSHES, d.n(VmEvent.NR_TLB_LOCAL_FLUSH_ONE) * p.get(TLB_FLUSH_ONE)
        + d.n(VmEvent.NR_TLB_LOCAL_FLUSH_ALL) * p.get(TLB_FLUSH_ALL)
        + d.n(VmEvent.NR_TLB_REMOTE_FLUSH) * p.get(TLB_SHOOTDOWN)
        + d.n(VmEvent.NR_TLB_REMOTE_FLUSH_RECEIVED) * p.get(TLB_IPI_RECEIVED));
    // A page walk after a flush, and one that sets an old PTE's accessed bit.
    out.accept(CostItem.TLB_REFILLS, d.n(VmEvent.TLB_FLUSHED_PAGES) * p.get(TLB_REFILL)
        + d.n(VmEvent.PTE_FIRST_TOUCH) * p.get(FIRST_TOUCH));
    out.accept(CostItem.SWAP_IO, d.n(VmEvent.PSWPIN) * p.get(SWAP_IN) + d.n(VmEvent.PSWPOUT) * p.get(SWAP_IO));
    // A page written out has its isolation in SWAP_IO; one reclaim could not take, in this.
    out.accept(CostItem.RECLAIM, d.n(VmEvent.RECLAIM_PUTBACK) * p.get(RECLAIM_PUTBACK));
    out.accept(CostItem.NOTIFIERS, d.n(VmEvent.MMU_NOTIFIER_INVALIDATE) * p.get(NOTIFIER));
    out.accept(CostItem.IOCTLS, ioctls * p.get(IOCTL));
    // A page between RAM and the GPU's memory: unmapped and remapped as migration does; one coming back to RAM also
    // waits for its bytes over the GPU's link (migrate_to_ram copies in the fault). The bytes a GPU fault moves in are
    // the faulting job's wait, not the CPU's (GpuLease.migratedBytes).
    out.accept(CostItem.DEVICE_MIGRATION, d.n(VmEvent.MIGRATE_TO_DEVICE) * p.get(MIGRATE)
        + d.n(VmEvent.MIGRATE_TO_RAM) * (p.get(MIGRATE) + Page.PAGE_SIZE / p.get(GPU_DMA_WRITE)));
    // A check reads back from the CPU's own cache as much of what it checks as fits there: a program checks what it
    // has just written (a buffer filled, then read back), as memcpy's source is taken to be in the LLC up to its size.
    long checks = Math.max(1, d.n(VmEvent.USER_CHECKS));
    out.accept(CostItem.PROGRAM_BYTES, d.n(VmEvent.USER_BYTES_WRITTEN) / p.get(USER_WRITE)
        + checks * sized(d.n(VmEvent.USER_BYTES_CHECKED) / (double) checks, p.get(CPU_CACHE_BYTES), p.get(USER_CHECK_CACHE),
            p.get(USER_CHECK)));
    // What a call costs beyond the pages it touches: its entry and exit (a fork's, the process it makes), and each VMA
    // it makes or frees.
    out.accept(CostItem.SYSCALLS, d.n(VmEvent.SYSCALLS) * p.get(SYSCALL) + d.n(VmEvent.FORKS) * p.get(FORK));
    out.accept(CostItem.VMA_CHANGES, d.n(VmEvent.VMA_CHANGES) * p.get(VMA_CHANGE));
    // compact_nodes walks every zone of the machine: a real machine's memory, where the model's holds the program alone.
    // The pages it moves for the program are priced as migrations above.
    out.accept(CostItem.COMPACTION, d.n(VmEvent.COMPACT_NODES) * p.get(COMPACT_MEMORY));
    out.accept(CostItem.PAGE_CACHE, d.n(VmEvent.PAGECACHE_ADDED) * p.get(PAGECACHE_ADD) + d.n(VmEvent.PAGECACHE_REMOVED) * p.get(TRUNCATE)
        + d.n(VmEvent.FILE_PAGES_WRITTEN) * p.get(FILE_WRITE));
  }

  /** The time to move {@code bytes} in one operation: cache bandwidth up to the LLC's size, DRAM bandwidth past it. */
  static double sized(double bytes, double cacheBw, double dramBw, PlatformProfile p) {
    return sized(bytes, p.get(LLC_BYTES), cacheBw, dramBw);
  }

  /** The time to move {@code bytes}: {@code cacheBw} up to {@code cacheBytes}, {@code beyondBw} past them. */
  private static double sized(double bytes, double cacheBytes, double cacheBw, double beyondBw) {
    return Math.min(bytes, cacheBytes) / cacheBw + Math.max(0, bytes - cacheBytes) / beyondBw;
  }

  private static long n(Map<VmEvent, Long> delta, VmEvent e) {
    return delta.getOrDefault(e, 0L);
  }
}
