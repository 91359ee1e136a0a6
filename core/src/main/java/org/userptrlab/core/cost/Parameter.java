package org.userptrlab.core.cost;

/**
 * A figure a {@link PlatformProfile} must give: what one unit of a counted kernel operation costs
 * on that platform, or a property (bandwidth, cache size) the cost of a copy depends on.
 */
public enum Parameter {
  MEMCPY_CACHE(Unit.BYTES_PER_NS, "memcpy bandwidth within the last-level cache"),
  MEMCPY_DRAM(Unit.BYTES_PER_NS, "memcpy bandwidth beyond the last-level cache"),
  MEMSET_CACHE(Unit.BYTES_PER_NS, "page-clearing bandwidth within the last-level cache"),
  MEMSET_DRAM(Unit.BYTES_PER_NS, "page-clearing bandwidth beyond the last-level cache"),
  LLC_BYTES(Unit.BYTES, "size of the last-level cache"),
  FAULT(Unit.NS, "a page fault's entry, handle_mm_fault and exit, without clearing or copying"),
  PAGE_ALLOC(Unit.NS, "an order-0 page allocation of a frame new to the run"),
  PAGE_ALLOC_WARM(Unit.NS, "an order-0 page allocation of a frame the run freed (rmqueue_pcplist hands back the page freed "
      + "last first): its struct page and bytes still in the CPU's caches and, in a guest, the frame still backed by the host"),
  PAGE_ALLOC_RECENT(Unit.NS, "an anonymous write fault's page allocation of a frame new to the run that another process "
      + "freed just before it, as the run before it did: off the CPU's free lists, warmer than a frame long free and "
      + "colder than one the run freed itself"),
  PAGE_FREE(Unit.NS, "an order-0 page free"),
  GUP_FAST(Unit.NS, "get_user_pages_fast per page"),
  GUP_SLOW(Unit.NS, "get_user_pages (slow path) per page"),
  ZAP(Unit.NS, "zap_pte_range per present PTE"),
  WRPROTECT(Unit.NS, "change_pte_range per PTE write-protected"),
  FORK_PTE(Unit.NS, "copy_pte_range per PTE at fork"),
  FORK(Unit.NS, "a fork beyond the program's own mappings: copy_process's task and mm, and dup_mmap's copy of the "
      + "VMAs and page tables of the process's image (its text, data, C library and stack), which a program has and "
      + "the model's process does not"),
  SWAP_FREE(Unit.NS, "a PTE holding a swap entry zapped (free_swap_and_cache_nr): the slot's reference dropped and, "
      + "with its last, the slot freed, and its folio with it where the folio is still in the swap cache"),
  UNPIN(Unit.NS, "a page's reference from get_user_pages dropped: unpin_user_pages' gup_put_folio, or put_page"),
  TLB_FLUSH_ONE(Unit.NS, "a local flush of one page"),
  TLB_FLUSH_ALL(Unit.NS, "a local flush of the whole TLB"),
  TLB_SHOOTDOWN(Unit.NS, "a remote flush (shootdown) as the initiating CPU pays it"),
  TLB_IPI_RECEIVED(Unit.NS, "a shootdown IPI as the interrupted CPU pays it"),
  TLB_REFILL(Unit.NS, "a TLB refill of a page touched again after a flush"),
  IOCTL(Unit.NS, "a system call round trip and DRM ioctl dispatch"),
  MIGRATE(Unit.NS, "migrating one page: unmap, copy and remap"),
  COMPACT_MEMORY(Unit.NS, "a compaction of all memory (a write to /proc/sys/vm/compact_memory) beyond the pages it moves: "
      + "both scanners' walk of every zone of the machine, which takes the time of the machine's memory whatever a program "
      + "holds, and which the model's machine, holding the program alone, does not have"),
  SWAP_IO(Unit.NS, "one 4 KiB page written to swap: unmapped, added to the swap cache, its write submitted"),
  RECLAIM_PUTBACK(Unit.NS, "a page reclaim isolated from its LRU list and put back, unable to take it (an anonymous page "
      + "with no swap slot to go to: shrink_folio_list's activate_locked): MADV_PAGEOUT's walk to it, its isolation, the "
      + "look at it and the putback"),
  SWAP_IN(Unit.NS, "one 4 KiB page read back from swap in a fault (do_swap_page), beyond the fault itself"),
  NOTIFIER(Unit.NS, "one MMU notifier invalidate callback"),
  GPU_DMA(Unit.BYTES_PER_NS, "the GPU's DMA bandwidth reading system memory (its link: PCIe for a discrete GPU, the memory bus for an integrated one)"),
  GPU_DMA_WRITE(Unit.BYTES_PER_NS, "the GPU's DMA bandwidth writing system memory: a write job's, a page migrated back to RAM"),
  GPU_VRAM(Unit.BYTES_PER_NS, "the GPU's bandwidth to its own memory (device-private pages); its link's for a GPU without"),
  GPU_FAULT(Unit.NS, "a GPU page fault serviced: the fault reported, the driver's handler, the range bound, the GPU resumed"),
  GPU_JOB(Unit.NS, "a GPU job's fixed cost beyond its bytes: submitted, scheduled, its fence signalled"),
  GPU_PREEMPT(Unit.NS, "preempting a long-running GPU queue off its engine (a preempt fence signalling)"),
  USER_WRITE(Unit.BYTES_PER_NS, "the program writing a stream of bytes over its own memory, already faulted in"),
  USER_CHECK(Unit.BYTES_PER_NS, "the program reading its memory and checking it against a stream of bytes"),
  MLOCK(Unit.NS, "mlock_folio per folio: a page of a VM_LOCKED VMA moved to the unevictable list (unevictable_pgs_mlocked)"),
  MUNLOCK(Unit.NS, "munlock_folio per folio: a page given back to the evictable lists (unevictable_pgs_munlocked)"),
  SYSCALL(Unit.NS, "a system call's entry and exit, without its work"),
  VMA_CHANGE(Unit.NS, "one VMA put into an address space or taken out (made, split, merged away or freed): the maple tree, "
      + "the rmap links and the rest of mmap's or munmap's own work, under mmap_lock"),
  PAGECACHE_ADD(Unit.NS, "a new page put into a file's page cache, beyond its allocation and clearing: the memory cgroup's "
      + "charge, the xarray entry, the LRU list and the file's accounting (shmem_alloc_and_add_folio, filemap_add_folio), "
      + "with generic_perform_write's own steps for the page where a write(2) adds it"),
  TRUNCATE(Unit.NS, "a page taken out of a file's page cache (truncate_inode_pages, an inode's eviction): its xarray "
      + "entry, its LRU list and its memory cgroup's charge, without the page's free"),
  PAGE_MKWRITE(Unit.NS, "a shared page of a disk file made writable in a fault, beyond the fault: the file system's "
      + "page_mkwrite (ext4's journal handle and the file's times) and fault_dirty_shared_page"),
  FILE_WRITE(Unit.NS, "write(2) of one page of a file beyond the page's allocation and its bytes' copy: the call, "
      + "write_begin (the page found or added to the page cache; ext4's delayed allocation reserving its block) and "
      + "write_end (the page and the file dirtied)"),
  USER_CHECK_CACHE(Unit.BYTES_PER_NS, "the program checking bytes it has just written where they fit in its CPU's own cache "
      + "(CPU_CACHE_BYTES): the check reads them back from there"),
  CPU_CACHE_BYTES(Unit.BYTES, "size of a CPU's own cache (its L2; L1 where the L2 is shared): how much of a check of bytes "
      + "just written reads them back at USER_CHECK_CACHE"),
  FIRST_TOUCH(Unit.NS, "the CPU's first access to a page whose PTE the kernel left old (populated, faulted in by "
      + "get_user_pages or hmm_range_fault, copied to a fork's child, aged by reclaim): setting its accessed bit, which x86's "
      + "page walk does in hardware, a guest with shadow page tables in a VM exit, and ARMv7 without LPAE in a fault"),
  PUT_FREE(Unit.NS, "an order-0 page freed by the put of its last reference, alone (folio_put_refs' __folio_put: off its LRU "
      + "list, uncharged and freed one folio at a time), as a pin's release (gup_put_folio) or a pipe buffer's put_page frees "
      + "it; PAGE_FREE is a page of a zap's batch (folios_put_refs), which shares those steps among many");

