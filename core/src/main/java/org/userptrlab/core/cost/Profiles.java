package org.userptrlab.core.cost;

import java.util.List;

/**
 * The platform profiles. Where a figure was not measured on that hardware, it says so and why the
 * estimate is what it is; the comparison's conclusions are only as good as these numbers.
 */
public final class Profiles {
  private Profiles() {}

  /** A Cortex-A9 quad (Exynos 4412 class, 1.4 GHz, 1 MiB L2, LPDDR2), the board of the seed thread. */
  public static final PlatformProfile EXYNOS4_2012 = PlatformProfile.builder("exynos4-2012",
      "Exynos 4 class board of 2012: quad Cortex-A9 at 1.4 GHz, 1 MiB L2, LPDDR2-800")
        .set(Parameter.MEMCPY_CACHE, 2.4, "estimate: Cortex-A9 NEON copy within L2, about 1.7 bytes/cycle at 1.4 GHz")
        .set(Parameter.MEMCPY_DRAM, 1.0, "estimate: published single-thread memcpy on Exynos 4412 boards with LPDDR2 is near 1 GB/s")
        .set(Parameter.MEMSET_CACHE, 4.0, "estimate: stores only, about twice the copy rate within L2")
        .set(Parameter.MEMSET_DRAM, 1.8, "estimate: write-only DRAM traffic, just under twice the copy rate")
        .set(Parameter.LLC_BYTES, 1 << 20, "Cortex-A9 MPCore L2 (PL310) of the Exynos 4412: 1 MiB")
        .set(Parameter.FAULT, 2000, "estimate: ARMv7 data abort entry/exit plus handle_mm_fault, about 2.8k cycles")
        .set(Parameter.PAGE_ALLOC, 400, "estimate: order-0 rmqueue on a per-CPU list, ~550 cycles")
        .set(Parameter.PAGE_ALLOC_WARM, 400, "estimate: PAGE_ALLOC's, which is a per-CPU list's page already")
        .set(Parameter.PAGE_ALLOC_RECENT, 400, "estimate: PAGE_ALLOC's, which is a per-CPU list's page already")
        .set(Parameter.PAGE_FREE, 300, "estimate: free_hot_cold_page, ~400 cycles")
        .set(Parameter.PUT_FREE, 450, "estimate: PAGE_FREE's and half as much again, the LRU lock and the memory cgroup's "
            + "uncharge a page freed alone takes for itself (put_page's __page_cache_release), which release_pages shares")
        .set(Parameter.GUP_FAST, 150, "estimate: 3.4 had no lockless gup on ARM; a page-table walk and get_page per page")
        .set(Parameter.GUP_SLOW, 600, "estimate: follow_page under mmap_sem, ~4x the walk")
        .set(Parameter.ZAP, 250, "estimate: zap_pte_range per present PTE incl. rmap and put_page")
        .set(Parameter.WRPROTECT, 120, "estimate: change_pte_range per PTE")
        .set(Parameter.MLOCK, 375, "estimate: the x86 desktop's figure two and a half times over, as zap_pte_range's")
        .set(Parameter.MUNLOCK, 200, "estimate: the x86 desktop's figure two and a half times over, as zap_pte_range's")
        .set(Parameter.FORK_PTE, 200, "estimate: copy_one_pte per PTE")
        .set(Parameter.FORK, 250_000, "estimate: a fork of a small dynamically linked program on a 2012 ARM board, a quarter of a millisecond")
        .set(Parameter.SWAP_FREE, 1500, "estimate: swap_free and the swap cache's page freed, about four times the desktop's")
        .set(Parameter.UNPIN, 150, "estimate: put_page per page at 1.4 GHz")
        .set(Parameter.TLB_FLUSH_ONE, 60, "estimate: TLBIMVAIS per page, broadcast in hardware")
        .set(Parameter.TLB_FLUSH_ALL, 300, "estimate: TLBIASIDIS plus the refills' first misses")
        .set(Parameter.TLB_SHOOTDOWN, 200, "Cortex-A9 MP broadcasts TLB maintenance in hardware (tlb_ops_need_broadcast() is false): no IPI, only the broadcast's completion")
        .set(Parameter.TLB_IPI_RECEIVED, 0, "no IPI is sent on Cortex-A9 MP (see tlb.shootdown)")
        .set(Parameter.TLB_REFILL, 60, "estimate: a hardware page-table walk hitting L2, per page touched again")
        .set(Parameter.IOCTL, 1000, "estimate: ARMv7 syscall round trip plus DRM ioctl dispatch")
        .set(Parameter.MIGRATE, 6000, "estimate: unmap, copy 4 KiB from DRAM and remap, per page")
        .set(Parameter.COMPACT_MEMORY, 2_000_000, "estimate: the scanners' walk of a 1 GiB board's "
            + "262,144 page frames (a page in use at a time, a free block at a step), about 8 ns a frame from LPDDR2")
        .set(Parameter.RECLAIM_PUTBACK, 800, "estimate: the x86 desktop's figure four times over, as a Cortex-A9's LRU "
            + "lock and page flags cost")
        .set(Parameter.SWAP_IO, 200000, "estimate: a 4 KiB eMMC write of 2012")
        .set(Parameter.SWAP_IN, 200000, "estimate: a 4 KiB eMMC read of 2012")
        .set(Parameter.NOTIFIER, 300, "estimate: one invalidate callback")
        .set(Parameter.GPU_DMA, 1.6, "estimate: the Mali-400 MP4 shares the LPDDR2-800 bus with the CPUs; about half its 3.2 GB/s")
        .set(Parameter.GPU_DMA_WRITE, 1.6, "estimate: GPU_DMA's; its writes go over the same shared bus")
        .set(Parameter.GPU_VRAM, 1.6, "the Mali-400 is integrated: no memory of its own, the shared bus's figure")
        .set(Parameter.GPU_FAULT, 100_000, "estimate: a Mali-400 has no recoverable page faults; a fault taken and the job resubmitted, a tenth of a millisecond")
        .set(Parameter.GPU_JOB, 50_000, "estimate: a job handed to the Mali-400 by its kernel driver and its completion interrupt taken, tens of microseconds")
        .set(Parameter.GPU_PREEMPT, 1_000_000, "estimate: a Mali-400 cannot preempt a job mid-way; a queue is off the engine when its job ends (up to a frame, 1 ms taken)")
        .set(Parameter.USER_WRITE, 0.8, "estimate: a word of the stream computed and stored every 10 cycles or so at 1.4 GHz")
        .set(Parameter.USER_CHECK, 0.7, "estimate: a word computed, loaded and compared every 11 cycles or so")
        .set(Parameter.USER_CHECK_CACHE, 0.7, "estimate: USER_CHECK's, the loop's own rate, which bytes in the cache do not slow")
        .set(Parameter.CPU_CACHE_BYTES, 32 << 10, "Cortex-A9 L1 data cache: 32 KiB a core (the L2 is shared)")
        .set(Parameter.SYSCALL, 400, "estimate: an ARMv7 svc entry and return, about 550 cycles at 1.4 GHz")
        .set(Parameter.VMA_CHANGE, 2500, "estimate: mmap or munmap of an untouched page on 3.4's rbtree of VMAs, about four "
            + "times the desktop's")
        .set(Parameter.TRUNCATE, 1000, "estimate: a page's removal from the page cache and the LRU, about four times the "
            + "desktop's")
        .set(Parameter.PAGE_MKWRITE, 2000, "estimate: the x86 desktop's figure two and a half times over")
        .set(Parameter.PAGECACHE_ADD, 1000, "estimate: TRUNCATE's, the addition's counterpart")
        .set(Parameter.FILE_WRITE, 2750, "estimate: the x86 desktop's figure two and a half times over")
        .set(Parameter.FIRST_TOUCH, 1000, "estimate: ARMv7 without LPAE keeps the accessed bit in software (L_PTE_YOUNG) and "
            + "leaves an old PTE invalid to the MMU (cpu_v7_set_pte_ext), so the first access takes a fault that makes it young "
            + "(handle_pte_fault), with nothing to allocate: half a fault")
        .build();

