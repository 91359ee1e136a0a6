package org.userptrlab.core.cost;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A machine's costs for the work the memory manager counts: the figures a {@link CostModel}
 * weighs the counters with. Each figure carries its source. Nanoseconds unless the unit says
 * otherwise; bandwidths in bytes per nanosecond (= GB/s).
 */
public record PlatformProfile(String name, String description, Map<String, Figure> figures) {
  public static final String MEMCPY_CACHE = "memcpy.cache";
  public static final String MEMCPY_DRAM = "memcpy.dram";
  public static final String MEMSET_CACHE = "memset.cache";
  public static final String MEMSET_DRAM = "memset.dram";
  public static final String LLC_BYTES = "llc.bytes";
  public static final String FAULT = "fault";
  public static final String PAGE_ALLOC = "page.alloc";
  public static final String PAGE_FREE = "page.free";
  public static final String GUP_FAST = "gup.fast";
  public static final String GUP_SLOW = "gup.slow";
  public static final String ZAP = "zap";
  public static final String WRPROTECT = "wrprotect";
  public static final String FORK_PTE = "fork.pte";
  public static final String TLB_FLUSH_ONE = "tlb.flush.one";
  public static final String TLB_FLUSH_ALL = "tlb.flush.all";
  public static final String TLB_SHOOTDOWN = "tlb.shootdown";
  public static final String TLB_IPI_RECEIVED = "tlb.ipi.received";
  public static final String TLB_REFILL = "tlb.refill";
  public static final String IOCTL = "ioctl";
  public static final String MIGRATE = "migrate";
  public static final String SWAP_IO = "swap.io";
  public static final String NOTIFIER = "notifier";

  /** Every figure a profile must have. */
  public static final List<String> KEYS = List.of(MEMCPY_CACHE, MEMCPY_DRAM, MEMSET_CACHE, MEMSET_DRAM, LLC_BYTES,
      FAULT, PAGE_ALLOC, PAGE_FREE, GUP_FAST, GUP_SLOW, ZAP, WRPROTECT, FORK_PTE, TLB_FLUSH_ONE, TLB_FLUSH_ALL,
      TLB_SHOOTDOWN, TLB_IPI_RECEIVED, TLB_REFILL, IOCTL, MIGRATE, SWAP_IO, NOTIFIER);

  public PlatformProfile {
    figures = new LinkedHashMap<>(figures);
    for (String k : KEYS) {
      if (!figures.containsKey(k)) {
        throw new IllegalArgumentException("profile " + name + " lacks figure " + k);
      }
    }
    figures = Map.copyOf(figures);
  }

  public double get(String key) {
    return figures.get(key).value();
  }
}