  /**
   * The figures a profile written before they existed may lack: the modern guest's figure stands in
   * for them ({@link PlatformProfile.Builder#fillFrom}), so that a user's profile file keeps working.
   */
  public static final java.util.Set<Parameter> LATER = java.util.EnumSet.of(GPU_DMA, GPU_PREEMPT, USER_WRITE, USER_CHECK,
      SWAP_IN, GPU_JOB, MLOCK, MUNLOCK, GPU_VRAM, GPU_FAULT, SYSCALL, VMA_CHANGE,
      TRUNCATE, PAGE_MKWRITE, FILE_WRITE, FORK, SWAP_FREE, UNPIN, USER_CHECK_CACHE, CPU_CACHE_BYTES, FIRST_TOUCH, GPU_DMA_WRITE,
      COMPACT_MEMORY, RECLAIM_PUTBACK, PUT_FREE, PAGE_ALLOC_WARM, PAGECACHE_ADD, PAGE_ALLOC_RECENT);

  /**
   * The figure that priced what this one prices before it existed, which a profile written before it lends it (so
   * that the profile prices as it did); null where none did and the guest's figure stands in.
   */
  public Parameter before() {
    return this == USER_CHECK_CACHE ? USER_CHECK : this == GPU_DMA_WRITE ? GPU_DMA : this == PUT_FREE ? PAGE_FREE
        : this == PAGE_ALLOC_WARM || this == PAGE_ALLOC_RECENT ? PAGE_ALLOC : null;
  }

  /** The unit a figure is given in. */
  public enum Unit {
    NS("ns"),
    BYTES_PER_NS("B/ns"),
    BYTES("bytes");

    private final String symbol;

    Unit(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  private final Unit unit;
  private final String description;

  Parameter(Unit unit, String description) {
    this.unit = unit;
    this.description = description;
  }

  public Unit unit() {
    return unit;
  }

  public String description() {
    return description;
  }
}