  /** An Ivy Bridge desktop (Core i7-3770 class, 8 MiB LLC, dual-channel DDR3-1600) with a PCIe GPU. */
  public static final PlatformProfile X86_DESKTOP_2012 = PlatformProfile.builder("x86-desktop-2012",
      "2012 desktop: Core i7-3770 class, 8 MiB LLC, dual-channel DDR3-1600, PCIe GPU")
        .set(Parameter.MEMCPY_CACHE, 20.0, "estimate: rep movsb within L2/LLC on Ivy Bridge (ERMSB), ~6 bytes/cycle at 3.4 GHz")
        .set(Parameter.MEMCPY_DRAM, 5.0, "estimate: single-thread memcpy beyond the LLC on dual-channel DDR3-1600 desktops measures 5-6 GB/s")
        .set(Parameter.MEMSET_CACHE, 30.0, "estimate: rep stosb within the caches")
        .set(Parameter.MEMSET_DRAM, 9.0, "estimate: write-only DRAM traffic on the same platform")
        .set(Parameter.LLC_BYTES, 8 << 20, "Core i7-3770 shared L3: 8 MiB")
        .set(Parameter.FAULT, 500, "estimate: page fault entry/exit and handle_mm_fault on a 2012 kernel without KPTI, ~1.7k cycles")
        .set(Parameter.PAGE_ALLOC, 120, "estimate: order-0 allocation from the per-CPU lists")
        .set(Parameter.PAGE_ALLOC_WARM, 120, "estimate: PAGE_ALLOC's, which is a per-CPU list's page already")
        .set(Parameter.PAGE_ALLOC_RECENT, 120, "estimate: PAGE_ALLOC's, which is a per-CPU list's page already")
        .set(Parameter.PAGE_FREE, 90, "estimate: order-0 free to the per-CPU lists")
        .set(Parameter.PUT_FREE, 135, "estimate: PAGE_FREE's and half as much again, the LRU lock and the memory cgroup's "
            + "uncharge a page freed alone takes for itself (put_page's __page_cache_release), which release_pages shares")
        .set(Parameter.GUP_FAST, 40, "estimate: lockless get_user_pages_fast walk and get_page, per page")
        .set(Parameter.GUP_SLOW, 200, "estimate: follow_page_mask under mmap_sem, per page")
        .set(Parameter.ZAP, 100, "estimate: zap_pte_range per present PTE incl. rmap and freeing batch")
        .set(Parameter.WRPROTECT, 60, "estimate: change_pte_range per PTE")
        .set(Parameter.MLOCK, 150, "estimate: mlock_vma_page's LRU isolation and putback per page (a pagevec drained at a time)")
        .set(Parameter.MUNLOCK, 80, "estimate: munlock_vma_page's putback per page, without the isolation")
        .set(Parameter.FORK_PTE, 80, "estimate: copy_one_pte per PTE")
        .set(Parameter.FORK, 80_000, "estimate: a fork of a small dynamically linked program on a 2012 desktop, about 80 us")
        .set(Parameter.SWAP_FREE, 400, "estimate: swap_free under swap_lock, and the swap cache's page freed")
        .set(Parameter.UNPIN, 40, "estimate: put_page per page")
        .set(Parameter.TLB_FLUSH_ONE, 60, "estimate: INVLPG, ~200 cycles")
        .set(Parameter.TLB_FLUSH_ALL, 250, "estimate: CR3 reload")
        .set(Parameter.TLB_SHOOTDOWN, 3000, "estimate: an x86 TLB shootdown IPI round trip to another core was several microseconds in 2012")
        .set(Parameter.TLB_IPI_RECEIVED, 1000, "estimate: the interrupted core's cost of taking the flush IPI")
        .set(Parameter.TLB_REFILL, 25, "estimate: a page walk hitting the caches, per page touched again")
        .set(Parameter.IOCTL, 200, "estimate: syscall round trip plus DRM ioctl dispatch, pre-KPTI")
        .set(Parameter.MIGRATE, 1500, "estimate: unmap, copy 4 KiB and remap, per page")
        .set(Parameter.COMPACT_MEMORY, 2_500_000, "estimate: the scanners' walk of 8 GiB's two million page "
            + "frames (a page in use at a time, a free block at a step), about 1.2 ns a frame")
        .set(Parameter.RECLAIM_PUTBACK, 200, "estimate: the modern guest's figure, a little over")
        .set(Parameter.SWAP_IO, 100000, "estimate: a 4 KiB SATA SSD write of 2012")
        .set(Parameter.SWAP_IN, 100000, "estimate: a 4 KiB SATA SSD read of 2012")
        .set(Parameter.NOTIFIER, 150, "estimate: one invalidate callback")
        .set(Parameter.GPU_DMA, 12.0, "estimate: PCIe 3.0 x16, 15.75 GB/s raw, about 12 GB/s of DMA reads in practice")
        .set(Parameter.GPU_DMA_WRITE, 12.0, "estimate: PCIe 3.0 x16 posted writes, about its reads' 12 GB/s in practice")
        .set(Parameter.GPU_JOB, 30_000, "estimate: an execbuffer ioctl of 2012 (relocations, the ring's tail written) and its seqno's interrupt")
        .set(Parameter.GPU_VRAM, 150.0, "estimate: a 2012 discrete GPU's GDDR5, 150 to 190 GB/s")
        .set(Parameter.GPU_FAULT, 50_000, "estimate: 2012 GPUs had no recoverable page faults; the figure of a fault taken by the driver and the job resubmitted")
        .set(Parameter.GPU_PREEMPT, 100_000, "estimate: mid-batch preemption of 2012 GPUs took tens to hundreds of microseconds")
        .set(Parameter.USER_WRITE, 2.5, "estimate: a word of the stream (a few multiplies) computed and stored every 4 cycles or so at 3.4 GHz")
        .set(Parameter.USER_CHECK, 2.2, "estimate: a word computed, loaded and compared every 4 to 5 cycles")
        .set(Parameter.USER_CHECK_CACHE, 2.2, "estimate: USER_CHECK's, the loop's own rate, which bytes in the cache do not slow")
        .set(Parameter.CPU_CACHE_BYTES, 256 << 10, "Core i7-3770 L2: 256 KiB a core")
        .set(Parameter.SYSCALL, 50, "estimate: a null system call on Ivy Bridge before KPTI, about 170 cycles")
        .set(Parameter.VMA_CHANGE, 600, "estimate: mmap or munmap of an untouched page on a 3.x kernel's rbtree of VMAs, "
            + "about 2k cycles less the call")
        .set(Parameter.TRUNCATE, 250, "estimate: delete_from_page_cache and the LRU's removal of a page, about 850 cycles")
        .set(Parameter.PAGE_MKWRITE, 800, "estimate: ext4_page_mkwrite of a page whose block delayed allocation reserved "
            + "(block_page_mkwrite, file_update_time), about 2.7k cycles")
        .set(Parameter.PAGECACHE_ADD, 250, "estimate: TRUNCATE's, the addition's counterpart")
        .set(Parameter.FILE_WRITE, 1100, "estimate: a write(2) of a page into ext4's page cache (write_begin's lookup or "
            + "insertion and block reservation, write_end's dirtying) before KPTI, about 5k cycles, less the page's addition "
            + "to the page cache (PAGECACHE_ADD)")
        .set(Parameter.FIRST_TOUCH, 0, "the page walk sets the accessed and dirty bits itself, within the TLB miss")
        .build();

