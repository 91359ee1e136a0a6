package org.userptrlab.mm;

/**
 * A process's page tables: a four-level radix tree of 512-entry levels (pgd, pud, pmd, pte), as
 * x86-64 with 4-level paging and a 47-bit user address space. Leaves are {@code long[512]} PTE
 * pages; a range operation visits them a leaf at a time, so per-page work is an array loop.
 */
final class PageTable {
  static final int PTRS_PER_TABLE = 512;
  private static final int BITS = 9;
  private static final int MASK = PTRS_PER_TABLE - 1;

  private final long[][][][] pgd = new long[PTRS_PER_TABLE][][][];
  /**
   * The PTE pages in address order, by the vpn of their first entry, so that a walk of all of them
   * skips the empty upper levels: sorted arrays, since a process has a handful and a lookup goes
   * through the radix tree.
   */
  private long[] bases = new long[8];
  private long[][] tables = new long[8][];
  private int count;

  /** The PTE for a virtual page number, 0 (pte_none) when no table covers it. */
  long get(long vpn) {
    long[] leaf = leaf(vpn, false);
    return leaf == null ? 0 : leaf[(int) vpn & MASK];
  }

  void set(long vpn, long pte) {
    leaf(vpn, true)[(int) vpn & MASK] = pte;
  }

  /** What {@link #forEachPresent} calls for a present PTE; it may rewrite {@code leaf[slot]}. */
  interface PresentPte {
    /** Returns whether it changed the PTE. */
    boolean visit(long[] leaf, int slot, long pte);
  }

  /**
   * Visits every present PTE in [startVpn, endVpn) a leaf at a time, skipping the ranges no table
   * covers (the walk of change_pte_range and its kin); returns how many PTEs the visitor changed.
   */
  long forEachPresent(long startVpn, long endVpn, PresentPte f) {
    long changed = 0;
    for (long vpn = startVpn; vpn < endVpn; ) {
      long leafEnd = Math.min(leafEnd(vpn), endVpn);
      long[] leaf = leaf(vpn, false);
      if (leaf == null) {
        vpn = leafEnd;
        continue;
      }
      for (int i = slot(vpn); vpn < leafEnd; vpn++, i++) {
        long pte = leaf[i];
        if (Pte.present(pte) && f.visit(leaf, i, pte)) {
          changed++;
        }
      }
    }
    return changed;
  }

  /** The PTE page covering {@code vpn}; allocated on demand when {@code alloc} (pte_alloc). */
  long[] leaf(long vpn, boolean alloc) {
    int i1 = (int) (vpn >>> (3 * BITS)) & MASK;
    long[][][] pud = pgd[i1];
    if (pud == null) {
      if (!alloc) {
        return null;
      }
      pud = pgd[i1] = new long[PTRS_PER_TABLE][][];
    }
    int i2 = (int) (vpn >>> (2 * BITS)) & MASK;
    long[][] pmd = pud[i2];
    if (pmd == null) {
      if (!alloc) {
        return null;
      }
      pmd = pud[i2] = new long[PTRS_PER_TABLE][];
    }
    int i3 = (int) (vpn >>> BITS) & MASK;
    long[] pte = pmd[i3];
    if (pte == null && alloc) {
      pte = pmd[i3] = new long[PTRS_PER_TABLE];
      put(vpn & ~(long) MASK, pte);
    }
    return pte;
  }

  /** Whether a PTE page stands for a PMD mapping (pmd_trans_huge). */
  static boolean isPmd(long[] leaf) {
    return (leaf[0] & Pte.PMD) != 0;
  }

  /** set_pmd_at: a PMD mapping of the 2 MiB at {@code vpn}, whose PMD was none. */
  void setPmd(long vpn, long[] entries) {
    long[][] pmd = pmdTable(vpn);
    int i3 = (int) (vpn >>> BITS) & MASK;
    if (pmd[i3] != null) {
      throw new IllegalStateException("set_pmd_at over a PMD that is not none at vpn 0x" + Long.toHexString(vpn));
    }
    pmd[i3] = entries;
    put(leafStart(vpn), entries);
  }

  /** pmdp_huge_get_and_clear: the PMD mapping at {@code vpn} goes; the PMD is none again. */
  void clearPmd(long vpn) {
    pmdTable(vpn)[(int) (vpn >>> BITS) & MASK] = null;
    remove(leafStart(vpn));
  }

  private long[][] pmdTable(long vpn) {
    long[][][] pud = pgd[(int) (vpn >>> (3 * BITS)) & MASK];
    if (pud == null) {
      pud = pgd[(int) (vpn >>> (3 * BITS)) & MASK] = new long[PTRS_PER_TABLE][][];
    }
    int i2 = (int) (vpn >>> (2 * BITS)) & MASK;
    return pud[i2] != null ? pud[i2] : (pud[i2] = new long[PTRS_PER_TABLE][]);
  }

  /** Frees the PTE page covering {@code vpn} if every entry in it is none (free_pte_range). */
  void freeIfEmpty(long vpn) {
    long[][][] pud = pgd[(int) (vpn >>> (3 * BITS)) & MASK];
    if (pud == null) {
      return;
    }
    long[][] pmd = pud[(int) (vpn >>> (2 * BITS)) & MASK];
    if (pmd == null) {
      return;
    }
    int i3 = (int) (vpn >>> BITS) & MASK;
    long[] pte = pmd[i3];
    if (pte == null) {
      return;
    }
    for (long e : pte) {
      if (e != 0) {
        return;
      }
    }
    pmd[i3] = null;
    remove(vpn & ~(long) MASK);
  }

  /** Notes the PTE page of {@code base} in address order, or replaces the one noted there. */
  private void put(long base, long[] table) {
    int at = java.util.Arrays.binarySearch(bases, 0, count, base);
    if (at >= 0) {
      tables[at] = table;
      return;
    }
    at = -at - 1;
    if (count == bases.length) {
      bases = java.util.Arrays.copyOf(bases, 2 * count);
      tables = java.util.Arrays.copyOf(tables, 2 * count);
    }
    System.arraycopy(bases, at, bases, at + 1, count - at);
    System.arraycopy(tables, at, tables, at + 1, count - at);
    bases[at] = base;
    tables[at] = table;
    count++;
  }

  private void remove(long base) {
    int at = java.util.Arrays.binarySearch(bases, 0, count, base);
    if (at < 0) {
      return;
    }
    System.arraycopy(bases, at + 1, bases, at, count - at - 1);
    System.arraycopy(tables, at + 1, tables, at, count - at - 1);
    tables[--count] = null;
  }

  /** Number of PTE pages allocated (nr_page_table_pages for this mm); the {@code i}th of them in address order is below. */
  int ptePages() {
    return count;
  }

  /** The vpn of the first entry of the {@code i}th PTE page in address order. */
  long leafBase(int i) {
    return bases[i];
  }

  /** The {@code i}th PTE page in address order; for reading only. */
  long[] leafAt(int i) {
    return tables[i];
  }

  static int slot(long vpn) {
    return (int) vpn & MASK;
  }

  /** The first vpn after the PTE page holding {@code vpn}. */
  static long leafEnd(long vpn) {
    return (vpn | MASK) + 1;
  }

  /** The vpn of the first entry of the PTE page covering {@code vpn}. */
  static long leafStart(long vpn) {
    return vpn & ~(long) MASK;
  }
}
