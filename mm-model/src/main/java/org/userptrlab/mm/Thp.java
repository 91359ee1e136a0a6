package org.userptrlab.mm;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Transparent huge pages of anonymous memory (mm/huge_memory.c): the PMD fault, the huge zero
 * page, COW of a PMD-mapped folio, fork's copy_huge_pmd, zap_huge_pmd, the PMD split and the folio
 * split, and the deferred split queue.
 *
 * <p>A PMD mapping is a PTE page whose 512 entries all carry {@link Pte#PMD} and map the pages of
 * one folio in order: a walker that reads it sees each page as a PTE would show it, and only code
 * that changes a mapping must know it is one (a partial change splits it first, as the kernel's
 * split_huge_pmd does). The folio's mapping by a PMD counts in its entire mapcount, not in the
 * pages' own.
 */
final class Thp {
  /** HPAGE_PMD_ORDER on x86-64: a PMD maps 2 MiB. */
  static final int HPAGE_PMD_ORDER = MachineConfig.Thp.PMD_ORDER;
  static final int HPAGE_PMD_NR = 1 << HPAGE_PMD_ORDER;

  private final Machine m;
  private final MemMap mem;
  private final VmStat stat;
  private final KernelGate kernel;
  private final MachineConfig config;
  private final boolean useZeroPage;
  /** ds_queue: large anonymous folios partly unmapped, split when memory runs short (deferred_split_scan). */
  private final LinkedHashSet<Integer> deferred = new LinkedHashSet<>();
  /** COMPACT_MAX_DEFER_SHIFT: at most 64 attempts skipped after failures. */
  private static final int COMPACT_MAX_DEFER_SHIFT = 6;
  /** zone->compact_defer_shift and compact_considered, for the one zone the model compacts as a whole. */
  private int compactDeferShift;
  private int compactConsidered;

  Thp(Machine m) {
    this.m = m;
    this.mem = m.mem;
    this.stat = m.vmstat;
    this.kernel = m.kernelConfig;
    this.config = m.config;
    this.useZeroPage = m.config.thpUseZeroPage();
  }

  // ---- which faults get a huge page -------------------------------------------------------------

  /**
   * thp_vma_allowable_order and transhuge_vma_suitable for a private anonymous VMA: THP is enabled
   * for it (always, or madvise with VM_HUGEPAGE; never with VM_NOHUGEPAGE), and the aligned 2 MiB
   * around {@code vpn} lies inside the VMA.
   */
  boolean vmaSuitable(Vma v, long vpn) {
    return orderSuitable(v, vpn, HPAGE_PMD_ORDER);
  }

  /** thp_vma_allowable_order and thp_vma_suitable_order for folios of {@code order} at {@code vpn}. */
  private boolean orderSuitable(Vma v, long vpn, int order) {
    if (v.file != null || v.device != null || v.has(VmFlags.VM_SHARED | VmFlags.VM_PFNMAP | VmFlags.VM_NOHUGEPAGE)) {
      return false;
    }
    MachineConfig.Thp enabled = config.thpForOrder(order);
    if (enabled == MachineConfig.Thp.NEVER || enabled == MachineConfig.Thp.MADVISE && !v.has(VmFlags.VM_HUGEPAGE)) {
      return false;
    }
    long start = vpn & -(1L << order);
    return start >= v.startVpn() && start + (1L << order) <= v.endVpn();
  }

  /**
   * alloc_anon_folio (6.8): a write fault on a PTE that is none takes the largest enabled size
   * below the PMD's whose aligned range lies in the VMA with every PTE of it none, falling back
   * size by size when no block is free, and maps the whole folio by PTEs (set_ptes), each page
   * exclusive. Returns the PTE of {@code vpn}, or 0 for a small page.
   */
  long doAnonymousLargeFolio(Mm mm, Vma v, long vpn) {
    if (!kernel.has(KernelChange.ANON_MTHP)) {
      return 0;
    }
    // Only the sizes enabled at all are tried (thp_vma_allowable_orders), largest first.
    int orders = config.mthpOrders() & -(1 << 2);
    if (orders == 0) {
      return 0;
    }
    long[] leaf = mm.pgtable.leaf(vpn, false);
    for (; orders != 0; orders &= ~Integer.highestOneBit(orders)) {
      int order = 31 - Integer.numberOfLeadingZeros(orders);
      int nr = 1 << order;
      long start = vpn & -nr;
      if (!orderSuitable(v, vpn, order) || leaf != null && !allNone(leaf, PageTable.slot(start), nr)) {
        continue;
      }
      m.rmap.anonVmaPrepare(v);
      int head = allocFaultFolio(v, order);
      if (head == MemMap.NONE) {
        continue;
      }
      stat.count(VmEvent.ZERO_FILL, nr);
      boolean exclusive = kernel.has(KernelChange.ANON_EXCLUSIVE);
      mem.flags[head] |= PageFlags.PG_ANON | PageFlags.PG_SWAPBACKED | PageFlags.PG_LRU;
      mem.mapping[head] = v.anonVma.id;
      mem.index[head] = (int) (v.filePage(start) - v.anonVma.base);
      mem.refcount[head] = nr;
      long[] ptes = mm.pgtable.leaf(start, true);
      long bits = Pte.PRESENT | Pte.YOUNG | Pte.DIRTY | (v.has(VmFlags.VM_WRITE) ? Pte.WRITE : 0);
      for (int i = 0; i < nr; i++) {
        mem.mapcount[head + i] = 1;
        if (exclusive) {
          mem.flags[head + i] |= PageFlags.PG_ANON_EXCLUSIVE;
        }
        ptes[PageTable.slot(start) + i] = Pte.make(head + i, bits);
      }
      mm.rss[Rmap.MM_ANONPAGES] += nr;
      m.mlock.onMap(head, v);
      return ptes[PageTable.slot(vpn)];
    }
    return 0;
  }

  /**
   * The folio of a THP fault (vma_thp_gfp_mask, then __alloc_pages_slowpath): when no aligned block
   * of {@code order} is free, transparent_hugepage/defrag decides whether the fault stalls to compact
   * memory (try_to_compact_pages) and, without __GFP_NORETRY, to reclaim and compact again; or wakes
   * kcompactd, which the model runs at once, and falls back; or just falls back. The head, or
   * {@link MemMap#NONE}.
   */
  private int allocFaultFolio(Vma v, int order) {
    int head = m.pageAlloc.allocUserFolio(order, Gfp.HIGHUSER_MOVABLE);
    if (head != MemMap.NONE) {
      return head;
    }
    boolean madvised = v.has(VmFlags.VM_HUGEPAGE);
    switch (config.thpDefrag()) {
      case ALWAYS:
        return directCompact(order, !madvised);
      case DEFER_MADVISE:
        if (madvised) {
          return directCompact(order, false);
        }
        wakeKcompactd();
        return MemMap.NONE;
      case DEFER:
        wakeKcompactd();
        return MemMap.NONE;
      case MADVISE:
        return madvised ? directCompact(order, false) : MemMap.NONE;
      default:
        return MemMap.NONE;
    }
  }

  /**
   * __alloc_pages_direct_compact, then (unless {@code noretry}) __alloc_pages_direct_reclaim and
   * compaction once more. After a failure compaction is deferred (defer_compaction): the next
   * 2^shift attempts, up to 64, fall back at once without compacting.
   */
  private int directCompact(int order, boolean noretry) {
    if (compactionDeferred()) {
      return MemMap.NONE;
    }
    stat.count(VmEvent.COMPACT_STALL);
    m.migrate.compactNode();
    int head = m.pageAlloc.allocUserFolio(order, Gfp.HIGHUSER_MOVABLE);
    if (head == MemMap.NONE && !noretry) {
      m.reclaimForAllocation(1 << order);
      m.migrate.compactNode();
      head = m.pageAlloc.allocUserFolio(order, Gfp.HIGHUSER_MOVABLE);
    }
    if (head != MemMap.NONE) {
      stat.count(VmEvent.COMPACT_SUCCESS);
      compactDeferShift = 0;
    } else {
      stat.count(VmEvent.COMPACT_FAIL);
      compactConsidered = 0;
      compactDeferShift = Math.min(compactDeferShift + 1, COMPACT_MAX_DEFER_SHIFT);
    }
    return head;
  }

  /** compaction_deferred: whether this attempt is one of those a recent failure skips. */
  private boolean compactionDeferred() {
    return compactDeferShift > 0 && ++compactConsidered < 1 << compactDeferShift;
  }

  /** wakeup_kcompactd: the daemon compacts the node for the next huge allocation (unless deferred); this fault does not wait for it. */
  private void wakeKcompactd() {
    stat.count(VmEvent.COMPACT_DAEMON_WAKE);
    if (!compactionDeferred()) {
      m.migrate.compactNode();
    }
  }

  private static boolean allNone(long[] leaf, int from, int nr) {
    for (int i = from; i < from + nr; i++) {
      if (leaf[i] != 0) {
        return false;
      }
    }
    return true;
  }

  static long hugeStart(long vpn) {
    return vpn & -HPAGE_PMD_NR;
  }

  /**
   * do_huge_pmd_anonymous_page for a fault at {@code vpn} whose PMD is none: a read maps the huge
   * zero page (when use_zero_page is on), a write a new zeroed THP. Returns the PTE now mapping
   * {@code vpn}, or 0 to fall back to a small page (no aligned 2 MiB block was free).
   */
  long doHugePmdAnonymousPage(Mm mm, Vma v, long vpn, boolean write) {
    long hvpn = hugeStart(vpn);
    if (!write && useZeroPage && kernel.has(KernelChange.HUGE_ZERO_PAGE)) {
      int zero = hugeZeroFolio();
      if (zero != MemMap.NONE) {
        long[] leaf = new long[HPAGE_PMD_NR];
        for (int i = 0; i < HPAGE_PMD_NR; i++) {
          leaf[i] = Pte.make(zero + i, Pte.PRESENT | Pte.SPECIAL | Pte.PMD | Pte.YOUNG);
        }
        mm.pgtable.setPmd(hvpn, leaf);
        stat.count(VmEvent.ZERO_PAGE_MAPPED);
        return leaf[(int) (vpn - hvpn)];
      }
    }
    m.rmap.anonVmaPrepare(v);
    int head = allocFaultFolio(v, HPAGE_PMD_ORDER);
    if (head == MemMap.NONE) {
      stat.count(VmEvent.THP_FAULT_FALLBACK);
      return 0;
    }
    stat.count(VmEvent.THP_FAULT_ALLOC);
    long[] leaf = mapNewFolio(mm, v, hvpn, head, null);
    return leaf[(int) (vpn - hvpn)];
  }

  /**
   * folio_add_new_anon_rmap(RMAP_EXCLUSIVE) at PMD level and set_pmd_at: the new folio, mapped
   * writable where the VMA is; into {@code leaf} when it replaces a PMD mapping (the PTE page a
   * walker may hold stays the one it holds), else into a new one.
   */
  private long[] mapNewFolio(Mm mm, Vma v, long hvpn, int head, long[] into) {
    boolean exclusive = kernel.has(KernelChange.ANON_EXCLUSIVE);
    mem.flags[head] |= PageFlags.PG_ANON | PageFlags.PG_SWAPBACKED | PageFlags.PG_LRU;
    mem.mapping[head] = v.anonVma.id;
    mem.index[head] = (int) (v.filePage(hvpn) - v.anonVma.base);
    mem.addEntireMapcount(head, 1);
    long bits = Pte.PRESENT | Pte.PMD | Pte.YOUNG | Pte.DIRTY | (v.has(VmFlags.VM_WRITE) ? Pte.WRITE : 0);
    long[] leaf = into != null ? into : new long[HPAGE_PMD_NR];
    for (int i = 0; i < HPAGE_PMD_NR; i++) {
      if (exclusive) {
        mem.flags[head + i] |= PageFlags.PG_ANON_EXCLUSIVE;
      }
      leaf[i] = Pte.make(head + i, bits);
    }
    if (into == null) {
      mm.pgtable.setPmd(hvpn, leaf);
    }
    mm.rss[Rmap.MM_ANONPAGES] += HPAGE_PMD_NR;
    m.mlock.onMap(head, v);
    return leaf;
  }

  /** mm_get_huge_zero_folio: the huge zero page, allocated on first use; {@link MemMap#NONE} when no block is free. */
  private int hugeZeroFolio() {
    if (mem.hugeZeroHead == MemMap.NONE) {
      int head = mem.allocFolio(HPAGE_PMD_ORDER, Gfp.KERNEL);
      if (head == MemMap.NONE) {
        return MemMap.NONE;
      }
      mem.flags[head] |= PageFlags.PG_RESERVED;
      mem.hugeZeroHead = head;
      stat.count(VmEvent.THP_ZERO_PAGE_ALLOC);
    }
    return mem.hugeZeroHead;
  }

  // ---- write faults on a PMD mapping ---------------------------------------------------------

  /**
   * do_huge_pmd_wp_page: a write (or FAULT_FLAG_UNSHARE) to a write-protected PMD mapping. An
   * exclusive folio is reused whole. Otherwise, since 5.8 the PMD is split and the fault falls back
   * to the page (a 4 KiB copy); before, the whole folio was copied into a new THP (the huge zero
   * page: a new zeroed THP, as again from 6.13), with the split as the fallback when none could be had. Returns the
   * PTE mapping {@code vpn} after a reuse or a whole copy, or 0 after a split (the caller retries at
   * PTE level).
   */
  long doHugePmdWpPage(Mm mm, Vma v, long vpn, long[] leaf) {
    long hvpn = hugeStart(vpn);
    int slot = (int) (vpn - hvpn);
    long pte = leaf[slot];
    boolean zero = Pte.special(pte);
    int head = mem.folio(Pte.pfn(pte));
    if (!zero && canReuse(v, hvpn, head)) {
      long add = Pte.DIRTY | Pte.YOUNG | (v.has(VmFlags.VM_WRITE) ? Pte.WRITE : 0);
      for (int i = 0; i < HPAGE_PMD_NR; i++) {
        leaf[i] |= add;
      }
      stat.count(VmEvent.COW_REUSE);
      return leaf[slot];
    }
    // do_huge_zero_wp_pmd (6.13): the huge zero page's write fault gets a THP, allocated as a fault's (vma_alloc_anon_folio_pmd).
    boolean zeroToThp = zero && kernel.has(KernelChange.HUGE_ZERO_WP_THP);
    if (!kernel.has(KernelChange.THP_COW_SPLIT) || zeroToThp) {
      m.rmap.anonVmaPrepare(v);
      int copy = zeroToThp ? allocFaultFolio(v, HPAGE_PMD_ORDER) : m.pageAlloc.allocUserFolio(HPAGE_PMD_ORDER, Gfp.HIGHUSER_MOVABLE);
      if (copy != MemMap.NONE) {
        stat.count(VmEvent.THP_FAULT_ALLOC);
        for (int i = 0; i < HPAGE_PMD_NR; i++) {
          mem.content[copy + i] = zero ? Content.ZERO : m.content.duplicate(mem.content[head + i]);
        }
        stat.count(zero ? VmEvent.ZERO_FILL : VmEvent.COW_COPY, HPAGE_PMD_NR);
        m.notifiers.invalidate(mm, hvpn, hvpn + HPAGE_PMD_NR, MmuNotifierEvent.CLEAR);
        // pmdp_huge_clear_flush first: the old folio's rmap walk (munlock) must no longer find this mapping.
        java.util.Arrays.fill(leaf, 0);
        if (!zero) {
          removePmdRmap(v, head);
          m.pageAlloc.putPage(head);
        }
        mapNewFolio(mm, v, hvpn, copy, leaf);
        m.tlb.flush(mm, hvpn, hvpn + HPAGE_PMD_NR);
        return leaf[slot];
      }
      stat.count(VmEvent.THP_FAULT_FALLBACK);
    }
    splitHugePmd(mm, v, hvpn, leaf);
    return 0;
  }

  /**
   * Whether a COW fault may reuse the whole folio: PageAnonExclusive from 5.19 (or, failing it, no
   * one else holding a reference); before, reuse_swap_page's test that this PMD is the folio's only
   * mapping.
   */
  private boolean canReuse(Vma v, long hvpn, int head) {
    if (kernel.has(KernelChange.ANON_EXCLUSIVE) && mem.pageAnonExclusive(head)) {
      return true;
    }
    boolean alone = kernel.has(KernelChange.ANON_EXCLUSIVE) ? mem.refcount[head] == 1 : mem.folioMapcount(head) == 1;
    if (!alone || mem.pageSwapCache(head)) {
      return false;
    }
    // folio_move_anon_rmap, and (5.19+) every page exclusive again.
    mem.mapping[head] = v.anonVma.id;
    mem.index[head] = (int) (v.filePage(hvpn) - v.anonVma.base);
    if (kernel.has(KernelChange.ANON_EXCLUSIVE)) {
      for (int i = 0; i < HPAGE_PMD_NR; i++) {
        mem.flags[head + i] |= PageFlags.PG_ANON_EXCLUSIVE;
      }
    }
    return true;
  }

  // ---- splitting ------------------------------------------------------------------------------

  /**
   * __split_huge_pmd_locked: the PMD becomes a PTE page mapping the same pages, each PTE with the
   * PMD's bits; the folio's one PMD mapping becomes a mapping (and a reference) per page, and the
   * pages keep PageAnonExclusive. The huge zero page is replaced by the small zero page in every
   * PTE. Before 4.5 a THP could not be mapped by PTEs: the folio is split with it (split_huge_page).
   */
  void splitHugePmd(Mm mm, Vma v, long hvpn, long[] leaf) {
    stat.count(VmEvent.THP_SPLIT_PMD);
    m.notifiers.invalidate(mm, hvpn, hvpn + HPAGE_PMD_NR, MmuNotifierEvent.CLEAR);
    long first = leaf[0];
    if (Pte.special(first)) {
      for (int i = 0; i < HPAGE_PMD_NR; i++) {
        leaf[i] = Pte.make(MemMap.ZERO_PFN, (leaf[i] & ((1L << Pte.PFN_SHIFT) - 1)) & ~Pte.PMD);
      }
      m.tlb.flush(mm, hvpn, hvpn + HPAGE_PMD_NR);
      return;
    }
    int head = mem.folio(Pte.pfn(first));
    for (int i = 0; i < HPAGE_PMD_NR; i++) {
      leaf[i] &= ~Pte.PMD;
      mem.mapcount[head + i]++;
    }
    mem.addEntireMapcount(head, -1);
    mem.refcount[head] += HPAGE_PMD_NR - 1;
    m.tlb.flush(mm, hvpn, hvpn + HPAGE_PMD_NR);
    if (!kernel.has(KernelChange.THP_PTE_MAPPED)) {
      splitFolio(head, true);
    }
  }

  /** split_huge_pmd over every PMD mapping that [startVpn, endVpn) covers only in part (the walks of change_pmd_range, zap_pmd_range). */
  void splitPartial(Mm mm, long startVpn, long endVpn) {
    splitIfPmd(mm, startVpn, startVpn != hugeStart(startVpn));
    splitIfPmd(mm, endVpn - 1, endVpn != hugeStart(endVpn));
  }

  /** split_huge_pmd over every PMD mapping in [startVpn, endVpn), for the walks that work on PTEs only. */
  void splitAll(Mm mm, long startVpn, long endVpn) {
    for (long vpn = hugeStart(startVpn); vpn < endVpn; vpn += HPAGE_PMD_NR) {
      splitIfPmd(mm, Math.max(vpn, startVpn), true);
    }
  }

  /** vma_adjust_trans_huge: a VMA boundary moving to {@code addr} splits the PMD mapping across it. */
  void splitAt(Mm mm, long addr) {
    long vpn = addr >>> Page.PAGE_SHIFT;
    splitIfPmd(mm, vpn, vpn != hugeStart(vpn));
  }

  private void splitIfPmd(Mm mm, long vpn, boolean needed) {
    if (!needed) {
      return;
    }
    long[] leaf = mm.pgtable.leaf(vpn, false);
    if (leaf != null && PageTable.isPmd(leaf)) {
      Vma v = mm.find(Page.addr(vpn));
      splitHugePmd(mm, v, hugeStart(vpn), leaf);
    }
  }

  /**
   * split_folio (split_huge_page_to_list_to_order): every PMD mapping of the folio is split, then
   * the folio itself, if no one but its mappings holds it (can_split_folio); pages no PTE maps are
   * freed. Before 4.5 references taken on tail pages went with them (the old tail refcounting), so
   * {@code force} splits a folio others hold, each page keeping the references on it. Returns
   * whether the folio is split.
   */
  boolean splitFolio(int head, boolean force) {
    if (!mem.folioLarge(head) || head == mem.hugeZeroHead) {
      return !mem.folioLarge(head);
    }
    splitPmds(head);
    if (!mem.folioLarge(head)) {
      return true;
    }
    int swapcache = mem.pageSwapCache(head) ? mem.folioNrPages(head) : 0;
    int extra = mem.refcount[head] - mem.folioMapcount(head) - swapcache;
    // Before 4.5 (53f9263baba6) __split_huge_page_refcount gave each page the references taken on it: a split never failed.
    if (extra != 0 && !force && kernel.has(KernelChange.THP_PTE_MAPPED)) {
      stat.count(VmEvent.THP_SPLIT_PAGE_FAILED);
      return false;
    }
    int[] held = extra != 0 ? m.gup.heldReferences(head, mem.folioNrPages(head)) : null;
    deferred.remove(head);
    boolean mlocked = mem.pageMlocked(head);
    int nr = mem.folioNrPages(head);
    int[] unmapped = mem.splitFolio(head);
    for (int p = head; mlocked && p < head + nr; p++) {
      // Each page is its own folio now: it stays mlocked only where a VM_LOCKED VMA maps it.
      if (p != head || !m.mlock.isStranded(head)) {
        m.mlock.munlockIfUnlocked(p);
      }
    }
    if (held != null) {
      for (int i = 0; i < held.length; i++) {
        mem.refcount[head + i] += held[i];
      }
    }
    stat.count(VmEvent.THP_SPLIT_PAGE);
    for (int pfn : unmapped) {
      if (held == null || held[pfn - head] == 0) {
        m.pageAlloc.putPage(pfn);
      } else {
        mem.refcount[pfn]--;
      }
    }
    return true;
  }

  /**
   * split_huge_pmd_address for every PMD mapping the folio (try_to_unmap's TTU_SPLIT_HUGE_PMD): each
   * becomes 512 PTEs; the folio itself stays whole where the kernel maps THPs by PTEs (4.5).
   */
  void splitPmds(int head) {
    for (int[] map : pmdMappings(head)) {
      Mm mm = m.mmById(map[0]);
      long hvpn = ((long) map[1] << 32) | (map[2] & 0xffffffffL);
      splitHugePmd(mm, mm.find(Page.addr(hvpn)), hvpn, mm.pgtable.leaf(hvpn, false));
      if (!mem.folioLarge(head)) {
        return;
      }
    }
  }

  /** Where PMDs map the folio: {mm id, high and low halves of the vpn}, from the rmap walk of its anon_vma. */
  private List<int[]> pmdMappings(int head) {
    List<int[]> out = new ArrayList<>();
    if (mem.entireMapcount(head) == 0) {
      return out;
    }
    m.rmap.walk(head, (v, vpn) -> {
      long[] leaf = v.mm.pgtable.leaf(vpn, false);
      if (leaf != null && PageTable.isPmd(leaf)) {
        out.add(new int[] {v.mm.id, (int) (vpn >>> 32), (int) vpn});
      }
      return true;
    });
    return out;
  }

  /** folio_remove_rmap_pmd: the PMD mapping is gone; the rss counter goes down by the folio's pages. */
  void removePmdRmap(Vma v, int head) {
    mem.addEntireMapcount(head, -1);
    v.mm.rss[Rmap.MM_ANONPAGES] -= HPAGE_PMD_NR;
    m.mlock.onUnmap(head, v);
    maybeDeferSplit(head);
  }

  /** folio_maybe_mapped_shared's negation: no PTE or PMD of another mm maps a page of the folio. */
  boolean mappedByOneMm(int head, Mm mm) {
    boolean[] other = {false};
    for (int p = head, end = head + mem.folioNrPages(head); p < end && !other[0]; p++) {
      if (mem.pageMapcount(p) > 0) {
        m.rmap.walk(p, (v, vpn) -> {
          other[0] = v.mm != mm;
          return !other[0];
        });
      }
    }
    return !other[0];
  }

  /** deferred_split_folio: a large anonymous folio mapped in part waits on the queue to be split. */
  void maybeDeferSplit(int pfn) {
    int head = mem.folio(pfn);
    if (!mem.folioLarge(head) || !mem.pageAnon(head) || mem.entireMapcount(head) > 0 || deferred.contains(head)) {
      return;
    }
    boolean mapped = false;
    boolean unmapped = false;
    for (int p = head, end = head + mem.folioNrPages(head); p < end; p++) {
      mapped |= mem.mapcount[p] > 0;
      unmapped |= mem.mapcount[p] == 0;
    }
    if (mapped && unmapped) {
      deferred.add(head);
      stat.count(VmEvent.THP_DEFERRED_SPLIT_PAGE);
    }
  }

  /** Whether the folio waits on the deferred split queue: it is mapped in part. */
  boolean onDeferredSplitQueue(int head) {
    return deferred.contains(head);
  }

  /** The folio leaves the queue as it is freed. */
  void folioFreed(int head) {
    deferred.remove(head);
  }

  /** deferred_split_scan, the shrinker memory pressure runs: splits the queued folios that can be, freeing their unmapped pages. */
  int deferredSplitScan() {
    int split = 0;
    for (Integer head : new ArrayList<>(deferred)) {
      deferred.remove(head);
      if (splitFolio(head, false)) {
        split++;
      }
    }
    return split;
  }

  /** The folios waiting on the deferred split queue, for the invariant checker. */
  List<Integer> deferredQueue() {
    return new ArrayList<>(deferred);
  }

  // ---- collapse ----------------------------------------------------------------------------------

  /**
   * madvise_collapse: each 2 MiB-aligned block of [start, end) that a VMA holds whole and small
   * pages map (hpage_collapse_scan_pmd) is copied into a new THP that replaces them
   * (collapse_huge_page), whatever the THP setting and max_ptes_* say. All blocks are scanned before
   * any is collapsed, so a refusal changes nothing: a swapped-out page (EAGAIN, where the kernel
   * would swap it in), a page someone else holds, such as a pinned one (is_refcount_suitable:
   * EAGAIN), or no free 2 MiB block (ENOMEM).
   */
  void madviseCollapse(Mm mm, long start, long end) {
    List<Long> blocks = new ArrayList<>();
    long pmdNull = -1;
    for (long hvpn = hugeStart((start >>> Page.PAGE_SHIFT) + HPAGE_PMD_NR - 1); (hvpn + HPAGE_PMD_NR) << Page.PAGE_SHIFT <= end;
        hvpn += HPAGE_PMD_NR) {
      Vma v = mm.find(Page.addr(hvpn));
      if (v == null || hvpn + HPAGE_PMD_NR > v.endVpn()) {
        continue;
      }
      long[] leaf = mm.pgtable.leaf(hvpn, false);
      if (leaf == null) {
        // find_pmd_or_thp_or_none: SCAN_PMD_NULL, which lets the others go on but fails the call in the end.
        pmdNull = hvpn;
        continue;
      }
      if (PageTable.isPmd(leaf)) {
        continue;
      }
      int[] last = {-1, 0};
      for (int i = 0; i < HPAGE_PMD_NR; i++) {
        long pte = leaf[i];
        if (Pte.swap(pte) || Pte.devicePrivate(pte)) {
          throw MmException.of(Errno.EAGAIN, "madvise(MADV_COLLAPSE): the page at 0x%x is %s", Page.addr(hvpn + i),
              Pte.swap(pte) ? "swapped out" : "in device-private memory");
        }
        if (Pte.present(pte) && !Pte.special(pte) && !refcountSuitable(Pte.pfn(pte), last)) {
          throw MmException.of(Errno.EAGAIN, "madvise(MADV_COLLAPSE): the page at 0x%x is held by someone besides its mappings "
              + "(a pin or a reference)", Page.addr(hvpn + i));
        }
      }
      blocks.add(hvpn);
    }
    for (long hvpn : blocks) {
      collapseHugePage(mm, mm.find(Page.addr(hvpn)), hvpn, mm.pgtable.leaf(hvpn, false));
    }
    if (pmdNull >= 0) {
      throw MmException.of(Errno.EINVAL, "madvise(MADV_COLLAPSE): nothing is mapped at 0x%x, no page table to collapse "
          + "(SCAN_PMD_NULL); the rest of the range was collapsed", Page.addr(pmdNull));
    }
  }

  /** is_refcount_suitable: the folio's references are its mappings (and the swap cache's) and nothing else. */
  /** khugepaged's tunables (/sys/kernel/mm/transparent_hugepage/khugepaged/), at their defaults. */
  private static final int MAX_PTES_NONE = HPAGE_PMD_NR - 1;
  private static final int MAX_PTES_SWAP = HPAGE_PMD_NR / 8;
  private static final int MAX_PTES_SHARED = HPAGE_PMD_NR / 2;

  /**
   * One full pass of khugepaged (khugepaged_scan_mm_slot over every mm): each 2 MiB-aligned block of a
   * VMA where THP is enabled as for a fault, still mapped by PTEs, is collapsed into a new THP when
   * hpage_collapse_scan_pmd allows it: at most max_ptes_none (511) PTEs none or the zeropage, at most
   * max_ptes_swap (64) swapped out (swapped in first, __collapse_huge_page_swapin), at most
   * max_ptes_shared (256) of pages another mapping shares, no page held beyond its mappings (a pin, a
   * GUP reference: SCAN_PAGE_COUNT), and a young PTE (SCAN_LACK_REFERENCED_PAGE; half of them young
   * when some were swapped). Returns the THPs it made.
   */
  int khugepaged() {
    int collapsed = 0;
    for (Process p : m.processes()) {
      Mm mm = p.mm;
      for (Vma v : new ArrayList<>(mm.vmas.values())) {
        for (long hvpn = hugeStart(v.startVpn() + HPAGE_PMD_NR - 1); hvpn + HPAGE_PMD_NR <= v.endVpn(); hvpn += HPAGE_PMD_NR) {
          if (v.end == v.start || !orderSuitable(v, hvpn, HPAGE_PMD_ORDER)) {
            continue;
          }
          long[] leaf = mm.pgtable.leaf(hvpn, false);
          if (leaf == null || PageTable.isPmd(leaf) || !khugepagedScanPmd(leaf)) {
            continue;
          }
          if (!swapIn(mm, v, hvpn, leaf)) {
            continue;
          }
          try {
            collapseHugePage(mm, v, hvpn, mm.pgtable.leaf(hvpn, false));
            collapsed++;
          } catch (MmException e) {
            // SCAN_ALLOC_HUGE_PAGE_FAIL: no free 2 MiB block; the next pass may find one.
            stat.count(VmEvent.THP_COLLAPSE_ALLOC_FAILED);
          }
        }
      }
    }
    return collapsed;
  }

  /** hpage_collapse_scan_pmd with khugepaged's limits: whether the block may be collapsed. */
  private boolean khugepagedScanPmd(long[] leaf) {
    int none = 0;
    int swapped = 0;
    int shared = 0;
    int referenced = 0;
    int[] last = {-1, 0};
    for (long pte : leaf) {
      // is_swap_pte: a device-private entry counts as swapped out, and swap-in would fault it back to RAM.
      if (Pte.swap(pte) || Pte.devicePrivate(pte)) {
        if (++swapped > MAX_PTES_SWAP) {
          return false;
        }
        continue;
      }
      if (pte == 0 || Pte.present(pte) && mem.isZeroPage(Pte.pfn(pte))) {
        if (++none > MAX_PTES_NONE) {
          return false;
        }
        continue;
      }
      int pfn = Pte.pfn(pte);
      if (!Pte.present(pte) || Pte.special(pte) || !mem.pageAnon(pfn) || !refcountSuitable(pfn, last)) {
        return false;
      }
      if (mem.pageMapcount(pfn) > 1 && ++shared > MAX_PTES_SHARED) {
        return false;
      }
      // pte_young or folio_test_referenced (a page get_user_pages faulted in has the second).
      referenced += (pte & Pte.YOUNG) != 0 || mem.pageReferenced(pfn) ? 1 : 0;
    }
    return referenced > 0 && (swapped == 0 || referenced >= HPAGE_PMD_NR / 2);
  }

  /** __collapse_huge_page_swapin: the swapped-out PTEs of the block faulted back in; false when one cannot be. */
  private boolean swapIn(Mm mm, Vma v, long hvpn, long[] leaf) {
    for (int i = 0; i < HPAGE_PMD_NR; i++) {
      if (Pte.swap(leaf[i]) || Pte.devicePrivate(leaf[i])) {
        try {
          m.memory.handleMmFault(mm, v, hvpn + i, false);
        } catch (MmException | SignalException e) {
          return false;
        }
      }
    }
    return true;
  }

  /** can_split_folio: no one holds the folio beyond its mappings and the swap cache. */
  boolean refcountSuitable(int pfn) {
    int head = mem.folio(pfn);
    int swapcache = mem.pageSwapCache(head) ? mem.folioNrPages(head) : 0;
    return mem.refcount[head] == mem.folioMapcount(head) + swapcache;
  }

  /**
   * {@link #refcountSuitable} for a scan that walks a block's PTEs and changes nothing: {@code last}
   * ({head, answer}, head -1 at first) keeps the answer for the folio asked last, since a large
   * folio's pages come in a row and its mapcount is a sum over all of them.
   */
  private boolean refcountSuitable(int pfn, int[] last) {
    int head = mem.folio(pfn);
    if (last[0] != head) {
      last[0] = head;
      last[1] = refcountSuitable(head) ? 1 : 0;
    }
    return last[1] != 0;
  }

  /** collapse_huge_page: the block's bytes copied into a new THP (none and zero pages as zeros), the small pages unmapped. */
  private void collapseHugePage(Mm mm, Vma v, long hvpn, long[] leaf) {
    m.rmap.anonVmaPrepare(v);
    int head = m.pageAlloc.allocUserFolio(HPAGE_PMD_ORDER, Gfp.HIGHUSER_MOVABLE);
    if (head == MemMap.NONE) {
      throw MmException.of(Errno.ENOMEM, "madvise(MADV_COLLAPSE): no free 2 MiB block for the THP at 0x%x", Page.addr(hvpn));
    }
    stat.count(VmEvent.THP_COLLAPSE_ALLOC);
    m.notifiers.invalidate(mm, hvpn, hvpn + HPAGE_PMD_NR, MmuNotifierEvent.CLEAR);
    for (int i = 0; i < HPAGE_PMD_NR; i++) {
      long pte = leaf[i];
      if (Pte.present(pte) && !Pte.special(pte)) {
        mem.content[head + i] = m.content.duplicate(mem.content[Pte.pfn(pte)]);
      }
    }
    for (int i = 0; i < HPAGE_PMD_NR; i++) {
      long pte = leaf[i];
      leaf[i] = 0;
      if (Pte.present(pte) && !Pte.special(pte)) {
        m.rmap.removeRmap(Pte.pfn(pte), v);
        m.pageAlloc.putPage(Pte.pfn(pte));
      }
    }
    mm.pgtable.clearPmd(hvpn);
    mapNewFolio(mm, v, hvpn, head, null);
    m.tlb.flush(mm, hvpn, hvpn + HPAGE_PMD_NR);
  }

  // ---- zap and fork ------------------------------------------------------------------------------

  /** zap_huge_pmd: the whole PMD mapping goes; its one reference with it. */
  void zapHugePmd(Mm mm, Vma v, long hvpn, long[] leaf) {
    long first = leaf[0];
    mm.pgtable.clearPmd(hvpn);
    if (Pte.special(first)) {
      return;
    }
    int head = mem.folio(Pte.pfn(first));
    for (long pte : leaf) {
      if ((pte & Pte.DIRTY) != 0) {
        mem.setFolioFlag(head, PageFlags.PG_DIRTY);
        break;
      }
    }
    removePmdRmap(v, head);
    m.pageAlloc.putPage(head);
  }

  /**
   * copy_huge_pmd at fork: the child maps the same folio by a PMD too, both write-protected, the
   * pages no longer exclusive (folio_try_dup_anon_rmap_pmd). A folio that may be pinned in an mm
   * that has pinned is not shared (since 5.9): the parent's PMD is split and the copy goes on at
   * PTE level, where the pinned pages are copied. Returns false in that case.
   */
  boolean copyHugePmd(Mm dst, Vma dstVma, Mm src, long hvpn, long[] leaf) {
    long first = leaf[0];
    if (!Pte.special(first)) {
      int head = mem.folio(Pte.pfn(first));
      boolean exclusive = mem.pageAnonExclusive(head) || !kernel.has(KernelChange.ANON_EXCLUSIVE);
      if (exclusive && src.hasPinned && mem.folioMaybeDmaPinned(head) && kernel.has(KernelChange.FORK_COPY_PINNED_HUGE)) {
        splitHugePmd(src, src.find(Page.addr(hvpn)), hvpn, leaf);
        return false;
      }
      for (int i = 0; i < HPAGE_PMD_NR; i++) {
        mem.flags[head + i] &= ~PageFlags.PG_ANON_EXCLUSIVE;
      }
      mem.addEntireMapcount(head, 1);
      mem.refcount[head]++;
      dst.rss[Rmap.MM_ANONPAGES] += HPAGE_PMD_NR;
      if (Pte.writable(first)) {
        for (int i = 0; i < HPAGE_PMD_NR; i++) {
          leaf[i] = Pte.wrprotect(leaf[i]);
        }
        stat.count(VmEvent.WRPROTECT_PTE, HPAGE_PMD_NR);
        m.tlb.flush(src, hvpn, hvpn + HPAGE_PMD_NR);
      }
    }
    long[] child = new long[HPAGE_PMD_NR];
    for (int i = 0; i < HPAGE_PMD_NR; i++) {
      child[i] = leaf[i] & ~Pte.YOUNG;
    }
    dst.pgtable.setPmd(hvpn, child);
    return true;
  }
}
