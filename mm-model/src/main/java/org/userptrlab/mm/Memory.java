package org.userptrlab.mm;

import static org.userptrlab.mm.PageFlags.PG_ANON_EXCLUSIVE;
import static org.userptrlab.mm.PageFlags.PG_DIRTY;

/**
 * Page faults, zapping and fork's page-table copy: mm/memory.c. Each method names the kernel
 * function it mirrors. Range operations walk the page tables a PTE page at a time.
 */
final class Memory {
  private final Machine m;
  private final MemMap mem;
  private final Content content;
  private final VmStat stat;
  private final KernelGate kernelConfig;
  /** The program's range access in progress (a fill, a read, a check), for a device-private page's {@link VmFault}; empty outside one. */
  private long accessStart;
  private long accessEnd;

  Memory(Machine m) {
    this.m = m;
    this.mem = m.mem;
    this.content = m.content;
    this.stat = m.vmstat;
    this.kernelConfig = m.kernelConfig;
  }

  // ---- CPU access ---------------------------------------------------------------------------

  /** What the MMU does for one access: use the PTE if it allows it, else take the fault. */
  int faultIn(Mm mm, Vma v, long vpn, boolean write) {
    return faultIn(mm, v, vpn, write, true);
  }

  /** As {@link #faultIn(Mm, Vma, long, boolean)}, for an access from user mode or from the kernel (copy_from_user). */
  int faultIn(Mm mm, Vma v, long vpn, boolean write, boolean userMode) {
    long[] leaf = mm.pgtable.leaf(vpn, false);
    if (leaf != null) {
      return faultIn(mm, v, vpn, write, leaf, userMode);
    }
    faultLock(mm, v, vpn, userMode);
    return Pte.pfn(handleMmFault(mm, v, vpn, write));
  }

  /** {@link #faultIn(Mm, Vma, long, boolean, boolean)} with the PTE page covering {@code vpn} found already. */
  int faultIn(Mm mm, Vma v, long vpn, boolean write, long[] leaf, boolean userMode) {
    int slot = PageTable.slot(vpn);
    long pte = leaf[slot];
    if (Pte.present(pte) && (!write || Pte.writable(pte))) {
      long set = Pte.YOUNG | (write ? Pte.DIRTY : 0);
      if ((pte & set) != set) {
        // The page walk sets the bits the kernel left clear; a huge page's one entry is not counted per 4 KiB.
        if (!PageTable.isPmd(leaf) && !Hugetlb.isHugetlb(v)) {
          stat.count(VmEvent.PTE_FIRST_TOUCH);
        }
        leaf[slot] = pte | set;
      }
      return Pte.pfn(pte);
    }
    faultLock(mm, v, vpn, userMode);
    return Pte.pfn(handlePteFault(mm, v, vpn, write, leaf, slot));
  }

  /**
   * A fault the kernel takes for itself, with no trap and no access of the CPU's after it (faultin_page
   * for get_user_pages and populate_vma_page_range, hmm_range_fault), counted in pgfault as
   * handle_mm_fault counts every fault, and apart in kernel_faults: a PTE it installs stays old until
   * the CPU first touches the page, since x86's faults set no accessed bit (pte_sw_mkyoung does
   * nothing there). The model's fault paths set it for the access that follows a CPU's fault; here
   * it is taken off again. hugetlb (make_huge_pte) and a PMD mapping keep theirs. With {@code touch}
   * (FOLL_TOUCH, which get_user_pages and populate imply; hmm_range_fault has none) follow_page_pte
   * marks the folio accessed instead (folio_mark_accessed: PG_referenced).
   */
  long kernelFault(Mm mm, Vma v, long vpn, boolean write, boolean touch) {
    long before = mm.pgtable.get(vpn);
    long faults = stat.get(VmEvent.PGFAULT);
    long pte;
    try {
      pte = handleMmFault(mm, v, vpn, write);
    } finally {
      stat.count(VmEvent.KERNEL_FAULTS, stat.get(VmEvent.PGFAULT) - faults);
    }
    if (Pte.present(pte) && (!Pte.present(before) || Pte.pfn(before) != Pte.pfn(pte)) && !Hugetlb.isHugetlb(v)) {
      long[] leaf = mm.pgtable.leaf(vpn, false);
      int slot = PageTable.slot(vpn);
      if (leaf != null && !PageTable.isPmd(leaf) && leaf[slot] == pte) {
        leaf[slot] = pte & ~Pte.YOUNG;
        if (touch && !Pte.special(pte)) {
          mem.setFolioFlag(Pte.pfn(pte), PageFlags.PG_REFERENCED);
        }
      }
    }
    return pte;
  }

