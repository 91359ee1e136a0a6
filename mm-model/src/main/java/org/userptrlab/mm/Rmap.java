package org.userptrlab.mm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reverse map (mm/rmap.c): anon_vmas and their registry, adding and removing a page's
 * mappings, and the walks from a frame to every PTE that maps it.
 */
final class Rmap {
  /**
   * Called for each (VMA, virtual page) that maps the frame; return false to stop the walk. It
   * must not add or remove VMAs (a caller that unmaps collects the mappings first, then acts), as
   * the walk runs over the anon_vma's and the file's own lists.
   */
  @FunctionalInterface
  interface Visitor {
    boolean visit(Vma v, long vpn);
  }

  /** A {@link Visitor} that is also given the PTE page and slot where the walk found the mapping (page_vma_mapped_walk's pvmw.pte). */
  @FunctionalInterface
  interface PteVisitor {
    boolean visit(Vma v, long vpn, long[] leaf, int slot);
  }

  private final Machine m;
  private final MemMap mem;

  Rmap(Machine m) {
    this.m = m;
    this.mem = m.mem;
  }

  // ---- anon_vma: allocation, and the registry a page's mapping points into ------------------

  /** The live anon_vmas by id (a page's mapping field), null where one was freed; ids are never reused. */
  private AnonVma[] anonVmas = new AnonVma[16];
  private int nextAnonVmaId = 1;

  /** anon_vma_alloc: a new anon_vma for VMAs starting at {@code base}, in {@code parent}'s tree (null: a root). */
  AnonVma anonVmaAlloc(long base, AnonVma parent) {
    AnonVma av = new AnonVma(nextAnonVmaId++, base, parent);
    if (av.id == anonVmas.length) {
      anonVmas = Arrays.copyOf(anonVmas, av.id * 2);
    }
    anonVmas[av.id] = av;
    return av;
  }

  /** The anon_vma a page's mapping names, or null once it is freed. */
  AnonVma anonVma(int id) {
    return id > 0 && id < nextAnonVmaId ? anonVmas[id] : null;
  }

  /** One past the last anon_vma id handed out: every live anon_vma is {@link #anonVma} of an id below it. */
  int anonVmaIdLimit() {
    return nextAnonVmaId;
  }

  /** The anon_vma lost a VMA; once it has none it is freed (a page still pointing at it is mapped nowhere). */
  void anonVmaUnused(AnonVma av) {
    if (av.vmas.isEmpty()) {
      anonVmas[av.id] = null;
    }
  }

  // ---- adding and removing mappings ----------------------------------------------------------

  /** anon_vma_prepare: give the VMA an anon_vma, a compatible neighbour's if it has one (find_mergeable_anon_vma). */
  void anonVmaPrepare(Vma v) {
    if (v.anonVma != null) {
      return;
    }
    AnonVma av = null;
    Vma prev = v.mm.prev(v);
    Vma next = v.mm.next(v);
    if (prev != null && prev.end == v.start && prev.flags == v.flags && prev.file == null && prev.device == null
        && prev.anonVma != null && prev.chain.size() == 1 && prev.pgoff + prev.pages() == v.pgoff) {
      av = prev.anonVma;
    } else if (next != null && next.start == v.end && next.flags == v.flags && next.file == null
        && next.device == null && next.anonVma != null && next.chain.size() == 1 && v.pgoff + v.pages() == next.pgoff) {
      av = next.anonVma;
    }
    if (av == null) {
      av = anonVmaAlloc(v.pgoff, null);
    }
    v.anonVma = av;
    v.chain.add(av);
    av.vmas.add(v);
  }

  /** folio_add_new_anon_rmap: a page new to this process is anonymous, mapped once, and (5.19+) exclusive. */
  void addNewAnonRmap(int pfn, Vma v, long vpn) {
    mem.flags[pfn] = (short) (PageFlags.PG_ANON | PageFlags.PG_SWAPBACKED | PageFlags.PG_LRU
        | (m.kernelConfig.has(KernelChange.ANON_EXCLUSIVE) ? PageFlags.PG_ANON_EXCLUSIVE : 0));
    mem.mapping[pfn] = v.anonVma.id;
    mem.index[pfn] = (int) (v.filePage(vpn) - v.anonVma.base);
    mem.mapcount[pfn] = 1;
    v.mm.rss[MM_ANONPAGES]++;
    m.mlock.onMap(pfn, v);
  }

  /**
   * folio_add_new_anon_rmap for a device-private page: the anon_vma and index of an anonymous page,
   * exclusive to this mapping; no LRU and no mlock, which need a CPU address.
   */
  void addNewDevicePrivateRmap(int pfn, Vma v, long vpn) {
    mem.flags[pfn] = (short) (PageFlags.PG_ANON | PageFlags.PG_SWAPBACKED
        | (m.kernelConfig.has(KernelChange.ANON_EXCLUSIVE) ? PageFlags.PG_ANON_EXCLUSIVE : 0));
    mem.mapping[pfn] = v.anonVma.id;
    mem.index[pfn] = (int) (v.filePage(vpn) - v.anonVma.base);
    mem.mapcount[pfn] = 1;
    v.mm.rss[MM_ANONPAGES]++;
  }

  /** folio_remove_rmap_pte of a device-private entry (zap_nonpresent_ptes, migration). */
  void removeDevicePrivateRmap(int pfn, Vma v) {
    v.mm.rss[MM_ANONPAGES]--;
    mem.mapcount[pfn]--;
  }

