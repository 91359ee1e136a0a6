package org.userptrlab.mm;

/**
 * Page reclaim (mm/vmscan.c: shrink_folio_list, mm/rmap.c: folio_referenced and try_to_unmap).
 * The LRU is approximated by a clock over the frames in pfn order: a page whose PTEs were
 * accessed since the last pass (or that is PG_referenced) gets a second chance; mlocked pages are
 * unevictable; anonymous pages go to swap (the PTEs become swap entries), clean page-cache pages
 * are dropped and dirty ones written back first. A page someone still holds is unmapped and
 * written out but not freed: it stays in the swap cache (or page cache) until they let go.
 */
final class Vmscan {
  private final Machine m;
  private final MemMap mem;
  private int hand = MemMap.ZERO_PFN + 1;

  Vmscan(Machine m) {
    this.m = m;
    this.mem = m.mem;
  }

  /** Reclaims up to {@code target} frames; returns how many were freed. At most two sweeps of memory. */
  int shrink(int target) {
    int freed = 0;
    long budget = 2L * mem.nrFrames;
    while (freed < target && budget-- > 0) {
      int pfn = hand;
      hand = hand + 1 == mem.nrFrames ? MemMap.ZERO_PFN + 1 : hand + 1;
      if (mem.isFree(pfn) || !mem.pageLru(pfn)
          || mem.pageUnevictable(pfn)) {
        continue;
      }
      m.vmstat.count(VmEvent.PGSCAN);
      if (referenced(pfn)) {
        continue;
      }
      if (reclaim(pfn)) {
        freed++;
        m.vmstat.count(VmEvent.PGSTEAL);
      }
    }
    return freed;
  }

  /** Whether the page {@link #referenced} looks at was young; set by {@link #clearYoung}, made once for every scan. */
  private boolean young;
  private final Rmap.PteVisitor clearYoung = (v, vpn, leaf, slot) -> {
    // ptep_clear_flush_young
    long pte = leaf[slot];
    if ((pte & Pte.YOUNG) != 0) {
      leaf[slot] = pte & ~Pte.YOUNG;
      young = true;
    }
    return true;
  };

  /** folio_referenced: test and clear the accessed bits of every PTE mapping the page, and PG_referenced. */
  private boolean referenced(int pfn) {
    young = mem.pageReferenced(pfn);
    mem.flags[pfn] &= ~PageFlags.PG_REFERENCED;
    m.rmap.walkPtes(pfn, clearYoung);
    return young;
  }

  /** shrink_folio_list for one page; true when the frame was freed. */
  boolean reclaim(int pfn) {
    int head = mem.folio(pfn);
    // shrink_folio_list: a large folio is split before its pages go to swap (split_folio_to_list); one held stays.
    if (mem.folioLarge(head) && !m.thp.splitFolio(head, false)) {
      return false;
    }
    boolean anon = mem.pageAnon(pfn);
    if (anon && (mem.flags[pfn] & PageFlags.PG_SWAPBACKED) == 0) {
      return reclaimLazyfree(pfn);
    }
    if (anon) {
      boolean maybePinned = mem.folioMaybeDmaPinned(pfn);
      if (m.kernelConfig.has(KernelChange.RECLAIM_SKIP_PINNED) && maybePinned) {
        // try_to_unmap_one: folio_try_share_anon_rmap_pte refuses a maybe-pinned exclusive page.
        return false;
      }
      if (!mem.pageSwapCache(pfn) && !m.swap.addToSwap(pfn)) {
        return false;
      }
      // folio_try_share_anon_rmap_pte: a page leaving its PTEs for swap entries is no longer exclusive;
      // the swap entry remembers that it was (pte_swp_mkexclusive).
      boolean exclusive = mem.pageAnonExclusive(pfn);
      mem.flags[pfn] &= ~PageFlags.PG_ANON_EXCLUSIVE;
      tryToUnmap(pfn, true, exclusive);
      if (mem.pageDirty(pfn)) {
        m.swap.writePage(pfn);
      }
      if (mem.refcount[pfn] == 1) {
        m.swap.deleteFromSwapCache(pfn);
        return true;
      }
      return false;
    }
    MemFile f = m.files.get(mem.mapping[pfn]);
    if (f == null || f.shmem) {
      // shmem pages would go to swap through shmem_writepage, which the model does not have.
      return false;
    }
    tryToUnmap(pfn, false, false);
    if (mem.refcount[pfn] == 1) {
      m.files.deleteFromPageCache(f, mem.index[pfn]);
      return true;
    }
    return false;
  }

  /**
   * A page MADV_FREE made lazily freeable (try_to_unmap_one's !folio_test_swapbacked branch): if
   * it was written since (a dirty PTE or PG_dirty) it is swap-backed again and kept; if anyone but
   * its mappings holds it (a pin, a direct I/O) it is kept; otherwise its PTEs are cleared, not
   * turned into swap entries, and the frame is freed: the next touch reads zeros.
   */
  private boolean reclaimLazyfree(int pfn) {
    boolean[] dirty = {mem.pageDirty(pfn)};
    m.rmap.walkPtes(pfn, (v, vpn, leaf, slot) -> {
      dirty[0] |= (leaf[slot] & Pte.DIRTY) != 0;
      return true;
    });
    if (dirty[0]) {
      mem.flags[pfn] |= PageFlags.PG_SWAPBACKED;
      return false;
    }
    if (mem.refcount[pfn] != mem.mapcount[pfn]) {
      return false;
    }
    tryToUnmap(pfn, false, false);
    m.vmstat.count(VmEvent.PGLAZYFREED);
    return true;
  }

  /** try_to_unmap: every PTE of the page goes (anonymous: to a swap entry), each mm told and flushed. */
  void tryToUnmap(int pfn, boolean toSwap, boolean exclusive) {
    // The mappings first, then the changes: the walk runs over the anon_vma's own list. As many as
    // the mapcount says, which a consistent machine never exceeds.
    int most = Math.max(1, mem.mapcount[pfn]);
    Vma[] vmas = new Vma[most];
    long[] vpns = new long[most];
    int[] found = {0};
    m.rmap.walk(pfn, (v, vpn) -> {
      if (found[0] == most) {
        throw new IllegalStateException("pfn " + pfn + " is mapped more often than its mapcount " + most + " says");
      }
      vmas[found[0]] = v;
      vpns[found[0]++] = vpn;
      return true;
    });
    for (int i = 0; i < found[0]; i++) {
      Vma v = vmas[i];
      long vpn = vpns[i];
      m.notifiers.invalidate(v.mm, vpn, vpn + 1, MmuNotifierEvent.CLEAR);
      long pte = v.mm.pgtable.get(vpn);
      if ((pte & Pte.DIRTY) != 0) {
        mem.flags[pfn] |= PageFlags.PG_DIRTY;
      }
      v.mm.pgtable.set(vpn, toSwap ? m.swap.entryFor(pfn, exclusive) : 0);
      m.rmap.removeRmap(pfn, v);
      m.pageAlloc.putPage(pfn);
      m.tlb.flush(v.mm, vpn, vpn + 1);
    }
  }
}
