package org.userptrlab.mm;

import static org.userptrlab.mm.PageFlags.PG_ANON_EXCLUSIVE;

import java.util.BitSet;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * hugetlb (mm/hugetlb.c, fs/hugetlbfs/inode.c): pools of huge pages set aside at boot, one per size
 * (an hstate), and the mappings of hugetlbfs files (MAP_HUGETLB's own file, memfd_create with
 * MFD_HUGETLB) that take their pages from them, with the reservations that make a fault find one.
 * A huge page is mapped whole by one entry (a PMD for 2 MiB, a PUD for 1 GiB): the model writes
 * that entry into every PTE slot it covers, so that walkers that only read see each page, and counts
 * it once in the folio's entire mapcount, as hugetlb's rmap does. Only this class changes a
 * hugetlb mapping: the generic paths hand a VM_HUGETLB VMA here, as the kernel's
 * is_vm_hugetlb_page() branches do.
 */
final class Hugetlb {
  static final int PMD_ORDER = 9;
  static final int PUD_ORDER = 18;

  /** struct hstate: the pool of one huge page size. */
  static final class Hstate {
    final int order;
    /** nr_huge_pages. */
    int nrHugePages;
    /** resv_huge_pages: promised to a mapping, not yet faulted in. */
    int resvHugePages;
    /** hugepage_freelists: the heads of the free huge pages, a stack. */
    private int[] free = new int[4];
    private int nrFree;

    Hstate(int order) {
      this.order = order;
    }

    /** free_huge_pages. */
    int freeHugePages() {
      return nrFree;
    }

    int nrPages() {
      return 1 << order;
    }

    long bytes() {
      return 1L << (order + Page.PAGE_SHIFT);
    }

    /** available_huge_pages: free and not promised. */
    int available() {
      return nrFree - resvHugePages;
    }

    private void push(int head) {
      if (nrFree == free.length) {
        free = java.util.Arrays.copyOf(free, 2 * nrFree);
      }
      free[nrFree++] = head;
    }

    private int pop() {
      return free[--nrFree];
    }

    @Override
    public String toString() {
      return "hugepages-" + (bytes() >> 10) + "kB";
    }
  }

  /**
   * The resv_map of a private mapping's owner (HPAGE_RESV_OWNER): every huge page of the mapping is
   * reserved at mmap time, and the map records which of them a fault has consumed. The parts of a
   * split VMA share it; a fork child has none.
   */
  static final class ResvMap {
    final BitSet consumed = new BitSet();
  }

  private final Machine m;
  private final MemMap mem;
  private final VmStat stat;
  private final KernelGate kernel;
  private final SortedMap<Integer, Hstate> hstates = new TreeMap<>();

  Hugetlb(Machine m) {
    this.m = m;
    this.mem = m.mem;
    this.stat = m.vmstat;
    this.kernel = m.kernelConfig;
  }

  /**
   * hugetlb_init: an hstate for each size x86-64 has (2 MiB, and 1 GiB where the CPU has gbpages, as the
   * model's does), empty unless the machine's configuration sets pages aside for it
   * (hugetlb_hstate_alloc_pages, from ZONE_NORMAL at boot).
   */
  void boot(MachineConfig config) {
    for (int order : new int[] {PMD_ORDER, PUD_ORDER}) {
      Hstate h = new Hstate(order);
      int nr = config.hugetlbPages().getOrDefault(order, 0);
      for (int i = 0; i < nr; i++) {
        int head = mem.allocFolio(order, Gfp.KERNEL);
        if (head == MemMap.NONE) {
          throw MmException.of(Errno.ENOMEM, "%s/nr_hugepages=%d: only %d could be set aside (no more free, aligned %d KiB "
              + "block); give the machine more ram", h, nr, i, h.bytes() >> 10);
        }
        mem.flags[head] |= PageFlags.PG_HUGETLB;
        mem.refcount[head] = 0;
        h.push(head);
        h.nrHugePages++;
      }
      hstates.put(order, h);
    }
  }

  /** The pool of huge pages of {@code order}, or null when the machine has none of that size. */
  Hstate hstate(int order) {
    return hstates.get(order);
  }

  /** Every pool, by order. */
  SortedMap<Integer, Hstate> hstates() {
    return java.util.Collections.unmodifiableSortedMap(hstates);
  }

