package org.userptrlab.mm;

import java.util.ArrayList;
import java.util.List;

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

  /**
   * Reclaims up to {@code target} frames; returns how many were freed. At most three sweeps of memory: a young page's
   * accessed bit cleared, then written out to swap (kept in the swap cache while the write is in flight), then freed.
   */
  int shrink(int target) {
    int freed = 0;
    long budget = 3L * mem.nrFrames;
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
      int n = reclaim(pfn);
      freed += n;
      m.vmstat.count(VmEvent.PGSTEAL, n);
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

  /** shrink_folio_list for the folio of one page; the frames it freed (a large folio swapped out whole frees all of its). */
  int reclaim(int pfn) {
    int head = mem.folio(pfn);
    if (mem.folioLarge(head)) {
      // can_split_folio: a large folio someone holds stays whole and mapped (from 4.5; before, the split hands the pages their references).
      if (m.kernelConfig.has(KernelChange.THP_PTE_MAPPED) && !m.thp.refcountSuitable(head)) {
        m.reached(ModelPath.RECLAIM_LARGE_HELD);
        return 0;
      }
      if (wholeSwapOut(head)) {
        int nr = swapOutWhole(head);
        if (nr > 0) {
          return nr;
        }
        m.vmstat.count(VmEvent.THP_SWPOUT_FALLBACK);
      }
      // split_folio_to_list: the pages go one by one.
      if (!m.thp.splitFolio(head, false)) {
        return 0;
      }
    }
    return reclaimSmall(pfn) ? 1 : 0;
  }

  /**
   * Whether add_to_swap takes the large folio whole (4.14, PMD-sized): anonymous and swap-backed,
   * mapped whole (one mapped in part is split first to free its unmapped pages without I/O), and
   * not pinned where the kernel keeps pinned pages out of swap.
   */
  private boolean wholeSwapOut(int head) {
    return m.kernelConfig.has(KernelChange.THP_SWAP) && mem.folioOrder(head) == Thp.HPAGE_PMD_ORDER && mem.pageAnon(head)
        && (mem.flags[head] & (PageFlags.PG_SWAPBACKED | PageFlags.PG_HUGETLB | PageFlags.PG_SWAPCACHE)) == PageFlags.PG_SWAPBACKED
        && !m.thp.onDeferredSplitQueue(head)
        && !(m.kernelConfig.has(KernelChange.RECLAIM_SKIP_PINNED) && mem.folioMaybeDmaPinned(head));
  }

  /**
   * A THP to swap whole: a cluster of slots (none free in a row: 0, and the caller splits it),
   * pageout of every page to its slot, try_to_unmap with TTU_SPLIT_HUGE_PMD (a PMD mapping becomes
   * PTEs, then every PTE a swap entry, exclusive where the page was), and the folio freed whole with
   * its last mapping. Returns the frames freed.
   */
  private int swapOutWhole(int head) {
    int nr = mem.folioNrPages(head);
    int first = m.swap.allocCluster(nr);
    if (first < 0) {
      return 0;
    }
    m.thp.splitPmds(head);
    for (int i = 0; i < nr; i++) {
      m.swap.writeToSlot(head + i, first + i);
    }
    List<Vma> vmas = new ArrayList<>();
    List<long[]> at = new ArrayList<>();
    for (int p = head; p < head + nr; p++) {
      int page = p;
      m.rmap.walk(p, (v, vpn) -> {
        vmas.add(v);
        at.add(new long[] {vpn, page});
        return true;
      });
    }
    for (int i = 0; i < vmas.size(); i++) {
      Vma v = vmas.get(i);
      long vpn = at.get(i)[0];
      int page = (int) at.get(i)[1];
      m.notifiers.invalidate(v.mm, vpn, vpn + 1, MmuNotifierEvent.CLEAR);
      boolean exclusive = (mem.flags[page] & PageFlags.PG_ANON_EXCLUSIVE) != 0;
      mem.flags[page] &= ~PageFlags.PG_ANON_EXCLUSIVE;
      v.mm.pgtable.set(vpn, m.swap.entryAt(first + page - head, exclusive));
      m.rmap.removeRmapKeepQueue(page, v);
      m.tlb.flush(v.mm, vpn, vpn + 1);
      m.pageAlloc.putPage(page);
    }
    m.swap.releaseUnreferenced(first, nr);
    m.vmstat.count(VmEvent.THP_SWPOUT);
    return nr;
  }

  /** shrink_folio_list for a small folio; true when the frame was freed. */
  private boolean reclaimSmall(int pfn) {
    boolean anon = mem.pageAnon(pfn);
    if (anon && (mem.flags[pfn] & PageFlags.PG_SWAPBACKED) == 0) {
      return reclaimLazyfree(pfn);
    }
    if (anon) {
      boolean maybePinned = mem.folioMaybeDmaPinned(pfn);
      if (m.kernelConfig.has(KernelChange.RECLAIM_SKIP_PINNED) && maybePinned) {
        // try_to_unmap_one: folio_try_share_anon_rmap_pte refuses a maybe-pinned exclusive page.
        m.reached(ModelPath.RECLAIM_SKIPPED_PINNED);
        return false;
      }
      if (!mem.pageSwapCache(pfn) && !m.swap.addToSwap(pfn)) {
        m.reached(ModelPath.RECLAIM_NO_SWAP_SLOT);
        return false;
      }
      // folio_try_share_anon_rmap_pte: a page leaving its PTEs for swap entries is no longer exclusive;
      // the swap entry remembers that it was (pte_swp_mkexclusive).
      boolean exclusive = mem.pageAnonExclusive(pfn);
      mem.flags[pfn] &= ~PageFlags.PG_ANON_EXCLUSIVE;
      tryToUnmap(pfn, true, exclusive);
      if (mem.pageDirty(pfn)) {
        m.swap.writePage(pfn);
        // pageout's PAGE_SUCCESS with the folio under writeback: "goto keep". A swap device on a disk completes the
        // write later, and the folio stays in the swap cache, unmapped, until a later pass finds it clean and frees
        // it; a touch meanwhile is a minor fault (do_swap_page finds it in the swap cache, no pswpin).
        m.reached(ModelPath.RECLAIM_KEPT_WRITEBACK);
        return false;
      }
      if (mem.refcount[pfn] == 1) {
        m.swap.deleteFromSwapCache(pfn);
        return true;
      }
      m.reached(ModelPath.RECLAIM_KEPT_HELD);
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
      m.reached(ModelPath.RECLAIM_DROPPED_FILE);
      return true;
    }
    m.reached(ModelPath.RECLAIM_KEPT_HELD);
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
