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

  /** The time of each item, in nanoseconds. */
  public static Cost price(Map<VmEvent, Long> delta, long ioctls, PlatformProfile p) {
    Map<CostItem, Double> c = new EnumMap<>(CostItem.class);
    long copyBytes = n(delta, VmEvent.COPY_BYTES);
    long copyCalls = Math.max(1, n(delta, VmEvent.COPY_CALLS));
    c.put(CostItem.MEMCPY, copyCalls * sized(copyBytes / (double) copyCalls, p.get(MEMCPY_CACHE), p.get(MEMCPY_DRAM), p));
    long cowPages = n(delta, VmEvent.COW_COPY) + n(delta, VmEvent.FORK_COPY) + n(delta, VmEvent.PGMIGRATE_SUCCESS);
    c.put(CostItem.COW_COPIES, cowPages * sized(Page.PAGE_SIZE, p.get(MEMCPY_CACHE), p.get(MEMCPY_DRAM), p)
        + n(delta, VmEvent.PGMIGRATE_SUCCESS) * p.get(MIGRATE));
    long zeroPages = n(delta, VmEvent.ZERO_FILL);
    c.put(CostItem.PAGE_CLEARING, sized(zeroPages * (double) Page.PAGE_SIZE, p.get(MEMSET_CACHE), p.get(MEMSET_DRAM), p));
    c.put(CostItem.FAULTS, n(delta, VmEvent.PGFAULT) * p.get(FAULT));
    c.put(CostItem.PAGE_ALLOC_FREE, n(delta, VmEvent.PGALLOC) * p.get(PAGE_ALLOC) + n(delta, VmEvent.PGFREE) * p.get(PAGE_FREE));
    c.put(CostItem.GUP, n(delta, VmEvent.GUP_FAST_PAGES) * p.get(GUP_FAST) + n(delta, VmEvent.GUP_SLOW_PAGES) * p.get(GUP_SLOW));
    c.put(CostItem.PTE_UPDATES, n(delta, VmEvent.ZAP_PTE) * p.get(ZAP) + n(delta, VmEvent.WRPROTECT_PTE) * p.get(WRPROTECT)
        + n(delta, VmEvent.FORK_PTE) * p.get(FORK_PTE));
    c.put(CostItem.TLB_FLUSHES, n(delta, VmEvent.NR_TLB_LOCAL_FLUSH_ONE) * p.get(TLB_FLUSH_ONE)
        + n(delta, VmEvent.NR_TLB_LOCAL_FLUSH_ALL) * p.get(TLB_FLUSH_ALL)
        + n(delta, VmEvent.NR_TLB_REMOTE_FLUSH) * p.get(TLB_SHOOTDOWN)
        + n(delta, VmEvent.NR_TLB_REMOTE_FLUSH_RECEIVED) * p.get(TLB_IPI_RECEIVED));
    c.put(CostItem.TLB_REFILLS, n(delta, VmEvent.TLB_FLUSHED_PAGES) * p.get(TLB_REFILL));
    c.put(CostItem.SWAP_IO, (n(delta, VmEvent.PSWPIN) + n(delta, VmEvent.PSWPOUT)) * p.get(SWAP_IO));
    c.put(CostItem.NOTIFIERS, n(delta, VmEvent.MMU_NOTIFIER_INVALIDATE) * p.get(NOTIFIER));
    c.put(CostItem.IOCTLS, ioctls * p.get(IOCTL));
    return new Cost(p, c);
  }

  /** The time to move {@code bytes} in one operation: cache bandwidth up to the LLC's size, DRAM bandwidth past it. */
  static double sized(double bytes, double cacheBw, double dramBw, PlatformProfile p) {
    double llc = p.get(LLC_BYTES);
    return Math.min(bytes, llc) / cacheBw + Math.max(0, bytes - llc) / dramBw;
  }

  private static long n(Map<VmEvent, Long> delta, VmEvent e) {
    return delta.getOrDefault(e, 0L);
  }
}
