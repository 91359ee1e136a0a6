package org.userptrlab.mm;

/**
 * A branch of the model that no /proc/vmstat counter tells (those are {@link VmEvent}s): each named
 * after the kernel function it mirrors and the way it went. With the counters that moved and the
 * kernel changes consulted, what a run reached: the explorer's coverage.
 */
public enum ModelPath {
  GUP_FAST_FELL_BACK("gup_fast_pte_range", "left a page to the slow path"),
  GUP_UNSHARE("follow_page_pte", "FAULT_FLAG_UNSHARE before a read-only pin"),
  GUP_REFUSED("check_vma_flags", "refused the VMA"),
  GUP_LONGTERM_MIGRATED("check_and_migrate_movable_pages", "moved pages out of CMA or ZONE_MOVABLE"),
  WP_PAGE_SHARED("wp_page_shared", "wrote a shared file page in place"),
  DO_COW_FAULT("do_cow_fault", "copied a file page into a private mapping"),
  DO_SHARED_FAULT("do_shared_fault", "mapped a page-cache page"),
  SWAP_CACHE_HIT("do_swap_page", "found the page still in the swap cache"),
  MLOCK_OVER_LIMIT("mlock_fixup", "refused past RLIMIT_MEMLOCK"),
  RECLAIM_SKIPPED_PINNED("try_to_unmap_one", "kept a maybe-pinned anonymous page out of swap"),
  RECLAIM_KEPT_HELD("shrink_folio_list", "unmapped a page someone holds, left it in the swap or page cache"),
  RECLAIM_KEPT_WRITEBACK("shrink_folio_list", "wrote a page out to swap and kept it in the swap cache while its write is in flight"),
  RECLAIM_NO_SWAP_SLOT("add_to_swap", "found no free swap slot"),
  RECLAIM_DROPPED_FILE("__remove_mapping", "dropped a clean page-cache page"),
  RECLAIM_LARGE_HELD("can_split_folio", "passed over a large folio someone holds"),
  MIGRATE_HELD("folio_migrate_mapping", "found extra references: EAGAIN"),
  MIGRATE_UNMOVABLE("isolate_folio", "found a page migration cannot move"),
  FORK_DONTCOPY("dup_mmap", "left a VM_DONTCOPY VMA out of the child"),
  FORK_WIPEONFORK("dup_mmap", "gave the child a VM_WIPEONFORK VMA empty"),
  DIRECT_RECLAIM("__alloc_pages_direct_reclaim", "reclaimed to satisfy an allocation"),
  OUT_OF_MEMORY("__alloc_pages_slowpath", "failed a user page allocation"),
  HUGETLB_FAULT("hugetlb_no_page", "faulted in a huge page"),
  HUGETLB_WP_COPY("hugetlb_wp", "copied a huge page"),
  HUGETLB_NO_PAGE("alloc_hugetlb_folio", "found no huge page for a fault or fork"),
  DEVICE_PRIVATE_FAULT("do_swap_page", "faulted on a device-private entry: the owner's migrate_to_ram"),
  FORK_DEVICE_PRIVATE("copy_nonpresent_pte", "shared a device-private page with the child"),
  MIGRATE_DEVICE_HELD("migrate_vma_check_page", "left a page someone holds where it was");

  static {
    // Machine keeps the paths taken in one long.
    if (values().length > Long.SIZE) {
      throw new ExceptionInInitializerError("more model paths than bits in a long");
    }
  }

  private final String function;
  private final String outcome;

  ModelPath(String function, String outcome) {
    this.function = function;
    this.outcome = outcome;
  }

  /** The kernel function the model's branch mirrors. */
  public String function() {
    return function;
  }

  /** Which way it went. */
  public String outcome() {
    return outcome;
  }
}