  /** is_vm_hugetlb_page. */
  static boolean isHugetlb(Vma v) {
    return v.has(VmFlags.VM_HUGETLB);
  }

  /** The order of the huge pages a hugetlb VMA maps (hstate_vma). */
  static int order(Vma v) {
    return v.file.hugetlbOrder;
  }

  /**
   * The hstate a MAP_HUGETLB or MFD_HUGETLB size field names (log2 of the size in bytes, 0 for the
   * default 2 MiB), or {@code errno} for a size x86-64 has not: mmap's hstate_sizelog is EINVAL,
   * memfd_create's hugetlb_file_setup ENODEV. Before 3.8 the field is not read: every such mapping is of
   * the default size.
   */
  int orderOf(int log2, String call, Errno errno) {
    if (log2 == 0 || !kernel.has(KernelChange.MAP_HUGE_SIZES)) {
      return PMD_ORDER;
    }
    int order = log2 - Page.PAGE_SHIFT;
    if (order != PMD_ORDER && order != PUD_ORDER) {
      throw MmException.of(errno, "%s: a huge page of 2^%d bytes is not a size x86-64 has (2 MiB or 1 GiB)", call, log2);
    }
    return order;
  }

  /** The whole-huge-page form of an address range a hugetlb VMA maps must hold: EINVAL, naming the page size, when not. */
  static void checkAligned(Vma v, long addr, String call) {
    long size = 1L << (order(v) + Page.PAGE_SHIFT);
    if ((addr & (size - 1)) != 0) {
      throw MmException.of(Errno.EINVAL, "%s: 0x%x cuts the hugetlb mapping %s, whose pages are %d KiB (hugetlb_vm_op_split)",
          call, addr, v, size >> 10);
    }
  }

  /** What a system call that splits VMAs at start and end asks first of a hugetlb VMA there (may_split). */
  static void checkRange(Mm mm, long start, long end, String call) {
    for (Vma v : mm.intersecting(start, end)) {
      if (isHugetlb(v)) {
        if (v.start < start) {
          checkAligned(v, start, call);
        }
        if (v.end > end) {
          checkAligned(v, end, call);
        }
      }
    }
  }

  // ---- reservations --------------------------------------------------------------------------

  /**
   * hugetlb_reserve_pages at mmap: a private mapping reserves each of its huge pages for its owner,
   * a shared one each page of the file no earlier mapping or fallocate reserved or allocated;
   * ENOMEM when the pool cannot promise them all. MAP_NORESERVE reserves nothing.
   */
  void reservePages(Vma v, boolean noreserve) {
    if (noreserve) {
      return;
    }
    Hstate h = hstates.get(order(v));
    long from = v.pgoff >> h.order;
    long to = from + (v.pages() >> h.order);
    int chg = 0;
    if (v.has(VmFlags.VM_MAYSHARE)) {
      for (long idx = from; idx < to; idx++) {
        if (!v.file.hugetlbResv.get((int) idx)) {
          chg++;
        }
      }
    } else {
      chg = (int) (to - from);
    }
    if (chg > h.available()) {
      throw MmException.of(Errno.ENOMEM, "mmap: %d huge pages of %d KiB to reserve, %d free and not reserved (%s/free_hugepages "
          + "%d, resv_hugepages %d); set a pool aside with 'machine hugetlb %s N'", chg, h.bytes() >> 10, h.available(), h,
          h.freeHugePages(), h.resvHugePages, h.order == PUD_ORDER ? "1G" : "2M");
    }
    h.resvHugePages += chg;
    if (v.has(VmFlags.VM_MAYSHARE)) {
      v.file.hugetlbResv.set((int) from, (int) to);
    } else {
      v.hugetlbResv = new ResvMap();
    }
  }

  /** hugetlb_vm_op_close: the owner's reservations this part of a private mapping never consumed go back to the pool. */
  void vmOpClose(Vma v) {
    if (v.hugetlbResv == null) {
      return;
    }
    Hstate h = hstates.get(order(v));
    int from = (int) (v.pgoff >> h.order);
    int to = from + (int) (v.pages() >> h.order);
    int unused = (to - from) - v.hugetlbResv.consumed.get(from, to).cardinality();
    h.resvHugePages -= unused;
    v.hugetlbResv.consumed.set(from, to);
  }