  /**
   * faultin_page for populate (populate_vma_page_range, madvise_populate): a PTE that allows the
   * access already stays as old as it is, a write dirtying its page (FOLL_TOUCH's folio_mark_dirty,
   * here the PTE's dirty bit, which an unmap hands the folio); else the kernel's fault, which leaves
   * the PTE old.
   */
  void populate(Mm mm, Vma v, long vpn, boolean write) {
    long[] leaf = mm.pgtable.leaf(vpn, false);
    int slot = PageTable.slot(vpn);
    long pte = leaf == null ? 0 : leaf[slot];
    if (Pte.present(pte) && (!write || Pte.writable(pte))) {
      if (write) {
        leaf[slot] = pte | Pte.DIRTY;
      }
      return;
    }
    faultLock(mm, v, vpn, true);
    kernelFault(mm, v, vpn, write, true);
  }

  /**
   * The lock a fault takes (do_user_addr_fault): from 6.4, for a user-mode fault, the VMA's own
   * where lock_vma_under_rcu takes it (an anonymous VMA that has its anon_vma); else mmap_read_lock.
   */
  private void faultLock(Mm mm, Vma v, long vpn, boolean userMode) {
    boolean vmaLock = userMode && v.anonVma != null && v.isAnonymous() && !Hugetlb.isHugetlb(v)
        && m.kernelConfig.has(KernelChange.PER_VMA_LOCK);
    m.mmapLocks.fault(mm.id, Page.addr(vpn), vmaLock);
  }

  // ---- faults --------------------------------------------------------------------------------

  /**
   * handle_mm_fault: the VMA allows the access; make the PTE allow it too. Where the PMD is none
   * and THP suits the VMA, create_huge_pmd (do_huge_pmd_anonymous_page) comes first; a write to a
   * write-protected PMD mapping takes do_huge_pmd_wp_page, which may split it and fall back to the PTE.
   */
  long handleMmFault(Mm mm, Vma v, long vpn, boolean write) {
    if (Hugetlb.isHugetlb(v)) {
      return m.hugetlb.fault(mm, v, vpn, write, false);
    }
    long[] leaf = mm.pgtable.leaf(vpn, false);
    if (leaf == null && m.thp.vmaSuitable(v, vpn)) {
      long pte = m.thp.doHugePmdAnonymousPage(mm, v, vpn, write);
      if (pte != 0) {
        stat.count(VmEvent.PGFAULT);
        return pte;
      }
    }
    return handlePteFault(mm, v, vpn, write, leaf, PageTable.slot(vpn));
  }