  /**
   * The real kernel as measured on this project's reference machine (a 2-core EPYC guest):
   * per-page figures from its measurements in DESIGN.md, the rest estimates for that machine.
   */
  public static final PlatformProfile EPYC_GUEST = PlatformProfile.builder("epyc-guest-2026",
      "2-core AMD EPYC virtual machine running a modern kernel")
        .set(Parameter.MEMCPY_CACHE, 25.0, "estimate: rep movsb within L2 on Zen")
        .set(Parameter.MEMCPY_DRAM, 8.0, "estimate: one core's memcpy beyond L3 in a VM")
        .set(Parameter.MEMSET_CACHE, 40.0, "estimate")
        .set(Parameter.MEMSET_DRAM, 12.0, "estimate")
        .set(Parameter.LLC_BYTES, 16 << 20, "estimate: the guest's share of an EPYC L3")
        .set(Parameter.FAULT, 800, "measured: first-touch fault ~1,150 ns per page (DESIGN.md), less ~350 ns of clearing")
        .set(Parameter.PAGE_ALLOC, 100, "estimate")
        .set(Parameter.PAGE_ALLOC_WARM, 100, "estimate: PAGE_ALLOC's, which is a per-CPU list's page already")
        .set(Parameter.PAGE_ALLOC_RECENT, 100, "estimate: PAGE_ALLOC's, which is a per-CPU list's page already")
        .set(Parameter.PAGE_FREE, 80, "estimate")
        .set(Parameter.PUT_FREE, 125, "estimate: PAGE_FREE's and the 45 ns more a page freed alone took on an Intel Xeon "
            + "guest, Linux 6.18 (a pipe's close freeing 1 MiB vmspliced into it, 110 ns a page, against 64 for MADV_DONTNEED's "
            + "zap and batched free)")
        .set(Parameter.GUP_FAST, 62, "measured: pin ~62 ns per page (DESIGN.md)")
        .set(Parameter.GUP_SLOW, 250, "estimate")
        .set(Parameter.ZAP, 110, "measured: zap ~110 ns per page (DESIGN.md)")
        .set(Parameter.WRPROTECT, 68, "measured: write-protect ~68 ns per page (DESIGN.md)")
        .set(Parameter.MLOCK, 140, "measured: mlock(2) of populated pages ~140 ns per page (calibrate's mlock, 2026-12-04)")
        .set(Parameter.MUNLOCK, 73, "measured: munlock(2) ~73 ns per page (calibrate's munlock, 2026-12-04)")
        .set(Parameter.FORK_PTE, 85, "measured: fork ~85 ns per page (DESIGN.md)")
        .set(Parameter.FORK, 60_000, "estimate: a fork of a small dynamically linked program in a guest, tens of microseconds")
        .set(Parameter.SWAP_FREE, 300, "estimate: free_swap_and_cache_nr under the cluster lock, and the swap cache's folio freed")
        .set(Parameter.UNPIN, 30, "estimate: gup_put_folio per page, an atomic on the folio's refcount and pincount")
        .set(Parameter.TLB_FLUSH_ONE, 100, "estimate: INVLPG in a guest")
        .set(Parameter.TLB_FLUSH_ALL, 400, "estimate")
        .set(Parameter.TLB_SHOOTDOWN, 4000, "estimate: IPIs in a VM exit to the hypervisor")
        .set(Parameter.TLB_IPI_RECEIVED, 1500, "estimate")
        .set(Parameter.TLB_REFILL, 40, "estimate: a nested page walk")
        .set(Parameter.IOCTL, 400, "estimate: syscall round trip with mitigations")
        .set(Parameter.MIGRATE, 1200, "estimate")
        .set(Parameter.COMPACT_MEMORY, 3_000_000, "estimate: a 2-core guest of 23 GiB took 1.6 to 7 ms a write with "
            + "little to move, 3 ms the middle of 40 calibrations (calibrate's compact_memory on an Intel Xeon guest, Linux "
            + "6.18), its migrate scanner passing 2 million page frames, a page in use at a time and a free block at a step")
        .set(Parameter.RECLAIM_PUTBACK, 170, "estimate: MADV_PAGEOUT of 4 MiB with no swap on an Intel Xeon guest, "
            + "Linux 6.18, took 170 ns a page (calibrate's pageout_noswap)")
        .set(Parameter.SWAP_IO, 50000, "estimate: virtio block")
        .set(Parameter.SWAP_IN, 50000, "estimate: virtio block")
        .set(Parameter.NOTIFIER, 150, "estimate")
        .set(Parameter.GPU_DMA, 25.0, "estimate: a GPU on PCIe 4.0 x16 (31.5 GB/s raw), about 25 GB/s of DMA; the guest has no GPU")
        .set(Parameter.GPU_DMA_WRITE, 25.0, "estimate: GPU_DMA's, PCIe 4.0 x16 either way; the guest has no GPU")
        .set(Parameter.GPU_VRAM, 500.0, "estimate: a current discrete GPU's GDDR6 or HBM, 500 GB/s and more; the guest has no GPU")
        .set(Parameter.GPU_FAULT, 20_000, "estimate: xe's fault path (the G2H message, xe_svm_handle_pagefault, the bind and its TLB invalidation) takes tens of microseconds; the guest has no GPU")
        .set(Parameter.GPU_JOB, 15_000, "estimate: a submission through the DRM scheduler and its fence's interrupt on a current GPU; the guest has no GPU")
        .set(Parameter.GPU_PREEMPT, 50_000, "estimate: compute-queue preemption on a current GPU takes tens of microseconds; the guest has no GPU")
        .set(Parameter.USER_WRITE, 2.0, "estimate: a word of the stream computed and stored every 4 cycles or so")
        .set(Parameter.USER_CHECK, 1.8, "estimate: a word computed, loaded and compared every 4 to 5 cycles")
        .set(Parameter.USER_CHECK_CACHE, 1.8, "estimate: USER_CHECK's, the loop's own rate, which bytes in the cache do not slow")
        .set(Parameter.CPU_CACHE_BYTES, 512 << 10, "estimate: a Zen core's L2, 512 KiB")
        .set(Parameter.SYSCALL, 150, "measured: getppid, 140 to 190 ns a call (calibrate, 2026-12-04)")
        .set(Parameter.VMA_CHANGE, 1200, "measured: an mmap and munmap of one untouched page, 2.4 to 2.6 us the pair in a "
            + "quiet minute (3.5 to 4.8 in busy ones), less two system calls, halved (calibrate's mmap_munmap, 2026-12-04)")
        .set(Parameter.TRUNCATE, 300, "measured: a memfd of 1,024 written pages closed, 340 to 430 ns a page in a quiet "
            + "minute (510 to 580 in busy ones), less a page's free (calibrate's memfd_close, 2026-12-04)")
        .set(Parameter.PAGE_MKWRITE, 400, "measured: a write to a shared page of an ext4 file written a page per pwrite, "
            + "after a read fault, 1.1 to 1.3 us a page, less this profile's fault (2026-12-05)")
        .set(Parameter.PAGECACHE_ADD, 300, "estimate: TRUNCATE's, the addition's counterpart")
        .set(Parameter.FILE_WRITE, 2200, "measured: a 4 KiB pwrite into a new page of an ext4 file, 2.75 to 2.9 us, less "
            + "the page's allocation and copy (2026-12-05), and less the page's addition to the page cache (PAGECACHE_ADD)")
        .set(Parameter.FIRST_TOUCH, 0, "the page walk sets the accessed and dirty bits itself, the nested page table's too "
            + "(EPT's or NPT's own bits), within the TLB miss")
        .build();