  /** hugetlb_unreserve_pages at the file's end: the reservations of pages never allocated go back. */
  void unreserveFile(MemFile f) {
    if (f.hugetlbOrder != 0) {
      unreserveRange(f, 0, (long) (f.hugetlbResv.length() + 1) << f.hugetlbOrder);
    }
  }

  /**
   * hugetlb_unreserve_pages over file pages [from, to), whole huge pages, after the pages there left
   * the page cache: the reservations there no page consumed go back to the pool.
   */
  void unreserveRange(MemFile f, long from, long to) {
    Hstate h = hstates.get(f.hugetlbOrder);
    int nr = h.nrPages();
    int first = (int) (from >> h.order);
    int last = (int) Math.min(Integer.MAX_VALUE, to >> h.order);
    for (int idx = f.hugetlbResv.nextSetBit(first); idx >= 0 && idx < last; idx = f.hugetlbResv.nextSetBit(idx + 1)) {
      if (f.cached(idx * nr) == MemMap.NONE) {
        h.resvHugePages--;
      }
    }
    f.hugetlbResv.clear(first, last);
  }

  /** Whether the fault at huge page {@code idx} of {@code v} finds a reservation of its own (vma_needs_reservation). */
  private static boolean hasReservation(Vma v, int idx) {
    if (v.has(VmFlags.VM_MAYSHARE)) {
      return v.file.hugetlbResv.get(idx) && v.file.cached(idx << order(v)) == MemMap.NONE;
    }
    return v.hugetlbResv != null && !v.hugetlbResv.consumed.get(idx);
  }

  /**
   * alloc_hugetlb_folio: a free huge page, zeroed, with one reference; the mapping's reservation for
   * huge page {@code idx} when it has one and {@code avoidReserve} is false, else only a page no one
   * was promised. {@link MemMap#NONE} when there is none (the fault's SIGBUS, fork's ENOMEM).
   */
  int allocHugetlbFolio(Vma v, int idx, boolean avoidReserve) {
    Hstate h = hstates.get(order(v));
    boolean reserved = !avoidReserve && hasReservation(v, idx);
    if (!reserved && h.available() <= 0) {
      m.reached(ModelPath.HUGETLB_NO_PAGE);
      return MemMap.NONE;
    }
    if (reserved) {
      h.resvHugePages--;
    }
    if (v.hugetlbResv != null && !avoidReserve) {
      v.hugetlbResv.consumed.set(idx);
    } else if (v.has(VmFlags.VM_MAYSHARE)) {
      v.file.hugetlbResv.set(idx);
    }
    int head = h.pop();
    mem.refcount[head] = 1;
    stat.count(VmEvent.ZERO_FILL, h.nrPages());
    return head;
  }

  /** free_huge_folio: the last reference is gone; the page goes back to its pool, its bytes zero again for the next user. */
  void freeHugeFolio(int head) {
    Hstate h = hstates.get(mem.folioOrder(head));
    int nr = h.nrPages();
    for (int p = head; p < head + nr; p++) {
      m.content.release(mem.content[p]);
      mem.content[p] = Content.ZERO;
      if (p > head) {
        mem.flags[p] = PageFlags.PG_TAIL;
      }
    }
    mem.flags[head] = (short) (PageFlags.PG_HEAD | PageFlags.PG_HUGETLB);
    mem.mapping[head] = 0;
    mem.index[head] = 0;
    h.push(head);
  }

  // ---- the entries -----------------------------------------------------------------------------

  /** huge_ptep_get: the entry mapping the huge page at {@code hvpn}, 0 when none. */
  private static long hugePte(Mm mm, long hvpn) {
    return mm.pgtable.get(hvpn);
  }

  /** set_huge_pte_at: the huge page {@code head} mapped at {@code hvpn} with {@code bits}, in each PTE slot it covers. */
  private static void setHugePte(Mm mm, long hvpn, int nr, int head, long bits) {
    for (int off = 0; off < nr; off += PageTable.PTRS_PER_TABLE) {
      long[] leaf = mm.pgtable.leaf(hvpn + off, true);
      for (int i = 0; i < PageTable.PTRS_PER_TABLE; i++) {
        leaf[i] = Pte.make(head + off + i, bits);
      }
    }
  }

