package org.userptrlab.mm;

import java.util.ArrayList;
import java.util.List;

/**
 * The madvise behaviours that act on the pages of a range rather than on its VMAs (mm/madvise.c):
 * MADV_FREE, MADV_COLD, MADV_PAGEOUT and MADV_POPULATE_(READ|WRITE). {@link Mmap#madvise} has
 * checked the range and each VMA before any of them runs.
 */
final class Madvise {
  private final Machine m;
  private final MemMap mem;

  Madvise(Machine m) {
    this.m = m;
    this.mem = m.mem;
  }

  /**
   * madvise_free_pte_range, or madvise_cold_or_pageout_pte_range for MADV_COLD and MADV_PAGEOUT,
   * over each VMA of [start, end). From 5.6 a page another process also maps is left alone ("do
   * not interfere with other mappings of this page": its mapcount must be 1, the rule 6.12 still
   * has for a small folio); 5.4 and 5.5 page out a page a forked child shares too, from both.
   * MADV_FREE has had the rule from the start (madvise_free_pte_range).
   */
  void lru(Mm mm, long start, long end, int advice) {
    List<Integer> pageout = new ArrayList<>();
    for (Vma v : mm.intersecting(start, end)) {
      long from = Math.max(start, v.start) >>> Page.PAGE_SHIFT;
      long to = Math.min(end, v.end) >>> Page.PAGE_SHIFT;
      // A PMD mapping the range covers in part is split (madvise_cold_or_pageout_pte_range, madvise_free_huge_pmd).
      m.thp.splitPartial(mm, from, to);
      if (advice == Mman.MADV_FREE) {
        free(mm, v, from, to);
        continue;
      }
      for (long vpn = from; vpn < to; vpn++) {
        long pte = mm.pgtable.get(vpn);
        if (!Pte.present(pte) || Pte.special(pte)) {
          continue;
        }
        int pfn = Pte.pfn(pte);
        boolean shared = mem.pageMapcount(pfn) != 1 && m.kernelConfig.has(KernelChange.PAGEOUT_SKIP_SHARED);
        if (shared || !mem.pageLru(pfn)) {
          continue;
        }
        // ptep_test_and_clear_young and folio_clear_referenced: the page looks cold to reclaim.
        mm.pgtable.set(vpn, pte & ~Pte.YOUNG);
        mem.clearFolioFlag(pfn, PageFlags.PG_REFERENCED);
        if (advice == Mman.MADV_PAGEOUT && !mem.pageUnevictable(pfn)) {
          pageout.add(pfn);
        }
      }
    }
    // reclaim_pages: shrink_folio_list with the references ignored. It keeps what it must: a page it
    // cannot swap (no swap, or swap full), a maybe-pinned anonymous page on 5.11+, a page still held.
    for (int pfn : pageout) {
      if (!mem.isFree(pfn) && mem.pageMapcount(pfn) > 0) {
        int freed = m.vmscan.reclaim(pfn);
        m.vmstat.count(VmEvent.PGSTEAL, freed);
        // Isolated, looked at and put back untouched, still mapped and in no swap cache: its time spent for nothing.
        if (freed == 0 && !mem.isFree(pfn) && mem.pageMapcount(pfn) > 0 && !mem.pageSwapCache(pfn)) {
          m.vmstat.count(VmEvent.RECLAIM_PUTBACK);
        }
      }
    }
  }

  /**
   * madvise_willneed over each VMA of [start, end): for anonymous memory, swapin_walk_pmd_entry
   * reads each swapped-out page into the swap cache (read_swap_cache_async), not mapped: a touch
   * then finds it there, a minor fault. A disk file's pages not in the page cache are read into it
   * (vfs_fadvise's POSIX_FADV_WILLNEED readahead), up to the file's end. shmem reads its swapped
   * pages back (shmem_swapin_range), which the model never swaps out; hugetlbfs ignores the advice.
   * Where no page can be had the reading ahead stops and the advice still succeeds, as the kernel's
   * does (read_swap_cache_async answers NULL; madvise_willneed returns 0).
   */
  void willneed(Mm mm, long start, long end) {
    try {
      readAhead(mm, start, end);
    } catch (MmException e) {
      // No memory for the rest: it is read when it is touched.
    }
  }