  /**
   * handle_pte_fault, for the PTE at {@code leaf[slot]}; a null {@code leaf} is a PTE page not
   * made yet, which only a fault that succeeds makes (a failed one leaves the tables as they were).
   */
  private long handlePteFault(Mm mm, Vma v, long vpn, boolean write, long[] leaf, int slot) {
    if (Hugetlb.isHugetlb(v)) {
      return m.hugetlb.fault(mm, v, vpn, write, false);
    }
    if (leaf != null && PageTable.isPmd(leaf) && write && Pte.present(leaf[slot]) && !Pte.writable(leaf[slot])) {
      long pte = m.thp.doHugePmdWpPage(mm, v, vpn, leaf);
      if (pte != 0) {
        stat.count(VmEvent.PGFAULT);
        return pte;
      }
    }
    stat.count(VmEvent.PGFAULT);
    long pte = leaf == null ? 0 : leaf[slot];
    if (pte == 0) {
      if (v.device != null) {
        throw new SignalException(SignalException.Kind.BUS_ADRERR, Page.addr(vpn), "device mapping has no page here");
      }
      if (v.file != null) {
        return doFault(mm, v, vpn, write);
      }
      if (write) {
        pte = m.thp.doAnonymousLargeFolio(mm, v, vpn);
        if (pte != 0) {
          return pte;
        }
      }
      pte = doAnonymousPage(mm, v, vpn, write);
      // Set where the walk found it: the allocation may reclaim, but reclaim never frees a PTE page.
      if (leaf != null) {
        leaf[slot] = pte;
      } else {
        mm.pgtable.set(vpn, pte);
      }
      return pte;
    }
    if (Pte.devicePrivate(pte)) {
      return doDevicePrivatePage(mm, v, vpn, write, Pte.pfn(pte));
    }
    if (Pte.swap(pte)) {
      return m.swap.doSwapPage(mm, v, vpn, pte, write);
    }
    if (write && !Pte.writable(pte)) {
      return doWpPage(mm, v, vpn, pte);
    }
    pte |= Pte.YOUNG | (write ? Pte.DIRTY : 0);
    leaf[slot] = pte;
    return pte;
  }

  /**
   * do_swap_page for a device-private entry: with a reference on the page, its owner's
   * migrate_to_ram moves it back to RAM; then the access is taken again, and may COW. A driver that
   * left the page in its memory would have the CPU fault on it for ever: the model raises SIGBUS.
   */
  /** A program's access of [start, end) begins ({@code start == end}: it has ended). */
  void userAccess(long start, long end) {
    accessStart = start;
    accessEnd = end;
  }

  private long doDevicePrivatePage(Mm mm, Vma v, long vpn, boolean write, int page) {
    m.reached(ModelPath.DEVICE_PRIVATE_FAULT);
    stat.count(VmEvent.DEVICE_PRIVATE_FAULT);
    mem.refcount[page]++;
    try {
      long addr = Page.addr(vpn);
      boolean inSpan = addr >= accessStart && addr < accessEnd;
      m.pagemap(page).ops.migrateToRam(inSpan ? new VmFault(m.process(mm), addr, page, write, accessStart, accessEnd)
          : new VmFault(m.process(mm), addr, page, write));
    } finally {
      m.pageAlloc.putPage(page);
    }
    long now = mm.pgtable.get(vpn);
    if (Pte.devicePrivate(now) && Pte.pfn(now) == page) {
      throw new SignalException(SignalException.Kind.BUS_ADRERR, Page.addr(vpn),
          "the device's migrate_to_ram left device-private page " + page + " where it was (VM_FAULT_SIGBUS)");
    }
    return handleMmFault(mm, v, vpn, write);
  }

  /** do_anonymous_page: a read maps the shared zero page; a write gets a fresh zeroed page of its own. Returns the PTE to set. */
  private long doAnonymousPage(Mm mm, Vma v, long vpn, boolean write) {
    long pte;
    if (!write) {
      pte = Pte.make(MemMap.ZERO_PFN, Pte.PRESENT | Pte.SPECIAL | Pte.YOUNG);
      stat.count(VmEvent.ZERO_PAGE_MAPPED);
    } else {
      m.rmap.anonVmaPrepare(v);
      int pfn = m.pageAlloc.allocAnonPage();
      stat.count(VmEvent.ZERO_FILL);
      m.rmap.addNewAnonRmap(pfn, v, vpn);
      pte = Pte.make(pfn, Pte.PRESENT | Pte.YOUNG | Pte.DIRTY | (v.has(VmFlags.VM_WRITE) ? Pte.WRITE : 0));
    }
    return pte;
  }