  /** Sets or clears {@code bits} in the entry at {@code hvpn} (huge_ptep_set_wrprotect, set_huge_ptep_writable). */
  private static void changeHugePte(Mm mm, long hvpn, int nr, long set, long clear) {
    for (int off = 0; off < nr; off += PageTable.PTRS_PER_TABLE) {
      long[] leaf = mm.pgtable.leaf(hvpn + off, false);
      for (int i = 0; i < PageTable.PTRS_PER_TABLE; i++) {
        leaf[i] = (leaf[i] | set) & ~clear;
      }
    }
  }

  /** huge_ptep_get_and_clear: the entry goes, and with it the PTE pages standing for it. */
  private static void clearHugePte(Mm mm, long hvpn, int nr) {
    for (int off = 0; off < nr; off += PageTable.PTRS_PER_TABLE) {
      java.util.Arrays.fill(mm.pgtable.leaf(hvpn + off, false), 0);
      mm.pgtable.freeIfEmpty(hvpn + off);
    }
  }

  /** Sets or clears PageAnonExclusive on every page of the folio, as hugetlb keeps it for the head. */
  private void setExclusive(int head, int nr, boolean on) {
    for (int p = head; p < head + nr; p++) {
      if (on) {
        mem.flags[p] |= PG_ANON_EXCLUSIVE;
      } else {
        mem.flags[p] &= ~PG_ANON_EXCLUSIVE;
      }
    }
  }

  /** hugetlb_add_new_anon_rmap: a new huge page belongs to the VMA's anon_vma, exclusive to this mapping (5.19+). */
  private void addNewAnonRmap(int head, Vma v, long hvpn) {
    m.rmap.anonVmaPrepare(v);
    mem.flags[head] |= PageFlags.PG_ANON;
    mem.mapping[head] = v.anonVma.id;
    mem.index[head] = (int) (v.filePage(hvpn) - v.anonVma.base);
    if (kernel.has(KernelChange.ANON_EXCLUSIVE)) {
      setExclusive(head, 1 << mem.folioOrder(head), true);
    }
  }

  /** copy_user_large_folio: the bytes of every page of {@code from} into {@code to}. */
  private void copyUserHugePage(int from, int to, int nr) {
    for (int i = 0; i < nr; i++) {
      mem.content[to + i] = m.content.duplicate(mem.content[from + i]);
    }
  }

  // ---- faults --------------------------------------------------------------------------------

  /**
   * hugetlb_fault at {@code vpn}: hugetlb_no_page where nothing is mapped, hugetlb_wp for a write (or
   * FAULT_FLAG_UNSHARE) to a write-protected entry. Returns the PTE now mapping {@code vpn}.
   */
  long fault(Mm mm, Vma v, long vpn, boolean write, boolean unshare) {
    int nr = 1 << order(v);
    long hvpn = vpn & -(long) nr;
    stat.count(VmEvent.PGFAULT);
    long entry = hugePte(mm, hvpn);
    if (entry == 0) {
      noPage(mm, v, hvpn, write);
    } else if ((write || unshare) && !Pte.writable(entry)) {
      wp(mm, v, hvpn, unshare);
    } else {
      changeHugePte(mm, hvpn, nr, Pte.YOUNG | (write ? Pte.DIRTY : 0), 0);
    }
    return mm.pgtable.get(vpn);
  }