  /**
   * The EPYC guest's CPU and memory with a current discrete GPU on PCIe 5.0 x16 (the guest's own
   * GPU figures are a PCIe 4.0 one's): where a GPU's own memory is furthest ahead of its link.
   */
  public static final PlatformProfile PCIE5_DGPU = pcie5();

  private static PlatformProfile pcie5() {
    PlatformProfile.Builder b = PlatformProfile.builder("pcie5-dgpu-2026",
        "the EPYC guest's CPU and memory with a discrete GPU on PCIe 5.0 x16 and 1 TB/s of its own memory");
    EPYC_GUEST.figures().forEach((p, f) -> b.set(p, f.value(), "the EPYC guest's: " + f.source()));
    return b.set(Parameter.GPU_DMA, 50.0, "estimate: PCIe 5.0 x16, 63 GB/s raw, about 50 GB/s of DMA in practice")
        .set(Parameter.GPU_DMA_WRITE, 50.0, "estimate: GPU_DMA's, PCIe 5.0 x16 either way")
        .set(Parameter.GPU_VRAM, 1000.0, "estimate: a current high-end discrete GPU's GDDR7 or HBM3, about 1 TB/s")
        .build();
  }

  public static List<PlatformProfile> all() {
    return List.of(EXYNOS4_2012, X86_DESKTOP_2012, EPYC_GUEST, PCIE5_DGPU);
  }

  /** The profile called {@code name}, if there is one. */
  public static java.util.Optional<PlatformProfile> byName(String name) {
    return all().stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** The names of every profile, in the order of {@link #all()}. */
  public static List<String> names() {
    return all().stream().map(PlatformProfile::name).toList();
  }

}
