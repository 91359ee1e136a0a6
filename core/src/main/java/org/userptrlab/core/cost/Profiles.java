package org.userptrlab.core.cost;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The platform profiles. Where a figure was not measured on that hardware, it says so and why the
 * estimate is what it is; the comparison's conclusions are only as good as these numbers.
 */
public final class Profiles {
  private Profiles() {}

  /** A Cortex-A9 quad (Exynos 4412 class, 1.4 GHz, 1 MiB L2, LPDDR2), the board of the seed thread. */
  public static final PlatformProfile EXYNOS4_2012 = new PlatformProfile("exynos4-2012",
      "Exynos 4 class board of 2012: quad Cortex-A9 at 1.4 GHz, 1 MiB L2, LPDDR2-800", build(new Object[][] {
        {PlatformProfile.MEMCPY_CACHE, 2.4, "B/ns", "estimate: Cortex-A9 NEON copy within L2, about 1.7 bytes/cycle at 1.4 GHz"},
        {PlatformProfile.MEMCPY_DRAM, 1.0, "B/ns", "estimate: published single-thread memcpy on Exynos 4412 boards with LPDDR2 is near 1 GB/s"},
        {PlatformProfile.MEMSET_CACHE, 4.0, "B/ns", "estimate: stores only, about twice the copy rate within L2"},
        {PlatformProfile.MEMSET_DRAM, 1.8, "B/ns", "estimate: write-only DRAM traffic, just under twice the copy rate"},
        {PlatformProfile.LLC_BYTES, 1 << 20, "bytes", "Cortex-A9 MPCore L2 (PL310) of the Exynos 4412: 1 MiB"},
        {PlatformProfile.FAULT, 2000, "ns", "estimate: ARMv7 data abort entry/exit plus handle_mm_fault, about 2.8k cycles"},
        {PlatformProfile.PAGE_ALLOC, 400, "ns", "estimate: order-0 rmqueue on a per-CPU list, ~550 cycles"},
        {PlatformProfile.PAGE_FREE, 300, "ns", "estimate: free_hot_cold_page, ~400 cycles"},
        {PlatformProfile.GUP_FAST, 150, "ns", "estimate: 3.4 had no lockless gup on ARM; a page-table walk and get_page per page"},
        {PlatformProfile.GUP_SLOW, 600, "ns", "estimate: follow_page under mmap_sem, ~4x the walk"},
        {PlatformProfile.ZAP, 250, "ns", "estimate: zap_pte_range per present PTE incl. rmap and put_page"},
        {PlatformProfile.WRPROTECT, 120, "ns", "estimate: change_pte_range per PTE"},
        {PlatformProfile.FORK_PTE, 200, "ns", "estimate: copy_one_pte per PTE"},
        {PlatformProfile.TLB_FLUSH_ONE, 60, "ns", "estimate: TLBIMVAIS per page, broadcast in hardware"},
        {PlatformProfile.TLB_FLUSH_ALL, 300, "ns", "estimate: TLBIASIDIS plus the refills' first misses"},
        {PlatformProfile.TLB_SHOOTDOWN, 200, "ns", "Cortex-A9 MP broadcasts TLB maintenance in hardware (tlb_ops_need_broadcast() is false): no IPI, only the broadcast's completion"},
        {PlatformProfile.TLB_IPI_RECEIVED, 0, "ns", "no IPI is sent on Cortex-A9 MP (see tlb.shootdown)"},
        {PlatformProfile.TLB_REFILL, 60, "ns", "estimate: a hardware page-table walk hitting L2, per page touched again"},
        {PlatformProfile.IOCTL, 1000, "ns", "estimate: ARMv7 syscall round trip plus DRM ioctl dispatch"},
        {PlatformProfile.MIGRATE, 6000, "ns", "estimate: unmap, copy 4 KiB from DRAM and remap, per page"},
        {PlatformProfile.SWAP_IO, 200000, "ns", "estimate: a 4 KiB eMMC write or read of 2012"},
        {PlatformProfile.NOTIFIER, 300, "ns", "estimate: one invalidate callback"},
      }));

