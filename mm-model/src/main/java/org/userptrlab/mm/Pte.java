package org.userptrlab.mm;

/**
 * The encoding of a page-table entry in a {@code long}: flag bits below bit 12, the pfn (or, for a
 * swap entry, the swap offset) above, as a hardware PTE. Zero is pte_none.
 */
final class Pte {
  static final long PRESENT = 1;
  static final long WRITE = 1 << 1;
  static final long DIRTY = 1 << 2;
  static final long YOUNG = 1 << 3;
  /** A non-present swap entry (is_swap_pte): the pfn field holds the swap offset. */
  static final long SWAP = 1 << 4;
  /** pte_special: a mapping with no struct page to count (the zero page, VM_PFNMAP). */
  static final long SPECIAL = 1 << 5;
  /** pte_swp_exclusive (5.19+): the page was exclusive to this PTE when it went to swap. */
  static final long SWP_EXCLUSIVE = 1 << 6;
  /** The entry is one page of a PMD mapping (pmd_trans_huge): every entry of its PTE page maps the same folio. */
  static final long PMD = 1 << 7;
  /**
   * A device-private entry (is_device_private_entry): non-present, the pfn field a device-private
   * page, {@link #WRITE} for make_writable_device_private_entry. A CPU access faults, and the page's
   * owner migrates it back to RAM (do_swap_page calls pgmap->ops->migrate_to_ram).
   */
  static final long DEVICE_PRIVATE = 1 << 8;
  static final int PFN_SHIFT = 12;

  private Pte() {}

  static long make(long pfn, long bits) {
    return (pfn << PFN_SHIFT) | bits;
  }

  static boolean present(long pte) {
    return (pte & PRESENT) != 0;
  }

  static boolean writable(long pte) {
    return (pte & WRITE) != 0;
  }

  static boolean special(long pte) {
    return (pte & SPECIAL) != 0;
  }

  static boolean swap(long pte) {
    return (pte & SWAP) != 0;
  }

  static boolean devicePrivate(long pte) {
    return (pte & DEVICE_PRIVATE) != 0;
  }

  /** make_writable_device_private_entry or make_readable_device_private_entry. */
  static long devicePrivate(int pfn, boolean writable) {
    return make(pfn, DEVICE_PRIVATE | (writable ? WRITE : 0));
  }

  static int pfn(long pte) {
    return (int) (pte >>> PFN_SHIFT);
  }

  static long wrprotect(long pte) {
    return pte & ~WRITE;
  }
}