  /** do_fault: do_read_fault, do_cow_fault (private write) or do_shared_fault. */
  long doFault(Mm mm, Vma v, long vpn, boolean write) {
    MemFile f = v.file;
    long fp = v.filePage(vpn);
    if (fp >= f.pages) {
      throw new SignalException(SignalException.Kind.BUS_ADRERR, Page.addr(vpn),
          "page " + fp + " is beyond the end of " + f + " (" + f.pages + " pages)");
    }
    int cache = m.files.filemapFault(f, (int) fp);
    long pte;
    if (write && !v.has(VmFlags.VM_SHARED)) {
      m.rmap.anonVmaPrepare(v);
      // filemap_fault hands the page over with a reference of its own: reclaim during the allocation cannot free it.
      mem.refcount[cache]++;
      int pfn;
      try {
        pfn = m.pageAlloc.allocUserPage(Gfp.HIGHUSER_MOVABLE);
        mem.content[pfn] = content.duplicate(mem.content[cache]);
      } finally {
        m.pageAlloc.putPage(cache);
      }
      m.rmap.addNewAnonRmap(pfn, v, vpn);
      stat.count(VmEvent.COW_COPY);
      m.reached(ModelPath.DO_COW_FAULT);
      pte = Pte.make(pfn, Pte.PRESENT | Pte.YOUNG | Pte.DIRTY | (v.has(VmFlags.VM_WRITE) ? Pte.WRITE : 0));
    } else {
      m.reached(ModelPath.DO_SHARED_FAULT);
      mem.mapcount[cache]++;
      mem.refcount[cache]++;
      mm.rss[Rmap.mmCounter(mem, cache)]++;
      m.mlock.onMap(cache, v);
      boolean writable = write || (f.shmem && v.has(VmFlags.VM_SHARED) && v.has(VmFlags.VM_WRITE));
      if (write) {
        pageMkwrite(f);
        mem.flags[cache] |= PG_DIRTY;
      }
      pte = Pte.make(cache, Pte.PRESENT | Pte.YOUNG | (writable ? Pte.WRITE : 0) | (write ? Pte.DIRTY : 0));
    }
    mm.pgtable.set(vpn, pte);
    return pte;
  }

  /**
   * do_page_mkwrite and fault_dirty_shared_page: a disk file system's vm_ops->page_mkwrite (ext4's
   * takes a journal handle and updates the file's times) before a shared page is written; shmem
   * (tmpfs, memfd, a GEM object) has none.
   */
  private void pageMkwrite(MemFile f) {
    if (!f.shmem) {
      stat.count(VmEvent.PAGE_MKWRITE);
    }
  }

  /** do_wp_page: a write to a present, write-protected PTE. */
  long doWpPage(Mm mm, Vma v, long vpn, long pte) {
    int pfn = Pte.pfn(pte);
    if (Pte.special(pte)) {
      if (v.device != null) {
        pte |= Pte.WRITE | Pte.DIRTY | Pte.YOUNG;
        mm.pgtable.set(vpn, pte);
        return pte;
      }
      return wpPageCopy(mm, v, vpn, pfn, false);
    }
    if (v.has(VmFlags.VM_SHARED)) {
      // wp_page_shared: the file page is written in place and becomes dirty.
      m.reached(ModelPath.WP_PAGE_SHARED);
      if (v.file != null) {
        pageMkwrite(v.file);
      }
      mem.flags[pfn] |= PG_DIRTY;
      return reuse(mm, v, vpn, pte);
    }
    if (mem.pageAnon(pfn) && canReuseAnon(mm, pfn)) {
      m.rmap.moveAnonRmap(pfn, v, vpn);
      stat.count(VmEvent.COW_REUSE);
      return reuse(mm, v, vpn, pte);
    }
    return wpPageCopy(mm, v, vpn, pfn, false);
  }

  /**
   * FAULT_FLAG_UNSHARE (5.19+): before a read-only pin of an anonymous page this process does not
   * own exclusively, make it exclusive: reuse it if no one else holds it, else give the process a
   * copy (mapped read-only; the next write reuses it). From 6.2 the zeropage or a page-cache page of a
   * COW mapping is copied likewise. The pin then stays coherent with the process.
   */
  void unshare(Mm mm, Vma v, long vpn, long pte) {
    if (Hugetlb.isHugetlb(v)) {
      m.hugetlb.fault(mm, v, vpn, false, true);
      return;
    }
    stat.count(VmEvent.PGFAULT);
    long[] leaf = mm.pgtable.leaf(vpn, false);
    if (leaf != null && PageTable.isPmd(leaf)) {
      // do_huge_pmd_wp_page with FAULT_FLAG_UNSHARE: what is not exclusive is split, and unshared at PTE level.
      m.thp.splitHugePmd(mm, v, Thp.hugeStart(vpn), leaf);
      pte = leaf[PageTable.slot(vpn)];
    }
    int pfn = Pte.pfn(pte);
    // do_wp_page with FAULT_FLAG_UNSHARE: a page that is not anonymous is always copied (wp_page_copy).
    if (!mem.isZeroPage(pfn) && mem.pageAnon(pfn) && canReuseAnon(mm, pfn)) {
      m.rmap.moveAnonRmap(pfn, v, vpn);
      return;
    }
    wpPageCopy(mm, v, vpn, pfn, true);
  }

