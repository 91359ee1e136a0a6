package org.userptrlab.mm;

/** Per-frame flag bits, as include/linux/page-flags.h names them (PageAnon is a flag here, not a mapping bit). */
final class PageFlags {
  static final short PG_ANON = 1;
  static final short PG_DIRTY = 1 << 1;
  static final short PG_MLOCKED = 1 << 2;
  static final short PG_SWAPBACKED = 1 << 3;
  /** PageAnonExclusive (5.19+): this process alone may map the page, so a write fault reuses it. */
  static final short PG_ANON_EXCLUSIVE = 1 << 4;
  static final short PG_LRU = 1 << 5;
  static final short PG_REFERENCED = 1 << 6;
  static final short PG_UNEVICTABLE = 1 << 7;
  /** PageBuddy: on a free list. */
  static final short PG_BUDDY = 1 << 8;
  static final short PG_RESERVED = 1 << 9;
  static final short PG_SWAPCACHE = 1 << 10;
  /** PageHead: the first frame of a large folio, which holds the folio's refcount, flags, mapping and index. */
  static final short PG_HEAD = 1 << 11;
  /** PageTail: a later frame of a large folio; its mapping field names the head (compound_head). */
  static final short PG_TAIL = 1 << 12;
  /** folio_test_hugetlb: the head of a huge page of a hugetlb pool, which goes back to its pool, never to the buddy allocator. */
  static final short PG_HUGETLB = 1 << 13;
  /**
   * The model's, on a free frame: the run freed it (free_unref_folios put it at the head of a per-CPU
   * list, where rmqueue_pcplist takes the next page from), so its struct page and bytes are still in
   * the CPU's caches and, in a guest, the host still backs it; a frame never handed out since boot is
   * none of these. Not printed: the kernel has no such flag.
   */
  static final short PG_WARM = 1 << 14;

  private PageFlags() {}

  static String describe(short f) {
    StringBuilder sb = new StringBuilder();
    String[] names = {"anon", "dirty", "mlocked", "swapbacked", "anon_exclusive", "lru", "referenced",
        "unevictable", "buddy", "reserved", "swapcache", "head", "tail", "hugetlb"};
    for (int i = 0; i < names.length; i++) {
      if ((f & (1 << i)) != 0) {
        sb.append(sb.length() == 0 ? "" : "|").append(names[i]);
      }
    }
    return sb.length() == 0 ? "-" : sb.toString();
  }
}
