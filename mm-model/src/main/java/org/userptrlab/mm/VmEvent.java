package org.userptrlab.mm;

/**
 * Event counters of a machine, named as in /proc/vmstat where the kernel has one (include/linux/vm_event_item.h);
 * the others are the model's own and say so.
 */
public enum VmEvent {
  PGFAULT("pgfault", true),
  PGMAJFAULT("pgmajfault", true),
  PGALLOC("pgalloc", true),
  PGFREE("pgfree", true),
  /**
   * The order-0 user pages of {@link #PGALLOC} that were frames the run had freed: rmqueue_pcplist takes
   * the page freed last first, its struct page and bytes still in the CPU's caches and, in a guest, the
   * frame still backed by the host, where the rest are frames new to the run (model).
   */
  PGALLOC_WARM("pgalloc_warm", false),
  /**
   * The zeroed pages of anonymous write faults, of {@link #PGALLOC}, new to the run, that another process freed just
   * before it ({@link MachineConfig#recentlyFreedBytes}): off the CPU's free lists as the run before it left them (model).
   */
  PGALLOC_RECENT("pgalloc_recent", false),
  /** Anonymous pages allocated zero-filled by do_anonymous_page (model). */
  ZERO_FILL("zero_fill", false),
  /** Write faults on the shared zero page mapped by a read fault (model). */
  ZERO_PAGE_MAPPED("zero_page_mapped", false),
  /** Pages copied by wp_page_copy on a write to a shared anonymous page (model; cow_ksm is the kernel's KSM-only cousin). */
  COW_COPY("cow_copy", false),
  /** Write faults that reused the page in place (wp_page_reuse) (model). */
  COW_REUSE("cow_reuse", false),
  /** Anonymous pages copied at fork because they may be DMA-pinned (copy_present_page) (model). */
  FORK_COPY("fork_copy", false),
  /** PTEs copied by fork (copy_pte_range) (model). */
  FORK_PTE("fork_pte", false),
  /** Present PTEs cleared by zap_pte_range (munmap, MADV_DONTNEED, exit, unmap_mapping_range) (model). */
  ZAP_PTE("zap_pte", false),
  /**
   * PTEs holding a swap entry cleared (munmap, MADV_DONTNEED, exit, MADV_FREE), each entry given back by
   * free_swap_and_cache (model).
   */
  ZAP_SWAP_PTE("zap_swap_pte", false),
  /** Processes made by fork (copy_process) (model; the kernel counts them in /proc/stat's processes). */
  FORKS("forks", false),
  /** PTEs write-protected by fork, mprotect or a driver's write-protect (model). */
  WRPROTECT_PTE("wrprotect_pte", false),
  PSWPIN("pswpin", true),
  PSWPOUT("pswpout", true),
  UNEVICTABLE_PGS_MLOCKED("unevictable_pgs_mlocked", true),
  UNEVICTABLE_PGS_MUNLOCKED("unevictable_pgs_munlocked", true),
  /** Pages taken by get_user_pages/pin_user_pages, on the lockless fast path and on the slow path (model). */
  GUP_FAST_PAGES("gup_fast_pages", false),
  GUP_SLOW_PAGES("gup_slow_pages", false),
  /** Pages hmm_range_fault looked up for a driver's mirror, present or faulted in, taking no reference (model). */
  HMM_RANGE_PAGES("hmm_range_pages", false),
  PGMIGRATE_SUCCESS("pgmigrate_success", true),
  PGMIGRATE_FAIL("pgmigrate_fail", true),
  COMPACT_MIGRATE_SCANNED("compact_migrate_scanned", true),
  COMPACT_FREE_SCANNED("compact_free_scanned", true),
  COMPACT_ISOLATED("compact_isolated", true),
  COMPACT_STALL("compact_stall", true),
  COMPACT_FAIL("compact_fail", true),
  COMPACT_SUCCESS("compact_success", true),
  COMPACT_DAEMON_WAKE("compact_daemon_wake", true),
  /**
   * Compactions of all memory asked for through /proc/sys/vm/compact_memory (sysctl_compaction_handler's compact_nodes:
   * every zone walked whole) (model).
   */
  COMPACT_NODES("compact_nodes", false),
  /**
   * Pages reclaim isolated from their LRU list and put back, unable to take them: an anonymous page with no swap slot to
   * go to, a maybe-pinned one, one a large folio held whole keeps (shrink_folio_list's activate_locked and keep) (model).
   */
  RECLAIM_PUTBACK("reclaim_putback", false),
  CMA_ALLOC_SUCCESS("cma_alloc_success", true),
  CMA_ALLOC_FAIL("cma_alloc_fail", true),
  PGSCAN("pgscan", true),
  PGSTEAL("pgsteal", true),
  PGLAZYFREED("pglazyfreed", true),
  NR_FOLL_PIN_ACQUIRED("nr_foll_pin_acquired", true),
  NR_FOLL_PIN_RELEASED("nr_foll_pin_released", true),
  /**
   * References get_user_pages took without FOLL_PIN (FOLL_GET), given back by put_page, the shared zero page's too
   * (model; the kernel counts only pins, nr_foll_pin_released).
   */
  FOLL_GET_RELEASED("foll_get_released", false),
  NR_TLB_REMOTE_FLUSH("nr_tlb_remote_flush", true),
  NR_TLB_REMOTE_FLUSH_RECEIVED("nr_tlb_remote_flush_received", true),
  NR_TLB_LOCAL_FLUSH_ALL("nr_tlb_local_flush_all", true),
  NR_TLB_LOCAL_FLUSH_ONE("nr_tlb_local_flush_one", true),
  /** Pages whose translations a TLB flush removed (model). */
  TLB_FLUSHED_PAGES("tlb_flushed_pages", false),
  /** Interval notifier callbacks run (mmu_notifier_invalidate_range_start reaching a subscriber) (model). */
  MMU_NOTIFIER_INVALIDATE("mmu_notifier_invalidate", false),
  /** Bytes the kernel copied between pages for a process or driver (copy_from_user, pwrite) (model). */
  COPY_BYTES("copy_bytes", false),
  /** Kernel copies made (each copy_from_user, copy_to_user or driver memcpy is one) (model). */
  COPY_CALLS("copy_calls", false),
  /** Bytes the program itself wrote as a stream over its memory (a fill) (model). */
  USER_BYTES_WRITTEN("user_bytes_written", false),
  /** Bytes the program itself read and checked against a stream (a sees) (model). */
  USER_BYTES_CHECKED("user_bytes_checked", false),
  /** Checks the program made of its memory against a stream (each sees is one) (model). */
  USER_CHECKS("user_checks", false),
  THP_FAULT_ALLOC("thp_fault_alloc", true),
  THP_FAULT_FALLBACK("thp_fault_fallback", true),
  THP_SPLIT_PAGE("thp_split_page", true),
  THP_SWPOUT("thp_swpout", true),
  THP_SWPOUT_FALLBACK("thp_swpout_fallback", true),
  THP_MIGRATION_SUCCESS("thp_migration_success", true),
  THP_MIGRATION_FAIL("thp_migration_fail", true),
  THP_MIGRATION_SPLIT("thp_migration_split", true),
  THP_SPLIT_PAGE_FAILED("thp_split_page_failed", true),
  THP_DEFERRED_SPLIT_PAGE("thp_deferred_split_page", true),
  THP_SPLIT_PMD("thp_split_pmd", true),
  THP_ZERO_PAGE_ALLOC("thp_zero_page_alloc", true),
  THP_COLLAPSE_ALLOC("thp_collapse_alloc", true),
  THP_COLLAPSE_ALLOC_FAILED("thp_collapse_alloc_failed", true),
  /** CPU faults on device-private entries, each a call of the owner's migrate_to_ram (model). */
  DEVICE_PRIVATE_FAULT("device_private_fault", false),
  /** Pages moved from RAM into device-private memory, holes filled there included (model). */
  MIGRATE_TO_DEVICE("migrate_to_device", false),
  /** Pages moved from device-private memory back to RAM (model). */
  MIGRATE_TO_RAM("migrate_to_ram", false),
  /**
   * System calls the programs made into the memory manager (mmap, munmap, mremap, mprotect,
   * madvise, brk, the mlock family, fork, execve, exit, a direct read, clear_refs), each counted
   * once it returned: a refused call changes nothing, this count included (model).
   */
  SYSCALLS("syscalls", false),
  /**
   * VMAs put into an address space's tree, taken out of it or grown in place (vm_area_alloc and
   * vma_link, __split_vma, vma_expand of brk or mremap, the neighbour a merge frees, remove_vma),
   * dup_mmap's copies and exit_mmap's frees included (model).
   */
  VMA_CHANGES("vma_changes", false),
  /**
   * Pages taken out of a file's page cache (truncate_inode_pages, an inode's eviction when its
   * last reference goes, reclaim's __remove_mapping of a clean page) (model).
   */
  PAGECACHE_REMOVED("pagecache_removed", false),
  /**
   * Pages put into a file's page cache (shmem_alloc_and_add_folio for a shmem page, filemap_add_folio
   * for a disk file's page read or written) (model).
   */
  PAGECACHE_ADDED("pagecache_added", false),
  /**
   * Shared pages of a disk file made writable in a write fault, whose file system has a
   * page_mkwrite (do_shared_fault or wp_page_shared: do_page_mkwrite, then fault_dirty_shared_page);
   * shmem has none (model).
   */
  PAGE_MKWRITE("page_mkwrite", false),
  /**
   * Pages write(2) wrote into a file, one call a page (generic_perform_write's write_begin, copy and
   * write_end for each) (model).
   */
  FILE_PAGES_WRITTEN("file_pages_written", false),
  /**
   * Accesses of the CPU's to a page whose PTE was old (not young), or clean for a write, which the page
   * walk then set: a PTE a fault installed for the kernel (get_user_pages, populate, hmm_range_fault),
   * copied to a fork's child, or aged by reclaim or MADV_COLD; a PTE page of a PMD mapping or of
   * hugetlb is not counted (model).
   */
  PTE_FIRST_TOUCH("pte_first_touch", false),
  /**
   * The faults of {@link #PGFAULT} the kernel took for itself, with no trap (faultin_page for
   * get_user_pages and populate, hmm_range_fault): handle_mm_fault counts them in pgfault as it
   * counts a CPU's, whose trap, entry and exit they have not (model).
   */
  KERNEL_FAULTS("kernel_faults", false),
  /**
   * The order-0 pages of {@link #PGFREE} freed by the put of their last reference, each alone (folio_put_refs and
   * __folio_put: off the LRU list, uncharged and freed), as unpin_user_pages' gup_put_folio and a pipe buffer's
   * put_page free them, where a zap frees a batch at once (free_pages_and_swap_cache's folios_put_refs); a large
   * folio so freed goes whole, and is not counted (model).
   */
  PUT_FREED("put_freed", false);

  private final String procName;
  private final boolean inProcVmstat;

  VmEvent(String procName, boolean inProcVmstat) {
    this.procName = procName;
    this.inProcVmstat = inProcVmstat;
  }

  /** The counter's name as /proc/vmstat prints it (or the model's own name). */
  public String procName() {
    return procName;
  }

  /** Whether /proc/vmstat has this counter. */
  public boolean inProcVmstat() {
    return inProcVmstat;
  }
}