  /**
   * Before 5.9: reuse_swap_page, i.e. mapped by this PTE alone (other references, such as a
   * get_user_pages holder's, are not looked at). 5.9 to 5.18 (do_wp_page after 09854ba94c6a):
   * page_count is 1, so a page held by anyone is copied. 5.19+: PageAnonExclusive, or
   * wp_can_reuse_anon_folio's check that no one else holds a reference, after the swap cache lets
   * go. (The model lets the swap cache go at swap-in once no PTE needs the slot, on every kernel.)
   */
  private boolean canReuseAnon(Mm mm, int pfn) {
    int swapcache = mem.pageSwapCache(pfn) ? 1 : 0;
    switch (kernelConfig.cowReuse()) {
      case MAPCOUNT:
        return mem.pageMapcount(pfn) + m.swap.swapCountOf(pfn) <= 1;
      case PAGE_COUNT:
        return mem.pageCount(pfn) == 1;
      case ANON_EXCLUSIVE:
        break;
    }
    if (mem.pageAnonExclusive(pfn)) {
      return true;
    }
    int head = mem.folio(pfn);
    if (mem.folioLarge(head)) {
      // wp_can_reuse_anon_folio: before 6.15 a page of a large folio is never reused unless exclusive (the folio goes
      // back sooner); from 6.15, when every mapping and reference of the folio is this process's.
      if (!kernelConfig.has(KernelChange.COW_REUSE_LARGE) || mem.pageSwapCache(head)
          || mem.refcount[head] != mem.folioMapcount(head) || !m.thp.mappedByOneMm(head, mm)) {
        return false;
      }
      mem.flags[pfn] |= PG_ANON_EXCLUSIVE;
      return true;
    }
    if (mem.refcount[pfn] > 1 + swapcache) {
      return false;
    }
    m.swap.dropSwapCache(pfn);
    if (mem.refcount[pfn] != 1) {
      return false;
    }
    mem.flags[pfn] |= PG_ANON_EXCLUSIVE;
    return true;
  }

  /** wp_page_reuse: the PTE becomes writable where the VMA is (a FOLL_FORCE write to a read-only VMA reuses without it). */
  private long reuse(Mm mm, Vma v, long vpn, long pte) {
    pte |= Pte.DIRTY | Pte.YOUNG | (v.has(VmFlags.VM_WRITE) ? Pte.WRITE : 0);
    mm.pgtable.set(vpn, pte);
    return pte;
  }

