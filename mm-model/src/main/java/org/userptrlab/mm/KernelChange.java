package org.userptrlab.mm;

import java.util.Arrays;
import java.util.Optional;

/**
 * One mainline change the model's behaviour depends on: where it landed (release, commit and
 * subject, as {@code git log --oneline} prints them) and what it changes. A {@link KernelConfig} is
 * a set of these; the model asks {@link KernelConfig#has} at the place the kernel's code branched,
 * never for a version number. Declared in the order they were merged.
 */
public enum KernelChange {
  CMA("cma", "3.5", "c64be2bb1c6e", "drivers: add Contiguous Memory Allocator",
      "A CMA region can be reserved at boot; movable allocations may use it, and cma_alloc migrates them out to hand a driver contiguous frames."),
  MADV_REMOVE_PUNCH_HOLE("madv-remove-punch-hole", "3.5", "3f31d07571ee", "mm/fs: route MADV_REMOVE to FALLOC_FL_PUNCH_HOLE",
      "madvise MADV_REMOVE punches a hole with fallocate, which disk file systems such as ext4 and xfs support too; before, it called vmtruncate_range, which only shmem implements, so a disk file is ENOSYS."),
  HUGE_ZERO_PAGE("huge-zero-page", "3.8", "80371957f098", "thp: setup huge zero page on non-write page fault",
      "A read fault where a THP could go maps the huge zero page by a PMD (do_huge_pmd_anonymous_page, when transparent_hugepage/use_zero_page is on); before, it allocated a THP."),
  MAP_HUGE_SIZES("map-huge-sizes", "3.8", "42d7395feb56", "mm: support more pagesizes for MAP_HUGETLB/SHM_HUGETLB",
      "mmap's MAP_HUGETLB (and memfd's MFD_HUGETLB) reads a huge page size from the bits at MAP_HUGE_SHIFT (MAP_HUGE_2MB, MAP_HUGE_1GB); before, those bits are ignored and every hugetlb mapping is of the default size."),
  MADV_WILLNEED_SWAP("madv-willneed-swap", "3.9", "1998cc048901", "mm: make madvise(MADV_WILLNEED) support swap file prefetch",
      "madvise MADV_WILLNEED of anonymous memory reads the range's swapped-out pages into the swap cache (swapin_walk_pmd_entry), so that touching them is a minor fault; before, it is EBADF."),
  SOFT_DIRTY("soft-dirty", "3.11", "0f8975ec4db2", "mm: soft-dirty bits for user memory changes tracking",
      "Writing 4 to /proc/PID/clear_refs clears the soft-dirty bits, write-protecting every present PTE (clear_soft_dirty); before, clear_refs takes 1 to 3 and refuses 4 with EINVAL."),
  MEMFD("memfd", "3.17", "9183df25fe7b", "shm: add memfd_create() syscall",
      "memfd_create(2) exists: a shmem file no directory names, for sharing memory by descriptor; before, ENOSYS."),
  MLOCK_ONFAULT("mlock-onfault", "4.4", "b0f205c2a308", "mm: mlock: add mlock flags to enable VM_LOCKONFAULT usage",
      "mlock2(2) with MLOCK_ONFAULT and mlockall's MCL_ONFAULT exist; before, mlock2 is ENOSYS and MCL_ONFAULT is EINVAL."),
  THP_PTE_MAPPED("thp-pte-mapped", "4.5", "53f9263baba6", "mm: rework mapcount accounting to enable 4k mapping of THPs",
      "A THP can be mapped by PTEs: split_huge_pmd splits the mapping alone and a partly unmapped THP waits on the deferred split queue; before, splitting a PMD split the huge page too (split_huge_page)."),
  MADV_FREE("madv-free", "4.5", "854e9ed09ded", "mm: support madvise(MADV_FREE)",
      "madvise MADV_FREE exists: private anonymous pages become lazily freeable, dropped by reclaim unless written again; before, EINVAL."),
  THP_DEFRAG_MADVISE("thp-defrag-madvise", "4.6", "e4a49efe4e7e", "mm: thp: set THP defrag by default to madvise and add a stall-free defrag option",
      "transparent_hugepage/defrag defaults to madvise (a THP fault compacts and reclaims only in MADV_HUGEPAGE regions) and takes 'defer'; before, it defaulted to always, every THP fault stalling to compact."),
  MLOCK_COUNT_LOCKED("mlock-count-locked", "4.9", "0cf2f6f6dc60", "mm: mlock: check against vma for actual mlock() size",
      "mlock does not charge pages of the range that are already locked (count_mm_mlocked_page_nr); before, locking a range again counts it twice against RLIMIT_MEMLOCK."),
  THP_DEFRAG_DEFER_MADVISE("thp-defrag-defer-madvise", "4.11", "21440d7eb904", "mm, thp: add new defer+madvise defrag option",
      "transparent_hugepage/defrag takes 'defer+madvise' (direct compaction in MADV_HUGEPAGE regions, kcompactd for the rest); before, writing it is EINVAL."),
  WIPEONFORK("wipeonfork", "4.14", "d2cd9ede6e19", "mm,fork: introduce MADV_WIPEONFORK",
      "madvise MADV_WIPEONFORK and MADV_KEEPONFORK exist; before, madvise refuses them with EINVAL."),
  THP_MIGRATION("thp-migration", "4.14", "616b8371539a", "mm: thp: enable thp migration in generic path",
      "Migration (a FOLL_LONGTERM pin leaving CMA or ZONE_MOVABLE, alloc_contig_range, move_pages) moves a THP whole, still a THP where it lands; before, migrate_pages split it and moved its pages one by one."),
  THP_SWAP("thp-swap", "4.14", "bd4c82c22c36", "mm, THP, swap: delay splitting THP after swapped out",
      "Reclaim swaps a PMD-sized THP out whole, into a swap cluster of 512 slots in a row, and frees it whole; before, shrink_page_list split it first and swapped its pages one by one (and where no cluster is free it still does, THP_SWPOUT_FALLBACK)."),
  MEMFD_HUGETLB("memfd-hugetlb", "4.14", "749df87bd7be", "mm/shmem: add hugetlbfs support to memfd_create()",
      "memfd_create takes MFD_HUGETLB and a huge page size: the file is a hugetlbfs file whose pages come from a hugetlb pool; before, the flag is EINVAL."),
  DEVICE_PRIVATE("device-private", "4.14", "5042db43cc26", "mm/ZONE_DEVICE: new type of ZONE_DEVICE for unaddressable memory",
      "A driver can register its device memory as MEMORY_DEVICE_PRIVATE (memremap_pages): struct pages with no CPU address, mapped in a process by non-present device-private entries that a CPU access faults back to RAM through the owner's migrate_to_ram; before, memremap_pages of that type is EINVAL."),
  MAP_FIXED_NOREPLACE("map-fixed-noreplace", "4.17", "a4ff8e8620d3", "mm: introduce MAP_FIXED_NOREPLACE",
      "mmap with MAP_FIXED_NOREPLACE maps at the address or fails with EEXIST over an existing mapping; before, the flag is unknown and ignored, so the address is a hint and mmap maps elsewhere."),
  OOM_REAP_NONBLOCK("oom-reap-nonblock", "4.19", "93065ac753e4", "mm, oom: distinguish blockable mode for mmu notifiers",
      "The OOM reaper calls the MMU notifiers of each VMA it reaps with mmu_notifier_invalidate_range_start_nonblock, and a notifier that would have to block answers -EAGAIN: that VMA is skipped and the attempt retried (ten times, 100 ms apart); the model's OOM reaper is this one, so oom_kill needs it."),
  MUNMAP_DOWNGRADE("munmap-downgrade", "4.20", "dd2283f2605e", "mm: mmap: zap pages with read mmap_sem in munmap",
      "munmap detaches the VMAs under mmap_lock held for write, then downgrades it (__vm_munmap, mmap_write_downgrade) and zaps the pages, with their MMU notifiers, under the read lock: another thread's get_user_pages or hmm_range_fault goes on while the zap waits for a GPU; before, munmap held the write lock to its end, and every other user of the address space waited for it. A shrinking mremap does the same from the same release (85a06835f6f1, mremap's downgrade when shrinking)."),
  LONGTERM_CMA("longterm-cma", "5.1", "9a4e9f3b2d73", "mm: update get_user_pages_longterm to migrate pages allocated from CMA region",
      "A long-term pin first migrates its pages out of CMA (check_and_migrate_cma_pages), so a pin no longer blocks cma_alloc."),
  IO_URING("io-uring", "5.1", "2b188cc1bb85", "Add io_uring IO interface",
      "io_uring exists, with fixed buffers that stay pinned (FOLL_LONGTERM) while registered; before, io_uring_setup is ENOSYS."),
  MADV_COLD("madv-cold", "5.4", "9c276cc65a58", "mm: introduce MADV_COLD",
      "madvise MADV_COLD exists: the range's pages lose their accessed bits and are reclaimed first; before, EINVAL."),
  MADV_PAGEOUT("madv-pageout", "5.4", "1a4e58cce84e", "mm: introduce MADV_PAGEOUT",
      "madvise MADV_PAGEOUT exists: the range's pages that this process alone maps are reclaimed now (anonymous ones swapped out); before, EINVAL."),
  MIGRATE_VMA_SETUP("migrate-vma-setup", "5.4", "a7d1f22bb74f", "mm: turn migrate_vma upside down",
      "A driver migrates a range of a process to and from its device memory with migrate_vma_setup, migrate_vma_pages and migrate_vma_finalize, copying between the halves itself; before, one migrate_vma call with alloc_and_copy and finalize_and_map callbacks, which the model does not follow."),
  INTERVAL_NOTIFIER("interval-notifier", "5.5", "99cb252f5e68", "mm/mmu_notifier: add an interval tree notifier",
      "mmu_interval_notifier with its sequence count; before, a driver registers a whole-mm mmu_notifier and keeps its own interval tree (as i915 and amdgpu userptr did)."),
  PAGEOUT_SKIP_SHARED("pageout-skip-shared", "5.6", "12e967fd8e4e", "mm: do not allow MADV_PAGEOUT for CoW pages",
      "MADV_COLD and MADV_PAGEOUT leave a page that another process also maps (mapcount above 1: a page fork shares copy-on-write); before, they deactivate it and page it out of every process that maps it."),
  MREMAP_DONTUNMAP("mremap-dontunmap", "5.7", "e346b3813067", "mm/mremap: add MREMAP_DONTUNMAP to mremap()",
      "mremap with MREMAP_DONTUNMAP moves the pages and leaves the old range mapped but empty (private anonymous mappings only); before, EINVAL."),
  FOLL_PIN("foll-pin", "5.7", "3faa52c03f44", "mm/gup: track FOLL_PIN pages",
      "pin_user_pages (5.6, eddb1c228f79) counts pins apart from references (GUP_PIN_COUNTING_BIAS), so folio_maybe_dma_pinned can tell a pinned page; before, a pin is a plain reference."),
  HMM_DEV_PRIVATE_OWNER("hmm-dev-private-owner", "5.7", "08ddddda667b", "mm/hmm: check the device private page owner in hmm_range_fault()",
      "hmm_range_fault reports a device-private page as it is only to the driver that owns it (range->dev_private_owner); before, it reported every device-private page as it is, whoever asked."),
  THP_COW_SPLIT("thp-cow-split", "5.8", "3917c80280c9", "thp: change CoW semantics for anon-THP",
      "A write fault on a shared THP splits the PMD and copies the one 4 KiB page (do_huge_pmd_wp_page falls back); before, it copied the whole huge page into a new THP."),
  CMA_BALANCED("cma-balanced", "5.8", "16867664936e", "mm,page_alloc,cma: conditionally prefer cma pageblocks for movable allocations",
      "Movable allocations take CMA pageblocks while CMA holds more than half of the zone's free pages; before, only once other movable memory is exhausted."),
  HMM_PFN_API("hmm-pfn-api", "5.8", "2733ea144dcc", "mm/hmm: remove the customizable pfn format from hmm_range_fault",
      "hmm_range_fault answers in one format, the pfn with HMM_PFN_VALID and HMM_PFN_WRITE above it, and takes HMM_PFN_REQ_FAULT and HMM_PFN_REQ_WRITE as requests; before, each driver passed its own tables of flags and values, which the model does not follow."),
  WP_PAGE_COUNT("wp-page-count", "5.9", "09854ba94c6a", "mm: do_wp_page() simplification",
      "do_wp_page reuses an anonymous page only when page_count is 1, so any other reference (a get_user_pages holder's) makes the writer copy; before, a page mapped once is reused whoever holds it (reuse_swap_page)."),
  FORK_COPY_PINNED("fork-copy-pinned", "5.9", "70e806e4e645", "mm: Do early cow for pinned pages during fork() for ptes",
      "fork gives the child its own copy of a maybe-pinned anonymous page at once (copy_present_page), so the parent keeps the pinned page; before, both share it and the parent's next write moves it away from the pin."),
  FORK_COPY_PINNED_HUGE("fork-copy-pinned-huge", "5.9", "d042035eaf5f", "mm: Do early cow for pinned pages during fork() for huge pages",
      "fork splits the PMD of a THP that may be pinned in an mm that has pinned, so that its pages are copied for the child at PTE level (copy_huge_pmd); before, the child shared the THP."),
  RECLAIM_SKIP_PINNED("reclaim-skip-pinned", "5.11", "feb889fb40fa", "mm: don't put pinned pages into the swap cache",
      "Reclaim leaves maybe-pinned anonymous pages alone (shrink_page_list); before, it unmaps a page a driver holds and the program faults in a different one."),
  HUGETLB_FORK_EARLY_COW("hugetlb-fork-early-cow", "5.12", "4eae4efa2c29", "hugetlb: do early cow when page pinned on src mm",
      "fork gives the child its own copy of a private hugetlb page that may be pinned (copy_hugetlb_page_range), so the parent keeps the pinned page; before, both share it and the parent's next write copies it away from the pin."),
  MREMAP_DONTUNMAP_ANY("mremap-dontunmap-any", "5.13", "a4609387859f", "mm: extend MREMAP_DONTUNMAP to non-anonymous mappings",
      "MREMAP_DONTUNMAP works on any mapping but VM_DONTEXPAND and VM_PFNMAP ones; before, only on private anonymous mappings (EINVAL otherwise)."),
  LONGTERM_MOVABLE("longterm-movable", "5.13", "d1e153fea2a8", "mm/gup: migrate pinned pages out of movable zone",
      "A long-term pin also migrates its pages out of ZONE_MOVABLE (check_and_migrate_movable_pages)."),
  MADV_POPULATE("madv-populate", "5.14", "4ca9b3859dac", "mm/madvise: introduce MADV_POPULATE_(READ|WRITE) to prefault page tables",
      "madvise MADV_POPULATE_READ and MADV_POPULATE_WRITE fault the range in as reads or writes; before, EINVAL."),
  MEMLOCK_8M("memlock-8m", "5.16", "9dcc38e2813e", "Increase default MLOCK_LIMIT to 8 MiB",
      "A process starts with an RLIMIT_MEMLOCK of 8 MiB; before, 64 KiB."),
  MREMAP_HUGETLB("mremap-hugetlb", "5.17", "550a7d60bd5e", "mm, hugepages: add mremap() support for hugepage backed vma",
      "mremap moves a hugetlb mapping, whole huge pages at aligned addresses, never growing it; before, vma_to_resize refused any hugetlb mremap but a shrink with EINVAL."),
  SWAP_PAGE_COUNT("swap-page-count", "5.18", "c145e0b47c77", "mm: streamline COW logic in do_swap_page()",
      "A write fault on a swapped-out page reuses it only when page_count is 1, so a page someone else holds (a driver's reference, a pin) is copied; before, do_swap_page asked reuse_swap_page, which counts mappings and swap entries only."),
  MUNMAP_LOCKED_VM("munmap-locked-vm", "5.18", "a213e5cf71cb", "mm/munlock: delete munlock_vma_pages_all(), allow oomreap",
      "munmap subtracts the VM_LOCKED pages it removes from locked_vm whatever locked_vm is; before, do_munmap skipped the subtraction while locked_vm was 0."),
  MADV_DONTNEED_HUGETLB("madv-dontneed-hugetlb", "5.18", "90e7e7f5ef3f", "mm: enable MADV_DONTNEED for hugetlb mappings",
      "MADV_DONTNEED zaps whole huge pages of a hugetlb mapping (the range's end rounded down to them); before, it is EINVAL there."),
  MADV_DONTNEED_LOCKED("madv-dontneed-locked", "5.18", "9457056ac426", "mm: madvise: MADV_DONTNEED_LOCKED",
      "madvise MADV_DONTNEED_LOCKED drops the pages of a range even where it is mlocked; before, EINVAL."),
  OOM_REAP_MLOCKED("oom-reap-mlocked", "5.18", "a213e5cf71cb", "mm/munlock: delete munlock_vma_pages_all(), allow oomreap",
      "The OOM reaper reaps mlocked VMAs too; before, it skipped them (can_madv_lru_vma: not VM_LOCKED, VM_HUGETLB or VM_PFNMAP)."),
  ANON_EXCLUSIVE("anon-exclusive", "5.19", "6c287605fd56", "mm: remember exclusively mapped anonymous pages with PG_anon_exclusive",
      "PageAnonExclusive marks an anonymous page only this process maps: do_wp_page reuses it at once, and a maybe-pinned exclusive page cannot be shared (folio_try_share_anon_rmap_pte: EBUSY)."),
  GUP_UNSHARE("gup-unshare", "5.19", "a7f226604170", "mm/gup: trigger FAULT_FLAG_UNSHARE when R/O-pinning a possibly shared anonymous page",
      "A read-only pin of an anonymous page the process does not own exclusively first unshares it (gup_must_unshare), so the pin stays coherent with the process."),
  HMM_FAULT_NON_OWNER("hmm-fault-non-owner", "5.19", "8a295dbbaf72", "mm/hmm: fault non-owner device private entries",
      "hmm_range_fault asked to fault a device-private page another driver owns faults it back to RAM (the owner's migrate_to_ram) and reports the system page; before, it failed with EFAULT."),
  MPROTECT_WRITABLE("mprotect-writable", "6.0", "64fe24a3e05e", "mm/mprotect: try avoiding write faults for exclusive anonymous pages when changing protection",
      "mprotect to writable maps exclusive anonymous pages writable at once (can_change_pte_writable), so the next write takes no fault."),
  MADV_COLLAPSE("madv-collapse", "6.1", "7d8faaf15545", "mm/madvise: introduce MADV_COLLAPSE sync hugepage collapse",
      "madvise MADV_COLLAPSE copies each 2 MiB of the range the process maps with small pages into a new THP mapped by a PMD, now, whatever the THP setting (a page someone else holds, such as a pinned one, makes it EAGAIN); before, EINVAL."),
  MIGRATE_DEVICE_RANGE("migrate-device-range", "6.1", "e778406b40db", "mm/migrate_device.c: add migrate_device_range()",
      "A driver evicts its device memory by device pfn (migrate_device_range, migrate_device_pages, migrate_device_finalize), whichever processes map the pages, as when it is unloaded or its memory is full; before, only by a process's virtual range (migrate_vma_setup)."),
  LONGTERM_RO_UNSHARE("longterm-ro-unshare", "6.2", "84209e87c696", "mm/gup: reliable R/O long-term pinning in COW mappings",
      "A read-only long-term pin of a page that is not anonymous (the shared zeropage, a page-cache page) in a private writable mapping first unshares it into the process's own anonymous copy (gup_must_unshare, FAULT_FLAG_UNSHARE), so the pin stays coherent with the process's later writes; before, the pin keeps the old page and the write maps a new one."),
  DIO_PIN("dio-pin", "6.3", "a7e689dd1c06", "block: Convert bio_iov_iter_get_pages to use iov_iter_extract_pages",
      "O_DIRECT I/O pins the user pages it reads into (FOLL_PIN, BIO_PAGE_PINNED), so folio_maybe_dma_pinned sees them for the I/O; before, bio_iov_iter_get_pages took plain references (get_user_pages_fast, FOLL_GET)."),
  PER_VMA_LOCK("per-vma-lock", "6.4", "0bff0aaea03e", "x86/mm: try VMA lock-based page fault handling first",
      "A page fault in an anonymous VMA that has its anon_vma takes that VMA's lock (lock_vma_under_rcu) instead of mmap_lock, so it waits only for a writer that write-locked that VMA (vma_start_write: the VMAs an mprotect, munmap, mlock or madvise changes; every VMA for fork, as the fix backported to 6.4 has it); before, every fault took mmap_read_lock and waited for any writer, another thread's mprotect of another VMA waiting for a GPU in its notifier included. Other faults take mmap_read_lock on either side."),
  IO_URING_GUP_FILE_CHECK("io-uring-file-backed", "6.5", "34ed8d0dcd69", "io_uring: rsrc: delegate VMA file-backed check to GUP",
      "io_uring registers a fixed buffer in any mapping GUP pins, leaving file mappings to GUP's own checks; before, io_pin_pages refused a buffer in a file mapping other than shmem or hugetlbfs with EOPNOTSUPP after pinning it (shmem too before 5.14, which the model does not follow)."),
  LONGTERM_NO_WRITEBACK("longterm-no-writeback", "6.5", "8ac268436e6d", "mm/gup: disallow FOLL_LONGTERM GUP-nonfast writing to file-backed mappings",
      "A long-term writable pin of a shared file mapping that needs writeback is refused (writable_file_mapping_allowed)."),
  TMPFS_DIRECT_IO("tmpfs-direct-io", "6.6", "e88e0d366f9c", "tmpfs: trivial support for direct IO",
      "A tmpfs file may be opened O_DIRECT, and its reads are copies from the page cache at any alignment; before, open(O_DIRECT) on tmpfs is EINVAL."),
  THP_ALIGN_ANON("thp-align-anon", "6.7", "efa7df3e3bb5", "mm: align larger anonymous mappings on THP boundaries",
      "mmap of private anonymous memory of 2 MiB or more, with no address asked, is placed at a 2 MiB boundary so that THPs can back it (__thp_get_unmapped_area searches for the length plus 2 MiB and moves up to the first boundary in it), as is mremap's move; before, at the highest gap's top, page-aligned, so that such a mapping often merged with the one above it."),
  THP_ALIGN_TOPDOWN("thp-align-topdown", "6.8", "96204e15310c", "mm: thp_get_unmapped_area must honour topdown preference",
      "Where the padded gap __thp_get_unmapped_area found starts at a 2 MiB boundary already, the mapping goes at the padding's top, 2 MiB higher, so that top-down placement packs mappings together; before, at its bottom."),
  ANON_MTHP("anon-mthp", "6.8", "19eaf44954df", "mm: thp: support allocation of anonymous multi-size THP",
      "A write fault on anonymous memory may get a large folio smaller than a PMD (16 KiB to 1 MiB, each size enabled in hugepages-<size>kB/enabled), mapped by PTEs; before, only PMD-sized THPs."),
  THP_ALIGN_PMD_SIZED("thp-align-pmd-sized", "6.12", "d4148aeab412", "mm, mmap: limit THP alignment of anonymous mappings to PMD-aligned sizes",
      "Only a private anonymous mapping whose length is a multiple of 2 MiB is placed at a 2 MiB boundary; before (from 6.7), any of 2 MiB or more was, which left gaps between mappings of odd sizes (malloc's large blocks among them)."),
  HUGE_ZERO_WP_THP("huge-zero-wp-thp", "6.13", "1ced09e0331f", "mm: allocate THP on hugezeropage wp-fault",
      "A write fault on the huge zero page maps a new zeroed THP by a PMD in its place (do_huge_zero_wp_pmd), the split its fallback where none can be had; before (from 5.8), the PMD was split and the write mapped one 4 KiB page."),
  COW_REUSE_LARGE("cow-reuse-large", "6.15", "1da190f4d0a6", "mm: Copy-on-Write (COW) reuse support for PTE-mapped THP",
      "A write fault on a page of a PTE-mapped large folio reuses it when this process alone maps the folio and no one else holds it (__wp_can_reuse_large_anon_folio); before, such a page was always copied unless it was exclusive."),
  DRM_GPUSVM("drm-gpusvm", "6.15", "99624bdff867", "drm/gpusvm: Add support for GPU Shared Virtual Memory",
      "DRM drivers share the process's address space with the GPU through drm_gpusvm (xe uses it): GPU faults create ranges of 2 MiB, 64 KiB or 4 KiB, mirrored with hmm_range_fault under an interval notifier and migrated to device memory; before, only amdkfd's and nouveau's own SVM code did this."),
  ;

  private final String id;
  private final KernelRelease release;
  private final String commit;
  private final String subject;
  private final String effect;

  KernelChange(String id, String release, String commit, String subject, String effect) {
    this.id = id;
    this.release = KernelRelease.parse(release);
    this.commit = commit;
    this.subject = subject;
    this.effect = effect;
  }

  /** The name used on the command line and in reports: {@code 3.4+foll-pin}. */
  public String id() {
    return id;
  }

  /** The first mainline release with the change. */
  public KernelRelease release() {
    return release;
  }

  /** The mainline commit, abbreviated to 12 hex digits as kernel Fixes: tags write it. */
  public String commit() {
    return commit;
  }

  public String subject() {
    return subject;
  }

  /** One sentence: what behaves differently with the change, and how it behaved before. */
  public String effect() {
    return effect;
  }

  /** How the kernel's own Fixes: tags cite a commit: {@code 70e806e4e645 ("mm: Do early cow ...")}. */
  public String citation() {
    return commit + " (\"" + subject + "\")";
  }

  public static Optional<KernelChange> byId(String id) {
    return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst();
  }
}