  /**
   * hugetlb_no_page: the file's page if it is cached; else a new huge page, added to the page cache
   * of a shared mapping, or a new anonymous page of a private one (never cached). Mapped writable
   * only in a shared writable mapping; a write to a private one then takes hugetlb_wp.
   */
  private void noPage(Mm mm, Vma v, long hvpn, boolean write) {
    m.reached(ModelPath.HUGETLB_FAULT);
    MemFile f = v.file;
    int nr = 1 << order(v);
    long page = v.filePage(hvpn);
    if (page >= f.pages) {
      throw new SignalException(SignalException.Kind.BUS_ADRERR, Page.addr(hvpn),
          "huge page at file page " + page + " is beyond the end of " + f + " (" + f.pages + " pages)");
    }
    int idx = (int) (page >> order(v));
    int head = f.cached((int) page);
    if (head != MemMap.NONE) {
      mem.refcount[head]++;
    } else {
      head = allocHugetlbFolio(v, idx, false);
      if (head == MemMap.NONE) {
        throw new SignalException(SignalException.Kind.BUS_ADRERR, Page.addr(hvpn), "no free huge page of "
            + (4L << order(v)) + " KiB for the fault, and none reserved for it (hugetlb_no_page)");
      }
      if (v.has(VmFlags.VM_MAYSHARE)) {
        // hugetlb_add_to_page_cache: the cache holds a reference of its own.
        mem.flags[head] |= PageFlags.PG_DIRTY;
        mem.mapping[head] = f.id;
        mem.index[head] = (int) page;
        f.setCached((int) page, head);
        mem.refcount[head]++;
      } else {
        addNewAnonRmap(head, v, hvpn);
      }
    }
    mem.addEntireMapcount(head, 1);
    boolean shared = v.has(VmFlags.VM_SHARED);
    long bits = Pte.PRESENT | Pte.YOUNG | (shared && v.has(VmFlags.VM_WRITE) ? Pte.WRITE | (write ? Pte.DIRTY : 0) : 0);
    setHugePte(mm, hvpn, nr, head, bits);
    if (write && !shared) {
      wp(mm, v, hvpn, false);
    }
  }

  /**
   * hugetlb_wp: a write (or FAULT_FLAG_UNSHARE) to a write-protected huge page. A shared mapping's
   * page is made writable. An anonymous page only this mapping maps is reused (and made exclusive),
   * whatever other references it has: hugetlb looks at the mapcount, not the refcount, so that fork
   * and exit do not run out of huge pages, and a page a pipe or GUP still holds is reused under it.
   * Any other page is copied into a new one; when the pool has none, the owner of a private
   * mapping takes its page back from the children it shares it with (unmap_ref_private), anyone
   * else gets SIGBUS.
   */
  private void wp(Mm mm, Vma v, long hvpn, boolean unshare) {
    int nr = 1 << order(v);
    long entry = hugePte(mm, hvpn);
    int old = mem.folio(Pte.pfn(entry));
    if (v.has(VmFlags.VM_MAYSHARE)) {
      if (!unshare) {
        changeHugePte(mm, hvpn, nr, Pte.WRITE | Pte.DIRTY | Pte.YOUNG, 0);
      }
      return;
    }
    boolean anon = mem.pageAnon(old);
    if (anon && mem.folioMapcount(old) == 1) {
      if (!mem.pageAnonExclusive(old)) {
        // folio_move_anon_rmap, then SetPageAnonExclusive (5.19+).
        mem.mapping[old] = v.anonVma.id;
        mem.index[old] = (int) (v.filePage(hvpn) - v.anonVma.base);
        if (kernel.has(KernelChange.ANON_EXCLUSIVE)) {
          setExclusive(old, nr, true);
        }
      }
      if (!unshare) {
        changeHugePte(mm, hvpn, nr, Pte.WRITE | Pte.DIRTY | Pte.YOUNG, 0);
      }
      stat.count(VmEvent.COW_REUSE);
      return;
    }
    int idx = (int) (v.filePage(hvpn) >> order(v));
    // The owner copying its own anonymous page takes a page no one was promised (outside_reserve); a private
    // mapping's first write to a page-cache page uses the reservation made for it.
    boolean outsideReserve = v.hugetlbResv != null && anon;
    int copy = allocHugetlbFolio(v, idx, outsideReserve);
    if (copy != MemMap.NONE) {
      m.reached(ModelPath.HUGETLB_WP_COPY);
    } else {
      if (outsideReserve) {
        unmapRefPrivate(mm, v, old, hvpn);
        if (mem.folioMapcount(old) == 1) {
          wp(mm, v, hvpn, unshare);
          return;
        }
      }
      throw new SignalException(SignalException.Kind.BUS_ADRERR, Page.addr(hvpn), "no free huge page of "
          + (4L << order(v)) + " KiB to copy the shared one into (hugetlb_wp)");
    }
    copyUserHugePage(old, copy, nr);
    stat.count(VmEvent.COW_COPY, nr);
    addNewAnonRmap(copy, v, hvpn);
    m.notifiers.invalidate(mm, hvpn, hvpn + nr, MmuNotifierEvent.CLEAR);
    mem.addEntireMapcount(old, -1);
    mem.addEntireMapcount(copy, 1);
    setHugePte(mm, hvpn, nr, copy, Pte.PRESENT | Pte.YOUNG | Pte.DIRTY | (v.has(VmFlags.VM_WRITE) && !unshare ? Pte.WRITE : 0));
    m.tlb.flush(mm, hvpn, hvpn + nr);
    m.pageAlloc.putPage(old);
  }