  /**
   * wp_page_copy: a new anonymous page with the old one's bytes replaces it in this PTE only (read-only
   * when unsharing). The old page is held across the allocation (do_wp_page's folio_get), which may
   * reclaim; if reclaim unmapped it meanwhile, pte_same fails: the new page goes back and the fault is
   * taken again on what the PTE now holds (an unshare returns, and GUP looks again).
   */
  long wpPageCopy(Mm mm, Vma v, long vpn, int old, boolean unshare) {
    m.rmap.anonVmaPrepare(v);
    boolean zero = mem.isZeroPage(old);
    if (!zero) {
      mem.refcount[mem.folio(old)]++;
    }
    int pfn;
    try {
      pfn = zero ? m.pageAlloc.allocAnonPage() : m.pageAlloc.allocUserPage(Gfp.HIGHUSER_MOVABLE);
    } finally {
      if (!zero) {
        m.pageAlloc.putPage(old);
      }
    }
    long now = mm.pgtable.get(vpn);
    if (!Pte.present(now) || Pte.pfn(now) != old) {
      m.pageAlloc.putPage(pfn);
      return unshare ? now : handleMmFault(mm, v, vpn, true);
    }
    mem.content[pfn] = zero ? Content.ZERO : content.duplicate(mem.content[old]);
    stat.count(zero ? VmEvent.ZERO_FILL : VmEvent.COW_COPY);
    m.rmap.addNewAnonRmap(pfn, v, vpn);
    m.notifiers.invalidate(mm, vpn, vpn + 1, MmuNotifierEvent.CLEAR);
    long pte = Pte.make(pfn, Pte.PRESENT | Pte.YOUNG | Pte.DIRTY | (v.has(VmFlags.VM_WRITE) && !unshare ? Pte.WRITE : 0));
    mm.pgtable.set(vpn, pte);
    m.tlb.flush(mm, vpn, vpn + 1);
    if (!zero) {
      m.rmap.removeRmap(old, v);
      m.pageAlloc.putPage(old);
    }
    return pte;
  }

  // ---- rmap ----------------------------------------------------------------------------------

  // ---- zap and fork --------------------------------------------------------------------------

  /** zap_page_range_single over [start, end) of each VMA but VM_PFNMAP ones; returns the present PTEs cleared. */
  long zapPageRangeSingle(Mm mm, long start, long end) {
    long cleared = 0;
    for (Vma v : mm.intersecting(start, end)) {
      if (!v.has(VmFlags.VM_PFNMAP)) {
        cleared += zap(mm, v, Math.max(start, v.start) >>> Page.PAGE_SHIFT, Math.min(end, v.end) >>> Page.PAGE_SHIFT,
            MmuNotifierEvent.CLEAR);
      }
    }
    return cleared;
  }

  /**
   * zap_pte_range over [startVpn, endVpn) of one VMA: clear the PTEs, drop the mappings and the
   * references they held (a page someone else still holds lives on, theirs alone), free swap
   * entries; then one TLB flush for the range. Returns the number of present PTEs cleared.
   */
  long zap(Mm mm, Vma v, long startVpn, long endVpn, MmuNotifierEvent event) {
    if (Hugetlb.isHugetlb(v)) {
      return m.hugetlb.unmapHugepageRange(mm, v, startVpn, endVpn);
    }
    m.notifiers.invalidate(mm, startVpn, endVpn, event);
    return unmapPageRange(mm, v, startVpn, endVpn);
  }

  /**
   * __oom_reap_task_mm (4.19 on): every VMA but hugetlb and PFN maps, anonymous or private, has its
   * pages unmapped as a zap does, after its notifiers were told with a non-blocking invalidation; a
   * VMA whose notifier would block is skipped. Before 5.18 mlocked VMAs are skipped too
   * (can_madv_lru_vma). Returns {pages unmapped, VMAs skipped for a notifier}.
   */
  long[] oomReap(Mm mm) {
    long reaped = 0;
    long skipped = 0;
    for (Vma v : new java.util.ArrayList<>(mm.vmas.values())) {
      if (Hugetlb.isHugetlb(v) || v.has(VmFlags.VM_PFNMAP)
          || (v.has(VmFlags.VM_LOCKED) && !kernelConfig.has(KernelChange.OOM_REAP_MLOCKED))) {
        continue;
      }
      if (v.isAnonymous() || !v.has(VmFlags.VM_SHARED)) {
        long s = v.start >>> Page.PAGE_SHIFT;
        long e = v.end >>> Page.PAGE_SHIFT;
        if (!m.notifiers.invalidateNonblock(mm, s, e, MmuNotifierEvent.UNMAP)) {
          skipped++;
          continue;
        }
        reaped += unmapPageRange(mm, v, s, e);
      }
    }
    return new long[] {reaped, skipped};
  }

