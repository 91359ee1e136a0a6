package org.userptrlab.mm;


/**
 * One swap device and the swap cache (mm/swapfile.c, mm/swap_state.c). A slot's count is the
 * number of PTEs holding its swap entry (swap_map); a page being swapped out or just swapped in
 * sits in the swap cache, which holds a reference to it, so that every PTE still pointing at the
 * slot finds the same page again.
 */
final class Swap {
  private final Machine m;
  private final MemMap mem;
  private final Content content;
  private final int[] swapMap;
  private final long[] slotContent;
  private final int[] cachePfn;
  /** The swap slot of each swap-cache page, by pfn (folio->swap). */
  private final IntIntMap slotOfPage = new IntIntMap();
  private int cursor;
  private int used;
  /** One past the highest slot ever handed out; the slots above it have never held anything. */
  private int touched;

  /**
   * The swap device of the last machine retired on this thread, if any: the next machine with as
   * many slots takes its arrays and resets only the slots it handed out, as {@link MemMap} does
   * with frames.
   */
  private static final ThreadLocal<Swap> RETIRED = new ThreadLocal<>();

  /** The swap device of a freshly booted machine, made of a retired one's arrays when this thread has one of its size. */
  static Swap boot(Machine m, long swapBytes) {
    Swap old = RETIRED.get();
    RETIRED.remove();
    int slots = (int) (swapBytes >>> Page.PAGE_SHIFT);
    return new Swap(m, slots, old != null && old.swapMap.length == slots ? old : null);
  }

  /** Gives the arrays to the next machine with as many slots booted on this thread; this device must not be used again. */
  void retire() {
    RETIRED.set(this);
  }

  private Swap(Machine m, int slots, Swap retired) {
    this.m = m;
    this.mem = m.mem;
    this.content = m.content;
    if (retired == null) {
      swapMap = new int[slots];
      slotContent = new long[slots];
      cachePfn = new int[slots];
      MemMap.fill(cachePfn, 0, slots, MemMap.NONE);
    } else {
      swapMap = retired.swapMap;
      slotContent = retired.slotContent;
      cachePfn = retired.cachePfn;
      java.util.Arrays.fill(swapMap, 0, retired.touched, 0);
      java.util.Arrays.fill(slotContent, 0, retired.touched, Content.ZERO);
      MemMap.fill(cachePfn, 0, retired.touched, MemMap.NONE);
    }
  }

  int slots() {
    return swapMap.length;
  }

  int touchedSlots() {
    return touched;
  }

  int usedSlots() {
    return used;
  }

  /** How many PTEs hold the swap entry of a swap-cache page (page_swapcount); 0 for other pages. */
  int swapCountOf(int pfn) {
    int slot = slotOfPage.get(pfn);
    return slot == IntIntMap.ABSENT ? 0 : swapMap[slot];
  }

  /** add_to_swap: give an anonymous page a slot and put it in the swap cache; false when swap is full. */
  boolean addToSwap(int pfn) {
    if (used == swapMap.length) {
      return false;
    }
    int slot = cursor;
    while (swapMap[slot] != 0 || cachePfn[slot] != MemMap.NONE) {
      slot = (slot + 1) % swapMap.length;
    }
    cursor = (slot + 1) % swapMap.length;
    touched = Math.max(touched, slot + 1);
    used++;
    cachePfn[slot] = pfn;
    slotOfPage.put(pfn, slot);
    // add_to_swap marks the folio dirty: its bytes are not in the slot yet.
    mem.flags[pfn] |= PageFlags.PG_SWAPCACHE | PageFlags.PG_DIRTY;
    mem.refcount[pfn]++;
    return true;
  }

  /**
   * folio_alloc_swap for a large folio: {@code nr} free slots in a row, aligned to {@code nr} (a swap
   * cluster), taken; the first, or -1 when there is no such run (the caller splits the folio).
   */
  int allocCluster(int nr) {
    if (swapMap.length - used < nr) {
      return -1;
    }
    for (int start = 0; start + nr <= swapMap.length; start += nr) {
      int i = 0;
      while (i < nr && swapMap[start + i] == 0 && cachePfn[start + i] == MemMap.NONE) {
        i++;
      }
      if (i == nr) {
        used += nr;
        touched = Math.max(touched, start + nr);
        return start;
      }
    }
    return -1;
  }