  /**
   * unmap_ref_private: the owner of a private mapping needs its page back and the pool has none to
   * copy into: every other process that maps the page at that offset of the file loses the mapping
   * (its next access is SIGBUS).
   */
  private void unmapRefPrivate(Mm owner, Vma ownerVma, int head, long hvpn) {
    long page = ownerVma.filePage(hvpn);
    for (Vma v : java.util.List.copyOf(ownerVma.file.mmaps)) {
      if (v.mm == owner || v.has(VmFlags.VM_MAYSHARE)) {
        continue;
      }
      long vpn = v.startVpn() + (page - v.pgoff);
      if (vpn >= v.startVpn() && vpn < v.endVpn() && hugePte(v.mm, vpn) != 0 && mem.folio(Pte.pfn(hugePte(v.mm, vpn))) == head) {
        unmapHugepageRange(v.mm, v, vpn, vpn + (1 << order(v)));
      }
    }
  }

  // ---- unmap, fork, protection ---------------------------------------------------------------------

  /**
   * __unmap_hugepage_range over [startVpn, endVpn) of a hugetlb VMA (whole huge pages): each entry
   * cleared, the mapping and its reference dropped; the last reference sends the page back to its
   * pool. Returns the pages unmapped.
   */
  long unmapHugepageRange(Mm mm, Vma v, long startVpn, long endVpn) {
    int nr = 1 << order(v);
    m.notifiers.invalidate(mm, startVpn, endVpn, MmuNotifierEvent.CLEAR);
    long cleared = 0;
    for (long hvpn = startVpn; hvpn < endVpn; hvpn += nr) {
      long entry = hugePte(mm, hvpn);
      if (entry == 0) {
        continue;
      }
      int head = mem.folio(Pte.pfn(entry));
      clearHugePte(mm, hvpn, nr);
      if ((entry & Pte.DIRTY) != 0) {
        mem.flags[head] |= PageFlags.PG_DIRTY;
      }
      mem.addEntireMapcount(head, -1);
      m.pageAlloc.putPage(head);
      cleared += nr;
    }
    if (cleared > 0) {
      stat.count(VmEvent.ZAP_PTE, cleared);
      m.tlb.flush(mm, startVpn, endVpn);
    }
    return cleared;
  }