  /** unmap_page_range: the PTEs of [startVpn, endVpn) of one VMA go, after the notifiers were told. */
  private long unmapPageRange(Mm mm, Vma v, long startVpn, long endVpn) {
    long cleared = 0;
    PageTable pt = mm.pgtable;
    for (long vpn = startVpn; vpn < endVpn; ) {
      long leafEnd = Math.min(PageTable.leafEnd(vpn), endVpn);
      long[] leaf = pt.leaf(vpn, false);
      if (leaf == null) {
        vpn = leafEnd;
        continue;
      }
      if (PageTable.isPmd(leaf) && zapPmd(mm, v, vpn, leafEnd, leaf)) {
        cleared += Thp.HPAGE_PMD_NR;
        vpn = leafEnd;
        continue;
      }
      for (int i = PageTable.slot(vpn); vpn < leafEnd; vpn++, i++) {
        long pte = leaf[i];
        if (pte == 0) {
          continue;
        }
        leaf[i] = 0;
        if (Pte.swap(pte)) {
          m.swap.freeSwapEntry(Pte.pfn(pte));
          continue;
        }
        if (Pte.devicePrivate(pte)) {
          // zap_nonpresent_ptes: the mapping goes; the page's last reference gives it back to its driver (page_free).
          m.rmap.removeDevicePrivateRmap(Pte.pfn(pte), v);
          m.pageAlloc.putSmallPage(Pte.pfn(pte));
          continue;
        }
        cleared++;
        if (Pte.special(pte)) {
          continue;
        }
        int pfn = Pte.pfn(pte);
        short f = mem.flags[pfn];
        if ((f & (PageFlags.PG_HEAD | PageFlags.PG_TAIL)) == 0) {
          // A small folio, munmap's common case: the page is its folio, read once.
          if ((pte & Pte.DIRTY) != 0) {
            f |= PG_DIRTY;
            mem.flags[pfn] = f;
          }
          m.rmap.removeSmallRmap(pfn, f, v);
          m.pageAlloc.putSmallPage(pfn);
          continue;
        }
        if ((pte & Pte.DIRTY) != 0) {
          mem.flags[mem.folio(pfn)] |= PG_DIRTY;
        }
        m.rmap.removeRmap(pfn, v);
        m.pageAlloc.putPage(pfn);
      }
    }
    if (cleared > 0) {
      stat.count(VmEvent.ZAP_PTE, cleared);
      m.tlb.flush(mm, startVpn, endVpn);
    }
    return cleared;
  }

  /**
   * zap_pmd_range for a PMD mapping: zap_huge_pmd when [vpn, end) covers it whole (true), else a
   * split, after which the caller zaps the PTEs (false).
   */
  private boolean zapPmd(Mm mm, Vma v, long vpn, long end, long[] leaf) {
    if (vpn == PageTable.leafStart(vpn) && end == PageTable.leafEnd(vpn)) {
      m.thp.zapHugePmd(mm, v, vpn, leaf);
      return true;
    }
    m.thp.splitHugePmd(mm, v, PageTable.leafStart(vpn), leaf);
    return false;
  }

