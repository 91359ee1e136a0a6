package org.userptrlab.mm;

import java.util.ArrayList;

/**
 * Taking pages out of a file (mm/truncate.c, mm/shmem.c): truncate(2) past them, or a hole punched
 * in it (MADV_REMOVE, fallocate(FALLOC_FL_PUNCH_HOLE)). The mappings lose them first, then the page
 * cache; a page someone else holds lives on, theirs alone, no longer the file's.
 */
final class Truncate {
  private final Machine m;

  Truncate(Machine m) {
    this.m = m;
  }

  /**
   * truncate_setsize: i_size first (a fault past it is SIGBUS from now on), then, when shrinking,
   * truncate_pagecache: unmap_mapping_range with even_cows (private copies of the lost pages go too)
   * and truncate_inode_pages; the disk's blocks past the end are freed. Growing leaves a hole of zeros.
   */
  void truncate(MemFile f, long newPages) {
    if ((newPages & ((1L << f.hugetlbOrder) - 1)) != 0) {
      throw MmException.of(Errno.EINVAL, "truncate: %s takes only whole huge pages of %d KiB; %d pages is not (hugetlbfs_setattr)",
          f, 4L << f.hugetlbOrder, newPages);
    }
    long old = f.pages;
    f.pages = newPages;
    if (newPages < old) {
      unmapMappingRange(f, newPages, old, true);
      truncateInodePages(f, newPages, old);
    }
  }

  /**
   * shmem_fallocate(FALLOC_FL_PUNCH_HOLE) as madvise_remove asks for it: unmap_mapping_range without
   * even_cows (a private mapping keeps the copies it wrote), then the pages leave the file, which
   * reads as zeros there.
   */
  void punchHole(MemFile f, long fromPage, long toPage) {
    if (f.hugetlbOrder != 0) {
      // hugetlbfs_punch_hole: whole huge pages inside the range only, unmapped from every mapping, private copies too.
      long huge = 1L << f.hugetlbOrder;
      long from = (fromPage + huge - 1) & -huge;
      long to = toPage & -huge;
      if (from < to) {
        unmapMappingRange(f, from, to, true);
        truncateInodePages(f, from, to);
      }
      return;
    }
    unmapMappingRange(f, fromPage, toPage, false);
    truncateInodePages(f, fromPage, toPage);
  }

  /** unmap_mapping_range: each VMA mapping the file loses its PTEs of file pages [from, to); private copies only with evenCows. */
  private void unmapMappingRange(MemFile f, long from, long to, boolean evenCows) {
    for (Vma v : new ArrayList<>(f.mmaps)) {
      long s = Math.max(v.startVpn(), v.startVpn() + from - v.pgoff);
      long e = Math.min(v.endVpn(), v.startVpn() + to - v.pgoff);
      if (s >= e) {
        continue;
      }
      if (evenCows || v.has(VmFlags.VM_SHARED)) {
        m.memory.zap(v.mm, v, s, e, MmuNotifierEvent.UNMAP);
        continue;
      }
      // zap_details.even_cows false: should_zap_folio leaves the anonymous copies of a private mapping alone.
      for (long vpn = s; vpn < e; vpn++) {
        long pte = v.mm.pgtable.get(vpn);
        if (Pte.present(pte) && !Pte.special(pte) && !m.mem.pageAnon(Pte.pfn(pte))) {
          m.memory.zap(v.mm, v, vpn, vpn + 1, MmuNotifierEvent.UNMAP);
        }
      }
    }
  }

  /**
   * truncate_inode_pages_range: each cached page of [from, to) leaves the page cache without being
   * written back (its dirty state is cancelled) and the file's blocks there are freed.
   */
  private void truncateInodePages(MemFile f, long from, long to) {
    if (f.hugetlbOrder != 0) {
      // remove_inode_hugepages ends in hugetlb_unreserve_pages: counted before the pages leave the cache.
      m.hugetlb.unreserveRange(f, from, to);
    }
    int end = (int) Math.min(to, f.cacheSpan());
    for (int page = (int) from; page < end; page++) {
      int pfn = f.cached(page);
      if (pfn != MemMap.NONE) {
        m.mem.flags[pfn] &= ~PageFlags.PG_DIRTY;
        m.files.deleteFromPageCache(f, page);
      }
    }
    f.dropDiskTokens(m.content, (int) from, (int) Math.min(to, Integer.MAX_VALUE));
  }
}