  /** The rss_stat counters (include/linux/mm_types_task.h: NR_MM_COUNTERS). */
  static final int MM_FILEPAGES = 0;
  static final int MM_ANONPAGES = 1;
  static final int MM_SHMEMPAGES = 2;

  /** mm_counter: which rss counter a mapped page counts in (mm_counter_file: swap-backed page cache is shmem). */
  static int mmCounter(MemMap mem, int pfn) {
    if (mem.pageAnon(pfn)) {
      return MM_ANONPAGES;
    }
    return (mem.flags[mem.folio(pfn)] & PageFlags.PG_SWAPBACKED) != 0 ? MM_SHMEMPAGES : MM_FILEPAGES;
  }

  /** folio_remove_rmap_pte: one PTE less maps the page; the mm's rss counter goes down with it. A large folio now mapped in part waits to be split. */
  void removeRmap(int pfn, Vma v) {
    removeRmapKeepQueue(pfn, v);
    if ((mem.flags[pfn] & (PageFlags.PG_HEAD | PageFlags.PG_TAIL)) != 0) {
      m.thp.maybeDeferSplit(pfn);
    }
  }

  /** {@link #removeRmap} of a page whose whole folio is being unmapped (reclaim of a folio whole), so that it never waits to be split. */
  void removeRmapKeepQueue(int pfn, Vma v) {
    v.mm.rss[mmCounter(mem, pfn)]--;
    mem.mapcount[pfn]--;
    m.mlock.onUnmap(pfn, v);
  }

  /** {@link #removeRmap} of a page that is a small folio, with its flags {@code f} read already. */
  void removeSmallRmap(int pfn, short f, Vma v) {
    v.mm.rss[(f & PageFlags.PG_ANON) != 0 ? MM_ANONPAGES : (f & PageFlags.PG_SWAPBACKED) != 0 ? MM_SHMEMPAGES : MM_FILEPAGES]--;
    mem.mapcount[pfn]--;
    m.mlock.onUnmap(pfn, v);
  }

  /**
   * folio_move_anon_rmap: a page reused by a write fault now belongs to this VMA's anon_vma. A page
   * of a large folio is reused only when exclusive, and the folio stays where it is.
   */
  void moveAnonRmap(int pfn, Vma v, long vpn) {
    int head = mem.folio(pfn);
    if (mem.folioLarge(head)) {
      return;
    }
    mem.mapping[head] = v.anonVma.id;
    mem.index[head] = (int) (v.filePage(vpn) - (pfn - head) - v.anonVma.base);
  }

  /**
   * rmap_walk: rmap_walk_anon visits the VMAs of the page's anon_vma at the address its index
   * gives (vma_address); rmap_walk_file visits the file's i_mmap. page_vma_mapped_walk then checks
   * that the PTE there really maps this frame.
   */
  void walk(int pfn, Visitor visitor) {
    walkPtes(pfn, (v, vpn, leaf, slot) -> visitor.visit(v, vpn));
  }

  /** As {@link #walk}, telling the visitor where the PTE is, so that it may read or change it without another page-table walk. */
  void walkPtes(int pfn, PteVisitor visitor) {
    if (mem.pageMapcount(pfn) == 0 || mem.pageMapping(pfn) == 0) {
      return;
    }
    if (mem.pageAnon(pfn)) {
      AnonVma av = anonVma(mem.pageMapping(pfn));
      if (av == null) {
        return;
      }
      long linear = av.base + mem.pageIndex(pfn);
      List<Vma> vmas = av.vmas;
      for (int i = 0; i < vmas.size(); i++) {
        Vma v = vmas.get(i);
        // vma_address: where this VMA maps the page's index (a VMA mremap moved keeps its vm_pgoff).
        long vpn = v.startVpn() + (linear - v.pgoff);
        if (vpn >= v.startVpn() && vpn < v.endVpn() && !visitMapped(v, vpn, pfn, visitor)) {
          return;
        }
      }
    } else {
      MemFile f = m.files.get(mem.pageMapping(pfn));
      if (f == null) {
        return;
      }
      List<Vma> vmas = f.mmaps;
      for (int i = 0; i < vmas.size(); i++) {
        Vma v = vmas.get(i);
        long vpn = v.startVpn() + (mem.pageIndex(pfn) - v.pgoff);
        if (vpn >= v.startVpn() && vpn < v.endVpn() && !visitMapped(v, vpn, pfn, visitor)) {
          return;
        }
      }
    }
  }

  /** Visits (v, vpn) if the PTE there maps {@code pfn}; false when the visitor stops the walk. */
  private static boolean visitMapped(Vma v, long vpn, int pfn, PteVisitor visitor) {
    long[] leaf = v.mm.pgtable.leaf(vpn, false);
    if (leaf == null) {
      return true;
    }
    int slot = PageTable.slot(vpn);
    long pte = leaf[slot];
    // page_vma_mapped_walk's check_pte: a device-private entry maps its page as a present PTE does.
    boolean mapped = (Pte.present(pte) && !Pte.special(pte) || Pte.devicePrivate(pte)) && Pte.pfn(pte) == pfn;
    return !mapped || visitor.visit(v, vpn, leaf, slot);
  }

  List<long[]> mappings(int pfn) {
    List<long[]> out = new ArrayList<>();
    walk(pfn, (v, vpn) -> out.add(new long[] {v.mm.id, Page.addr(vpn)}));
    return out;
  }

  boolean mappedInLockedVma(int pfn) {
    boolean[] found = {false};
    walk(pfn, (v, vpn) -> {
      found[0] = v.has(VmFlags.VM_LOCKED);
      return !found[0];
    });
    return found[0];
  }
}