  /** swap_writepage of one page of a large folio going out whole: its bytes to its slot of the cluster. */
  void writeToSlot(int pfn, int slot) {
    content.release(slotContent[slot]);
    slotContent[slot] = content.duplicate(mem.content[pfn]);
    m.vmstat.count(VmEvent.PSWPOUT);
  }

  /** The swap entry of a cluster's slot for a PTE that mapped the slot's page, marked exclusive if the page was. */
  long entryAt(int slot, boolean exclusive) {
    swapMap[slot]++;
    return Pte.make(slot, Pte.SWAP | (exclusive ? Pte.SWP_EXCLUSIVE : 0));
  }

  /** The slots of a cluster no PTE took go back (a page of the folio no PTE mapped). */
  void releaseUnreferenced(int first, int nr) {
    for (int slot = first; slot < first + nr; slot++) {
      if (swapMap[slot] == 0) {
        freeSlot(slot);
      }
    }
  }

  /** try_to_unmap_one's swap entry for a PTE that mapped the swap-cache page, marked exclusive if the page was. */
  long entryFor(int pfn, boolean exclusive) {
    int slot = slotOfPage.get(pfn);
    swapMap[slot]++;
    return Pte.make(slot, Pte.SWAP | (exclusive ? Pte.SWP_EXCLUSIVE : 0));
  }

  /** pageout / swap_writepage: the page's bytes go to its slot. */
  void writePage(int pfn) {
    int slot = slotOfPage.get(pfn);
    content.release(slotContent[slot]);
    slotContent[slot] = content.duplicate(mem.content[pfn]);
    mem.flags[pfn] &= ~PageFlags.PG_DIRTY;
    m.vmstat.count(VmEvent.PSWPOUT);
  }

  /** __remove_mapping for a swap-cache page nobody else holds: the page is freed, the slot keeps its bytes. */
  void deleteFromSwapCache(int pfn) {
    int slot = slotOfPage.remove(pfn);
    cachePfn[slot] = MemMap.NONE;
    mem.flags[pfn] &= ~PageFlags.PG_SWAPCACHE;
    if (swapMap[slot] == 0) {
      freeSlot(slot);
    }
    m.pageAlloc.putPage(pfn);
  }

  /** folio_free_swap: a page in the swap cache whose slot no PTE needs any more leaves swap. */
  void dropSwapCache(int pfn) {
    int slot = slotOfPage.get(pfn);
    if (slot != IntIntMap.ABSENT && swapMap[slot] == 0) {
      deleteFromSwapCache(pfn);
    }
  }

  /**
   * read_swap_cache_async: the page of {@code slot} in the swap cache, read from the slot into a new
   * page if it is not there (the swap cache's reference its only one), for the PTE at {@code vpn}
   * of {@code v}; whether it had to be read.
   */
  boolean readSwapCache(Vma v, long vpn, int slot) {
    if (cachePfn[slot] != MemMap.NONE) {
      return false;
    }
    int pfn = m.pageAlloc.allocUserPage(Gfp.HIGHUSER_MOVABLE);
    mem.content[pfn] = content.duplicate(slotContent[slot]);
    m.rmap.anonVmaPrepare(v);
    // __folio_set_anon: a page other PTEs may still map (the slot is shared after fork) goes
    // into the root anon_vma, whose VMAs include every process of the family.
    AnonVma av = swapMap[slot] > 1 ? v.anonVma.root() : v.anonVma;
    mem.flags[pfn] = (short) (PageFlags.PG_ANON | PageFlags.PG_SWAPBACKED | PageFlags.PG_LRU | PageFlags.PG_SWAPCACHE);
    mem.mapping[pfn] = av.id;
    mem.index[pfn] = (int) (v.filePage(vpn) - av.base);
    cachePfn[slot] = pfn;
    slotOfPage.put(pfn, slot);
    m.vmstat.count(VmEvent.PSWPIN);
    return true;
  }