  /**
   * copy_hugetlb_page_range at fork. A private mapping's pages are shared COW, both entries
   * write-protected and PageAnonExclusive cleared; but from 5.12 (4eae4efa2c29) an anonymous page
   * that may be DMA-pinned is not shared: the child gets a copy now (hugetlb_try_dup_anon_rmap
   * fails; before 5.19, page_needs_cow_for_dma: only in an mm that has pinned). ENOMEM, failing the
   * fork, when the pool has no page for that copy.
   */
  void copyHugetlbPageRange(Mm dst, Vma dstVma, Mm src, Vma srcVma) {
    int nr = 1 << order(srcVma);
    boolean cow = VmFlags.isCowMapping(srcVma.flags);
    if (cow) {
      m.notifiers.invalidate(src, srcVma.startVpn(), srcVma.endVpn(), MmuNotifierEvent.PROTECTION_PAGE);
    }
    long copied = 0;
    for (long hvpn = srcVma.startVpn(); hvpn < srcVma.endVpn(); hvpn += nr) {
      long entry = hugePte(src, hvpn);
      if (entry == 0) {
        continue;
      }
      int head = mem.folio(Pte.pfn(entry));
      if (mem.pageAnon(head)) {
        boolean candidate = kernel.has(KernelChange.ANON_EXCLUSIVE) ? mem.pageAnonExclusive(head) : src.hasPinned;
        if (kernel.has(KernelChange.HUGETLB_FORK_EARLY_COW) && candidate && mem.folioMaybeDmaPinned(head)) {
          int copy = allocHugetlbFolio(dstVma, (int) (dstVma.filePage(hvpn) >> order(dstVma)), true);
          if (copy == MemMap.NONE) {
            throw MmException.of(Errno.ENOMEM, "fork: no free huge page of %d KiB to copy a pinned one into for the child "
                + "(copy_hugetlb_page_range)", 4L << order(srcVma));
          }
          copyUserHugePage(head, copy, nr);
          addNewAnonRmap(copy, dstVma, hvpn);
          mem.addEntireMapcount(copy, 1);
          setHugePte(dst, hvpn, nr, copy, Pte.PRESENT | Pte.DIRTY | (dstVma.has(VmFlags.VM_WRITE) ? Pte.WRITE : 0));
          copied += nr;
          continue;
        }
        setExclusive(head, nr, false);
      }
      mem.addEntireMapcount(head, 1);
      mem.refcount[head]++;
      if (cow && Pte.writable(entry)) {
        changeHugePte(src, hvpn, nr, 0, Pte.WRITE);
        entry = Pte.wrprotect(entry);
      }
      setHugePte(dst, hvpn, nr, head, (entry & ((1L << Pte.PFN_SHIFT) - 1)) & ~Pte.YOUNG);
    }
    stat.count(VmEvent.FORK_COPY, copied);
    if (cow) {
      m.tlb.flush(src, srcVma.startVpn(), srcVma.endVpn());
    }
  }

  /**
   * hugetlb_change_protection for mprotect: every entry of the VMA takes the new protection; a
   * private mapping's entries are write-protected whatever it asks (its next write takes
   * hugetlb_wp), a shared writable mapping's made writable.
   */
  long changeProtection(Mm mm, Vma v) {
    int nr = 1 << order(v);
    boolean writable = v.has(VmFlags.VM_SHARED) && v.has(VmFlags.VM_WRITE);
    m.notifiers.invalidate(mm, v.startVpn(), v.endVpn(), MmuNotifierEvent.PROTECTION_VMA);
    long changed = 0;
    for (long hvpn = v.startVpn(); hvpn < v.endVpn(); hvpn += nr) {
      long entry = hugePte(mm, hvpn);
      if (entry != 0 && Pte.writable(entry) != writable) {
        changeHugePte(mm, hvpn, nr, writable ? Pte.WRITE : 0, writable ? 0 : Pte.WRITE);
        changed += nr;
      }
    }
    if (changed > 0) {
      m.tlb.flush(mm, v.startVpn(), v.endVpn());
    }
    return changed;
  }

  // ---- hugetlbfs files -----------------------------------------------------------------------

  /**
   * hugetlbfs_fallocate over [0, bytes) of {@code f}: every huge page not yet cached is allocated
   * (with its reservation when it has one) and cached; ENOSPC, with what was cached so far kept, when
   * the pool runs out.
   */
  void fallocate(MemFile f, long bytes) {
    Hstate h = hstates.get(f.hugetlbOrder);
    int nr = h.nrPages();
    long end = (bytes + h.bytes() - 1) / h.bytes();
    for (int idx = 0; idx < end; idx++) {
      if (f.cached(idx * nr) != MemMap.NONE) {
        continue;
      }
      boolean reserved = f.hugetlbResv.get(idx);
      if (!reserved && h.available() <= 0) {
        throw MmException.of(Errno.ENOSPC, "fallocate: no free huge page of %d KiB for page %d of %s (%s: %d free, %d reserved)",
            h.bytes() >> 10, idx, f, h, h.freeHugePages(), h.resvHugePages);
      }
      if (reserved) {
        h.resvHugePages--;
      }
      f.hugetlbResv.set(idx);
      int head = h.pop();
      mem.refcount[head] = 1;
      mem.flags[head] |= PageFlags.PG_DIRTY;
      mem.mapping[head] = f.id;
      mem.index[head] = idx * nr;
      f.setCached(idx * nr, head);
      stat.count(VmEvent.ZERO_FILL, nr);
    }
    if (bytes > f.size()) {
      f.pages = end * nr;
    }
  }
}