  /**
   * copy_page_range / copy_pte_range for one VMA at fork. Anonymous pages are shared COW: both
   * PTEs write-protected, mapcount and refcount raised, PageAnonExclusive cleared
   * (folio_try_dup_anon_rmap_pte). On a modern kernel an exclusive page that may be DMA-pinned in
   * an mm that has pinned cannot be shared: the child gets its own copy now (copy_present_page).
   */
  void copyPageRange(Mm dst, Vma dstVma, Mm src, Vma srcVma) {
    if (Hugetlb.isHugetlb(srcVma)) {
      m.hugetlb.copyHugetlbPageRange(dst, dstVma, src, srcVma);
      return;
    }
    boolean cow = VmFlags.isCowMapping(srcVma.flags);
    boolean copyPinned = kernelConfig.has(KernelChange.FORK_COPY_PINNED) && src.hasPinned;
    if (cow) {
      m.notifiers.invalidate(src, srcVma.startVpn(), srcVma.endVpn(), MmuNotifierEvent.PROTECTION_PAGE);
    }
    long copied = 0;
    long ptes = 0;
    long wrprotected = 0;
    long endVpn = srcVma.endVpn();
    for (long vpn = srcVma.startVpn(); vpn < endVpn; ) {
      long leafEnd = Math.min(PageTable.leafEnd(vpn), endVpn);
      long[] s = src.pgtable.leaf(vpn, false);
      if (s == null) {
        vpn = leafEnd;
        continue;
      }
      if (PageTable.isPmd(s) && m.thp.copyHugePmd(dst, dstVma, src, vpn, s)) {
        ptes += Thp.HPAGE_PMD_NR;
        vpn = leafEnd;
        continue;
      }
      long[] d = null;
      for (int i = PageTable.slot(vpn); vpn < leafEnd; vpn++, i++) {
        long pte = s[i];
        if (pte == 0) {
          continue;
        }
        if (d == null) {
          d = dst.pgtable.leaf(vpn, true);
        }
        ptes++;
        if (Pte.devicePrivate(pte)) {
          // copy_nonpresent_pte: the child maps the device page too, neither exclusively; in a COW mapping a
          // writable entry becomes readable on both sides, so the first CPU write of either migrates it back and copies.
          int page = Pte.pfn(pte);
          mem.refcount[page]++;
          mem.mapcount[page]++;
          mem.flags[page] &= ~PG_ANON_EXCLUSIVE;
          dst.rss[Rmap.MM_ANONPAGES]++;
          if (cow && Pte.writable(pte)) {
            pte = Pte.devicePrivate(page, false);
            s[i] = pte;
          }
          d[i] = pte;
          dst.hadDevicePrivate = true;
          m.reached(ModelPath.FORK_DEVICE_PRIVATE);
          continue;
        }
        if (Pte.swap(pte)) {
          // copy_nonpresent_pte: both sides now share the entry; neither is exclusive any more.
          m.swap.swapDuplicate(Pte.pfn(pte));
          s[i] = pte & ~Pte.SWP_EXCLUSIVE;
          d[i] = s[i];
          continue;
        }
        if (Pte.special(pte)) {
          d[i] = pte;
          continue;
        }
        int pfn = Pte.pfn(pte);
        if (mem.pageAnon(pfn)) {
          // 5.9 copies any maybe-pinned anonymous page; 5.19 only an exclusive one (folio_try_dup_anon_rmap_pte).
          boolean candidate = mem.pageAnonExclusive(pfn) || !kernelConfig.has(KernelChange.ANON_EXCLUSIVE);
          if (candidate && copyPinned && mem.folioMaybeDmaPinned(pfn)) {
            d[i] = copyPresentPage(dstVma, vpn, pfn);
            copied++;
            continue;
          }
          mem.flags[pfn] &= ~PG_ANON_EXCLUSIVE;
        }
        if (mem.mapcount[pfn] == Short.MAX_VALUE) {
          throw new MmException(Errno.ENOMEM, "page " + pfn + " is already mapped " + Short.MAX_VALUE + " times; the model's mapcount is full");
        }
        mem.mapcount[pfn]++;
        mem.refcount[mem.folio(pfn)]++;
        dst.rss[Rmap.mmCounter(mem, pfn)]++;
        if (cow && Pte.writable(pte)) {
          pte = Pte.wrprotect(pte);
          s[i] = pte;
          wrprotected++;
        }
        d[i] = pte & ~Pte.YOUNG;
      }
    }
    stat.count(VmEvent.FORK_PTE, ptes);
    stat.count(VmEvent.FORK_COPY, copied);
    stat.count(VmEvent.WRPROTECT_PTE, wrprotected);
    if (wrprotected > 0) {
      m.tlb.flush(src, srcVma.startVpn(), endVpn);
    }
  }

  /** copy_present_page: the child's own copy of a page the parent keeps exclusive (because it may be pinned). */
  private long copyPresentPage(Vma dstVma, long vpn, int old) {
    int pfn = m.pageAlloc.allocUserPage(Gfp.HIGHUSER_MOVABLE);
    mem.content[pfn] = content.duplicate(mem.content[old]);
    m.rmap.addNewAnonRmap(pfn, dstVma, vpn);
    return Pte.make(pfn, Pte.PRESENT | Pte.DIRTY | (dstVma.has(VmFlags.VM_WRITE) ? Pte.WRITE : 0));
  }
}