  /** do_swap_page: a PTE holding a swap entry is touched. */
  long doSwapPage(Mm mm, Vma v, long vpn, long pte, boolean write) {
    int slot = Pte.pfn(pte);
    if (readSwapCache(v, vpn, slot)) {
      m.vmstat.count(VmEvent.PGMAJFAULT);
    } else {
      m.reached(ModelPath.SWAP_CACHE_HIT);
    }
    int pfn = cachePfn[slot];
    mem.mapcount[pfn]++;
    mem.refcount[pfn]++;
    mm.rss[Rmap.MM_ANONPAGES]++;
    m.mlock.onMap(pfn, v);
    swapMap[slot]--;
    // should_try_to_free_swap: no other PTE needs the slot, so the page leaves swap and is ours alone.
    if (swapMap[slot] == 0) {
      deleteFromSwapCache(pfn);
    }
    boolean anonExclusive = m.kernelConfig.has(KernelChange.ANON_EXCLUSIVE);
    // do_swap_page: an entry that was exclusive (or a page no one else holds) is mapped exclusive, writable if the VMA is.
    // Before 5.18 a write fault asked reuse_swap_page, which counts mappings and swap entries only,
    // so a page someone else holds is still reused in place; c145e0b47c77 (5.18) reuses it only when
    // page_count is 1, the swap cache let go (should_try_to_free_swap).
    boolean exclusive = anonExclusive
        ? (pte & Pte.SWP_EXCLUSIVE) != 0 || mem.mapcount[pfn] == 1 && mem.refcount[pfn] == 1
        : m.kernelConfig.has(KernelChange.SWAP_PAGE_COUNT) ? mem.refcount[pfn] == 1 : mem.mapcount[pfn] + swapCountOf(pfn) <= 1;
    if (exclusive && anonExclusive) {
      mem.flags[pfn] |= PageFlags.PG_ANON_EXCLUSIVE;
    }
    boolean writable = exclusive && v.has(VmFlags.VM_WRITE) && (write || anonExclusive);
    long newPte = Pte.make(pfn, Pte.PRESENT | Pte.YOUNG | (writable ? Pte.WRITE : 0) | (write && writable ? Pte.DIRTY : 0));
    mm.pgtable.set(vpn, newPte);
    if (write && !Pte.writable(newPte)) {
      return m.memory.doWpPage(mm, v, vpn, newPte);
    }
    return newPte;
  }

  /** Migration moved a swap-cache page to another frame. */
  void moveCached(int pfn, int target) {
    int slot = slotOfPage.remove(pfn);
    slotOfPage.put(target, slot);
    cachePfn[slot] = target;
  }

  /** swap_duplicate: fork copies a PTE holding a swap entry. */
  void swapDuplicate(int slot) {
    swapMap[slot]++;
  }

  /** free_swap_and_cache: a PTE holding a swap entry is zapped. */
  void freeSwapEntry(int slot) {
    m.vmstat.count(VmEvent.ZAP_SWAP_PTE);
    swapMap[slot]--;
    if (swapMap[slot] > 0) {
      return;
    }
    int pfn = cachePfn[slot];
    if (pfn == MemMap.NONE) {
      freeSlot(slot);
    } else if (mem.refcount[pfn] == 1) {
      deleteFromSwapCache(pfn);
    }
  }

  private void freeSlot(int slot) {
    content.release(slotContent[slot]);
    slotContent[slot] = Content.ZERO;
    used--;
  }

  /** Swap slots referenced by a PTE or the cache, for the invariant checker: slot to PTE count. */
  int count(int slot) {
    return swapMap[slot];
  }

  int cached(int slot) {
    return cachePfn[slot];
  }

  long slotToken(int slot) {
    return slotContent[slot];
  }
}