  private void readAhead(Mm mm, long start, long end) {
    for (Vma v : mm.intersecting(start, end)) {
      long from = Math.max(start, v.start) >>> Page.PAGE_SHIFT;
      long to = Math.min(end, v.end) >>> Page.PAGE_SHIFT;
      if (v.file == null) {
        if (v.device != null) {
          continue;
        }
        for (long vpn = from; vpn < to; vpn++) {
          long pte = mm.pgtable.get(vpn);
          if (Pte.swap(pte) && !Pte.devicePrivate(pte)) {
            m.swap.readSwapCache(v, vpn, Pte.pfn(pte));
          }
        }
      } else if (!v.file.shmem && !Hugetlb.isHugetlb(v)) {
        long last = Math.min(v.filePage(to), v.file.pages);
        for (long page = v.filePage(from); page < last; page++) {
          m.files.readahead(v.file, (int) page);
        }
      }
    }
  }

  /**
   * madvise_free_pte_range: swap entries are freed (the range then reads as zeros); each page only
   * this process maps leaves the swap cache if it can, is marked clean and lazily freeable
   * (folio_mark_lazyfree clears PG_swapbacked) and its PTE old and clean: reclaim may drop it
   * without writing it anywhere, unless it is written again first.
   */
  private void free(Mm mm, Vma v, long from, long to) {
    m.notifiers.invalidate(mm, from, to, MmuNotifierEvent.CLEAR);
    for (long vpn = from; vpn < to; vpn++) {
      long pte = mm.pgtable.get(vpn);
      if (pte == 0) {
        continue;
      }
      if (Pte.swap(pte)) {
        mm.pgtable.set(vpn, 0);
        m.swap.freeSwapEntry(Pte.pfn(pte));
        continue;
      }
      // madvise_free_pte_range leaves every other non-present entry, a device-private one included.
      if (Pte.special(pte) || Pte.devicePrivate(pte)) {
        continue;
      }
      int pfn = Pte.pfn(pte);
      if (mem.folio(pfn) != pfn || mem.folioLarge(pfn)) {
        // madvise_free_pte_range splits a large folio to free its pages one by one; one held stays as it is.
        m.thp.splitAll(mm, vpn, vpn + 1);
        if (!m.thp.splitFolio(mem.folio(pfn), false)) {
          continue;
        }
        // The split wrote the PTE afresh (a PMD mapping became a PTE page): what is cleared below is that one.
        pte = mm.pgtable.get(vpn);
      }
      if (mem.mapcount[pfn] != 1) {
        continue;
      }
      if (mem.pageSwapCache(pfn)) {
        m.swap.dropSwapCache(pfn);
        if (mem.pageSwapCache(pfn)) {
          continue;
        }
      }
      mem.flags[pfn] &= ~(PageFlags.PG_DIRTY | PageFlags.PG_SWAPBACKED | PageFlags.PG_REFERENCED);
      mm.pgtable.set(vpn, pte & ~(Pte.DIRTY | Pte.YOUNG));
    }
    m.tlb.flush(mm, from, to);
  }

  /**
   * madvise_populate: faultin_page_range over each VMA, as reads or as writes (a write breaks COW
   * and dirties a shared page). A fault that would raise SIGBUS (past the end of a file) fails
   * the call with EFAULT; the pages before it stay populated, as in the kernel.
   */
  void populate(Mm mm, long start, long end, boolean write) {
    for (Vma v : mm.intersecting(start, end)) {
      long to = Math.min(end, v.end) >>> Page.PAGE_SHIFT;
      for (long vpn = Math.max(start, v.start) >>> Page.PAGE_SHIFT; vpn < to; vpn++) {
        try {
          m.memory.populate(mm, v, vpn, write);
        } catch (SignalException e) {
          throw MmException.of(Errno.EFAULT, "madvise(%s): the fault at 0x%x failed: %s",
              write ? "MADV_POPULATE_WRITE" : "MADV_POPULATE_READ", Page.addr(vpn), e.getMessage());
        }
      }
    }
  }
}