  /** An Ivy Bridge desktop (Core i7-3770 class, 8 MiB LLC, dual-channel DDR3-1600) with a PCIe GPU. */
  public static final PlatformProfile X86_DESKTOP_2012 = new PlatformProfile("x86-desktop-2012",
      "2012 desktop: Core i7-3770 class, 8 MiB LLC, dual-channel DDR3-1600, PCIe GPU", build(new Object[][] {
        {PlatformProfile.MEMCPY_CACHE, 20.0, "B/ns", "estimate: rep movsb within L2/LLC on Ivy Bridge (ERMSB), ~6 bytes/cycle at 3.4 GHz"},
        {PlatformProfile.MEMCPY_DRAM, 5.0, "B/ns", "estimate: single-thread memcpy beyond the LLC on dual-channel DDR3-1600 desktops measures 5-6 GB/s"},
        {PlatformProfile.MEMSET_CACHE, 30.0, "B/ns", "estimate: rep stosb within the caches"},
        {PlatformProfile.MEMSET_DRAM, 9.0, "B/ns", "estimate: write-only DRAM traffic on the same platform"},
        {PlatformProfile.LLC_BYTES, 8 << 20, "bytes", "Core i7-3770 shared L3: 8 MiB"},
        {PlatformProfile.FAULT, 500, "ns", "estimate: page fault entry/exit and handle_mm_fault on a 2012 kernel without KPTI, ~1.7k cycles"},
        {PlatformProfile.PAGE_ALLOC, 120, "ns", "estimate: order-0 allocation from the per-CPU lists"},
        {PlatformProfile.PAGE_FREE, 90, "ns", "estimate: order-0 free to the per-CPU lists"},
        {PlatformProfile.GUP_FAST, 40, "ns", "estimate: lockless get_user_pages_fast walk and get_page, per page"},
        {PlatformProfile.GUP_SLOW, 200, "ns", "estimate: follow_page_mask under mmap_sem, per page"},
        {PlatformProfile.ZAP, 100, "ns", "estimate: zap_pte_range per present PTE incl. rmap and freeing batch"},
        {PlatformProfile.WRPROTECT, 60, "ns", "estimate: change_pte_range per PTE"},
        {PlatformProfile.FORK_PTE, 80, "ns", "estimate: copy_one_pte per PTE"},
        {PlatformProfile.TLB_FLUSH_ONE, 60, "ns", "estimate: INVLPG, ~200 cycles"},
        {PlatformProfile.TLB_FLUSH_ALL, 250, "ns", "estimate: CR3 reload"},
        {PlatformProfile.TLB_SHOOTDOWN, 3000, "ns", "estimate: an x86 TLB shootdown IPI round trip to another core was several microseconds in 2012"},
        {PlatformProfile.TLB_IPI_RECEIVED, 1000, "ns", "estimate: the interrupted core's cost of taking the flush IPI"},
        {PlatformProfile.TLB_REFILL, 25, "ns", "estimate: a page walk hitting the caches, per page touched again"},
        {PlatformProfile.IOCTL, 200, "ns", "estimate: syscall round trip plus DRM ioctl dispatch, pre-KPTI"},
        {PlatformProfile.MIGRATE, 1500, "ns", "estimate: unmap, copy 4 KiB and remap, per page"},
        {PlatformProfile.SWAP_IO, 100000, "ns", "estimate: a 4 KiB SATA SSD write or read of 2012"},
        {PlatformProfile.NOTIFIER, 150, "ns", "estimate: one invalidate callback"},
      }));

  /**
   * The real kernel as measured on this project's reference machine (a 2-core EPYC guest):
   * per-page figures from its measurements in DESIGN.md, the rest estimates for that machine.
   */
  public static final PlatformProfile EPYC_GUEST = new PlatformProfile("epyc-guest-2026",
      "2-core AMD EPYC virtual machine running a modern kernel", build(new Object[][] {
        {PlatformProfile.MEMCPY_CACHE, 25.0, "B/ns", "estimate: rep movsb within L2 on Zen"},
        {PlatformProfile.MEMCPY_DRAM, 8.0, "B/ns", "estimate: one core's memcpy beyond L3 in a VM"},
        {PlatformProfile.MEMSET_CACHE, 40.0, "B/ns", "estimate"},
        {PlatformProfile.MEMSET_DRAM, 12.0, "B/ns", "estimate"},
        {PlatformProfile.LLC_BYTES, 16 << 20, "bytes", "estimate: the guest's share of an EPYC L3"},
        {PlatformProfile.FAULT, 800, "ns", "measured: first-touch fault ~1,150 ns per page (DESIGN.md), less ~350 ns of clearing"},
        {PlatformProfile.PAGE_ALLOC, 100, "ns", "estimate"},
        {PlatformProfile.PAGE_FREE, 80, "ns", "estimate"},
        {PlatformProfile.GUP_FAST, 62, "ns", "measured: pin ~62 ns per page (DESIGN.md)"},
        {PlatformProfile.GUP_SLOW, 250, "ns", "estimate"},
        {PlatformProfile.ZAP, 110, "ns", "measured: zap ~110 ns per page (DESIGN.md)"},
        {PlatformProfile.WRPROTECT, 68, "ns", "measured: write-protect ~68 ns per page (DESIGN.md)"},
        {PlatformProfile.FORK_PTE, 85, "ns", "measured: fork ~85 ns per page (DESIGN.md)"},
        {PlatformProfile.TLB_FLUSH_ONE, 100, "ns", "estimate: INVLPG in a guest"},
        {PlatformProfile.TLB_FLUSH_ALL, 400, "ns", "estimate"},
        {PlatformProfile.TLB_SHOOTDOWN, 4000, "ns", "estimate: IPIs in a VM exit to the hypervisor"},
        {PlatformProfile.TLB_IPI_RECEIVED, 1500, "ns", "estimate"},
        {PlatformProfile.TLB_REFILL, 40, "ns", "estimate: a nested page walk"},
        {PlatformProfile.IOCTL, 400, "ns", "estimate: syscall round trip with mitigations"},
        {PlatformProfile.MIGRATE, 1200, "ns", "estimate"},
        {PlatformProfile.SWAP_IO, 50000, "ns", "estimate: virtio block"},
        {PlatformProfile.NOTIFIER, 150, "ns", "estimate"},
      }));

  public static List<PlatformProfile> all() {
    return List.of(EXYNOS4_2012, X86_DESKTOP_2012, EPYC_GUEST);
  }

  public static PlatformProfile byName(String name) {
    for (PlatformProfile p : all()) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("no platform profile '" + name + "'; there are " + all().stream().map(PlatformProfile::name).toList());
  }

  private static Map<String, Figure> build(Object[][] rows) {
    Map<String, Figure> m = new LinkedHashMap<>();
    for (Object[] r : rows) {
      m.put((String) r[0], new Figure(((Number) r[1]).doubleValue(), (String) r[2], (String) r[3]));
    }
    return m;
  }
}
