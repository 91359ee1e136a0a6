package org.userptrlab.mm;

import java.util.ArrayList;
import java.util.List;

/**
 * Migration between RAM and a driver's device-private memory (mm/migrate_device.c): a process's
 * range with migrate_vma_setup, migrate_vma_pages and migrate_vma_finalize, or the driver's own pages
 * by pfn with migrate_device_range (eviction). The driver allocates the destinations and copies
 * between the steps. One difference no driver can see: the pages a step collects stay mapped until
 * finalize, where the kernel puts migration entries in their place, since nothing runs between a
 * driver's steps in the model.
 */
final class MigrateDevice {
  private final Machine m;
  private final MemMap mem;

  MigrateDevice(Machine m) {
    this.m = m;
    this.mem = m.mem;
  }

  /**
   * migrate_vma_setup: the argument checks, the MMU_NOTIFY_MIGRATE invalidation with the caller's
   * owner (so a driver can tell its own migration), then migrate_vma_collect and migrate_vma_unmap:
   * which pages of the range may move. Nothing changes when the arguments are refused.
   */
  void setup(MigrateVma a) {
    requireApi(KernelChange.MIGRATE_VMA_SETUP, "migrate_vma_setup");
    if (a.step != MigrateVma.Step.NEW) {
      throw MmException.of(Errno.EINVAL, "migrate_vma_setup: this migration was set up already; make a new one");
    }
    Mm mm = a.process.mm;
    Vma v = mm.find(a.start);
    if (v == null || Hugetlb.isHugetlb(v) || v.has(VmFlags.VM_IO | VmFlags.VM_PFNMAP | VmFlags.VM_DONTEXPAND)) {
      throw MmException.of(Errno.EINVAL, "migrate_vma_setup: 0x%x is not in a VMA whose pages can migrate (%s)", a.start,
          v == null ? "no VMA" : "hugetlb, VM_IO, VM_PFNMAP or VM_DONTEXPAND: " + v);
    }
    if (a.npages() == 0 || a.end > v.end) {
      throw MmException.of(Errno.EINVAL, "migrate_vma_setup: [0x%x, 0x%x) must be non-empty and lie in one VMA, [0x%x, 0x%x)",
          a.start, a.end, v.start, v.end);
    }
    if (a.faultPage >= 0 && !(mem.hasPage(a.faultPage) && mem.isDevicePrivate(a.faultPage))) {
      throw MmException.of(Errno.EINVAL, "migrate_vma_setup: fault page %d is not a device-private page", a.faultPage);
    }
    long startVpn = a.start >>> Page.PAGE_SHIFT;
    long endVpn = a.end >>> Page.PAGE_SHIFT;
    m.notifiers.invalidate(mm, startVpn, endVpn, MmuNotifierEvent.MIGRATE, a.pgmapOwner);
    // migrate_vma_collect_pmd splits a PMD mapping (split_huge_pmd, split_folio) before it looks at the pages.
    m.thp.splitAll(mm, startVpn, endVpn);
    boolean system = (a.flags & MigrateVma.SELECT_SYSTEM) != 0;
    boolean devicePrivate = (a.flags & MigrateVma.SELECT_DEVICE_PRIVATE) != 0;
    for (int i = 0; i < a.npages(); i++) {
      long pte = mm.pgtable.get(startVpn + i);
      long mpfn = 0;
      int page = -1;
      if (pte == 0 || Pte.present(pte) && Pte.special(pte) && Pte.pfn(pte) == MemMap.ZERO_PFN && system) {
        // A hole of an anonymous VMA (or the zero page, with SELECT_SYSTEM) may be filled in the destination's memory.
        mpfn = v.isAnonymous() ? MigrateVma.MIGRATE_PFN_MIGRATE : 0;
      } else if (Pte.devicePrivate(pte)) {
        page = Pte.pfn(pte);
        if (devicePrivate && m.pagemap(page).owner == a.pgmapOwner) {
          mpfn = MigrateVma.migratePfn(page) | MigrateVma.MIGRATE_PFN_MIGRATE | (Pte.writable(pte) ? MigrateVma.MIGRATE_PFN_WRITE : 0);
        }
      } else if (Pte.present(pte) && !Pte.special(pte) && system) {
        page = Pte.pfn(pte);
        mpfn = MigrateVma.migratePfn(page) | MigrateVma.MIGRATE_PFN_MIGRATE | (Pte.writable(pte) ? MigrateVma.MIGRATE_PFN_WRITE : 0);
      }
      if (page >= 0 && mpfn != 0 && !collect(page, a.faultPage, mm, startVpn, endVpn)) {
        // migrate_vma_collect_pmd or migrate_device_unmap put it back: it stays where it is.
        mpfn &= ~MigrateVma.MIGRATE_PFN_MIGRATE;
      }
      a.src[i] = mpfn;
      if ((mpfn & MigrateVma.MIGRATE_PFN_MIGRATE) != 0) {
        a.cpages++;
      }
    }
    a.step = MigrateVma.Step.SET_UP;
  }

  /**
   * Whether a collected page may move: not part of a large folio, not an exclusive anonymous page
   * that may be DMA-pinned (folio_try_share_anon_rmap_pte fails), on an LRU if it is RAM
   * (folio_isolate_lru); then try_to_migrate tells the notifiers of every other mapping (its own
   * range {@code mm} [startVpn, endVpn) was told already), and migrate_vma_check_page wants no
   * reference beyond those it allows for.
   */
  private boolean collect(int page, int faultPage, Mm mm, long startVpn, long endVpn) {
    if (mem.folioLarge(mem.folio(page))) {
      return false;
    }
    if (mem.pageAnon(page) && mem.pageAnonExclusive(page) && mem.folioMaybeDmaPinned(page)) {
      m.reached(ModelPath.MIGRATE_DEVICE_HELD);
      return false;
    }
    if (!mem.isDevicePrivate(page) && !m.migrate.movable(page)) {
      return false;
    }
    m.rmap.walk(page, (v, vpn) -> {
      if (v.mm != mm || vpn < startVpn || vpn >= endVpn) {
        // try_to_migrate_one
        m.notifiers.invalidate(v.mm, vpn, vpn + 1, MmuNotifierEvent.CLEAR);
      }
      return true;
    });
    return checkPage(page, faultPage);
  }

  /**
   * migrate_vma_check_page, as the references stand once collect and try_to_migrate have unmapped the
   * page and taken one of their own: one for the caller, one more for the fault page, one more for a
   * ZONE_DEVICE page, one more for a page with a mapping (page cache, swap cache).
   */
  private boolean checkPage(int page, int faultPage) {
    int refs = mem.refcount[page] - mem.mapcount[page] + 1;
    int extra = 1 + (page == faultPage ? 1 : 0) + (mem.isDevicePrivate(page) ? 1 : 0);
    if (!mem.pageAnon(page) && mem.mapping[page] != 0 || mem.pageSwapCache(page)) {
      extra++;
    }
    if (refs - extra > 0) {
      m.reached(ModelPath.MIGRATE_DEVICE_HELD);
      return false;
    }
    return true;
  }

  /**
   * migrate_vma_pages: each collected page the driver gave a destination moves to it
   * (migrate_folio: the anon_vma, index and flags go with it; the driver copied the bytes); a hole
   * is filled with its destination (migrate_vma_insert_page). Device-private memory takes only
   * anonymous pages: a page of a file stays.
   */
  void pages(MigrateVma a) {
    if (a.step != MigrateVma.Step.SET_UP) {
      throw MmException.of(Errno.EINVAL, "migrate_vma_pages: call migrate_vma_setup first, and once");
    }
    checkDestinations(a.src, a.dst);
    Vma v = a.process.mm.find(a.start);
    for (int i = 0; i < a.npages(); i++) {
      if (!a.migrating(i) || MigrateVma.page(a.dst[i]) < 0) {
        continue;
      }
      int src = MigrateVma.page(a.src[i]);
      int dst = MigrateVma.page(a.dst[i]);
      if (src < 0) {
        if (!insertPage(a.process.mm, v, (a.start >>> Page.PAGE_SHIFT) + i, dst)) {
          a.src[i] &= ~MigrateVma.MIGRATE_PFN_MIGRATE;
        }
        continue;
      }
      movePageState(a.src, i, src, dst);
    }
    a.step = MigrateVma.Step.PAGES;
  }

  /** migrate_device_pages: {@link #pages} for pages collected by pfn (no holes to fill). */
  void devicePages(long[] srcPfns, long[] dstPfns) {
    checkDestinations(srcPfns, dstPfns);
    for (int i = 0; i < srcPfns.length; i++) {
      int src = MigrateVma.page(srcPfns[i]);
      int dst = MigrateVma.page(dstPfns[i]);
      if ((srcPfns[i] & MigrateVma.MIGRATE_PFN_MIGRATE) != 0 && src >= 0 && dst >= 0) {
        movePageState(srcPfns, i, src, dst);
      }
    }
  }

  private void checkDestinations(long[] src, long[] dst) {
    if (src.length != dst.length) {
      throw MmException.of(Errno.EINVAL, "migrate_device_pages: %d sources but %d destinations", src.length, dst.length);
    }
    for (int i = 0; i < dst.length; i++) {
      int d = MigrateVma.page(dst[i]);
      if (d >= 0 && (!mem.hasPage(d) || mem.isFree(d) || mem.mapcount[d] != 0 || mem.refcount[d] != 1)) {
        throw MmException.of(Errno.EINVAL, "migrate_device_pages: destination %d of entry %d is not a fresh page the driver holds "
            + "(zone_device_page_init, or a page it allocated)", d, i);
      }
    }
  }

  /** __migrate_device_pages for one page: its identity moves to the destination, where the driver put its bytes. */
  private void movePageState(long[] src, int i, int from, int to) {
    if (mem.isDevicePrivate(to) && !mem.pageAnon(from)) {
      // "For now only support anonymous memory migrating to device private or coherent memory."
      src[i] &= ~MigrateVma.MIGRATE_PFN_MIGRATE;
      return;
    }
    mem.mapping[to] = mem.mapping[from];
    mem.index[to] = mem.index[from];
    short keep = (short) (PageFlags.PG_ANON | PageFlags.PG_SWAPBACKED | PageFlags.PG_DIRTY);
    mem.flags[to] = (short) ((mem.flags[from] & keep) | (mem.isDevicePrivate(to) ? 0 : PageFlags.PG_LRU));
  }

  /**
   * migrate_vma_insert_page: a hole of an anonymous VMA gets the destination page, writable if the
   * VMA is, while the entry is still none (or the zero page); false (the hole stays) otherwise.
   */
  private boolean insertPage(Mm mm, Vma v, long vpn, int page) {
    long pte = mm.pgtable.get(vpn);
    if (!v.isAnonymous() || pte != 0 && !(Pte.present(pte) && Pte.pfn(pte) == MemMap.ZERO_PFN && Pte.special(pte))) {
      return false;
    }
    m.rmap.anonVmaPrepare(v);
    boolean device = mem.isDevicePrivate(page);
    if (device) {
      // folio_add_new_anon_rmap, and no LRU nor mlock for a page with no CPU address.
      m.rmap.addNewDevicePrivateRmap(page, v, vpn);
    } else {
      m.rmap.addNewAnonRmap(page, v, vpn);
    }
    mem.refcount[page]++;
    m.vmstat.count(device ? VmEvent.MIGRATE_TO_DEVICE : VmEvent.MIGRATE_TO_RAM);
    boolean writable = v.has(VmFlags.VM_WRITE);
    mm.hadDevicePrivate |= device;
    mm.pgtable.set(vpn, device ? Pte.devicePrivate(page, writable)
        : Pte.make(page, Pte.PRESENT | Pte.YOUNG | (writable ? Pte.WRITE | Pte.DIRTY : 0)));
    if (pte != 0) {
      m.tlb.flush(mm, vpn, vpn + 1);
    }
    return true;
  }

  /**
   * migrate_vma_finalize, migrate_device_finalize: every mapping of a page that moved now maps its
   * destination (remove_migration_ptes: a device-private entry, writable if the old entry was, or a
   * present PTE), the source's last reference goes (a device page back to its driver, page_free), and
   * the driver's reference on each destination is dropped, which frees the ones nothing maps.
   */
  void finalize(long[] srcPfns, long[] dstPfns) {
    finalize(srcPfns, dstPfns, null, 0, 0);
  }

  /**
   * {@link #finalize(long[], long[])} for a migration of {@code mm}'s [startVpn, endVpn): its own
   * entries were cleared by the collect walk, which flushes the TLB once for the range
   * (migrate_vma_collect_pmd's flush_tlb_range); every other mapping was cleared and flushed by
   * try_to_migrate_one, page by page.
   */
  private void finalize(long[] srcPfns, long[] dstPfns, Mm mm, long startVpn, long endVpn) {
    boolean flushRange = false;
    for (int i = 0; i < srcPfns.length; i++) {
      int src = MigrateVma.page(srcPfns[i]);
      int dst = MigrateVma.page(dstPfns[i]);
      if ((srcPfns[i] & MigrateVma.MIGRATE_PFN_MIGRATE) != 0 && src >= 0 && dst >= 0) {
        flushRange |= remap(src, dst, mm, startVpn, endVpn);
      }
      if (dst >= 0) {
        m.pageAlloc.putPage(dst);
      }
    }
    if (flushRange) {
      m.tlb.flush(mm, startVpn, endVpn);
    }
  }

  void finalize(MigrateVma a) {
    if (a.step != MigrateVma.Step.PAGES && a.step != MigrateVma.Step.SET_UP) {
      throw MmException.of(Errno.EINVAL, "migrate_vma_finalize: the migration is not set up, or is finalized already");
    }
    if (a.step == MigrateVma.Step.SET_UP) {
      // No migrate_vma_pages: nothing moves, and the destinations go back.
      java.util.Arrays.fill(a.src, 0);
    }
    finalize(a.src, a.dst, a.process.mm, a.start >>> Page.PAGE_SHIFT, a.end >>> Page.PAGE_SHIFT);
    a.step = MigrateVma.Step.FINALIZED;
  }

  /**
   * remove_migration_ptes over every mapping of {@code src}: each now maps {@code dst}; then src's
   * collect reference is put. True when a present entry of {@code mm}'s [startVpn, endVpn) went,
   * which the caller flushes once for the range.
   */
  private boolean remap(int src, int dst, Mm mm, long startVpn, long endVpn) {
    boolean own = false;
    List<Vma> vmas = new ArrayList<>();
    List<long[]> at = new ArrayList<>();
    m.rmap.walkPtes(src, (v, vpn, leaf, slot) -> {
      vmas.add(v);
      at.add(new long[] {vpn});
      return true;
    });
    boolean device = mem.isDevicePrivate(dst);
    mem.refcount[src]++;
    for (int k = 0; k < vmas.size(); k++) {
      Vma v = vmas.get(k);
      long vpn = at.get(k)[0];
      long pte = v.mm.pgtable.get(vpn);
      boolean writable = Pte.writable(pte);
      if (Pte.present(pte)) {
        m.rmap.removeRmap(src, v);
      } else {
        m.rmap.removeDevicePrivateRmap(src, v);
      }
      mem.refcount[src]--;
      boolean exclusive = mem.pageAnonExclusive(src);
      mem.mapcount[dst]++;
      mem.refcount[dst]++;
      v.mm.rss[Rmap.MM_ANONPAGES]++;
      if (exclusive) {
        mem.flags[dst] |= PageFlags.PG_ANON_EXCLUSIVE;
      }
      long dirty = writable && mem.pageDirty(dst) ? Pte.DIRTY : 0;
      v.mm.hadDevicePrivate |= device;
      v.mm.pgtable.set(vpn, device ? Pte.devicePrivate(dst, writable)
          : Pte.make(dst, Pte.PRESENT | Pte.YOUNG | dirty | (writable ? Pte.WRITE : 0)));
      if (!device) {
        m.mlock.onMap(dst, v);
      }
      if (Pte.present(pte)) {
        if (v.mm == mm && vpn >= startVpn && vpn < endVpn) {
          own = true;
        } else {
          m.tlb.flush(v.mm, vpn, vpn + 1);
        }
      }
    }
    mem.flags[src] &= (short) ~PageFlags.PG_ANON_EXCLUSIVE;
    m.vmstat.count(device ? VmEvent.MIGRATE_TO_DEVICE : VmEvent.MIGRATE_TO_RAM);
    m.pageAlloc.putPage(src);
    return own;
  }

  /**
   * migrate_device_range: the driver's own pages [startPfn, startPfn + npages), whichever processes
   * map them, collected to move back to RAM (the pages no one holds are skipped); the caller gives
   * each a destination, then {@link #devicePages} and {@link #finalize(long[], long[])}.
   */
  long[] deviceRange(int startPfn, int npages) {
    requireApi(KernelChange.MIGRATE_DEVICE_RANGE, "migrate_device_range");
    if (npages <= 0 || !mem.hasPage(startPfn) || !mem.isDevicePrivate(startPfn) || !mem.hasPage(startPfn + npages - 1)) {
      throw MmException.of(Errno.EINVAL, "migrate_device_range: [%d, +%d) is not a run of device-private pages", startPfn, npages);
    }
    long[] src = new long[npages];
    for (int i = 0; i < npages; i++) {
      int pfn = startPfn + i;
      // get_page_unless_zero: a free page has nothing to move.
      if (mem.refcount[pfn] == 0) {
        continue;
      }
      src[i] = MigrateVma.migratePfn(pfn);
      // migrate_device_unmap: try_to_migrate tells each mapping's notifiers, then the refcount check.
      if (collect(pfn, -1, null, 0, 0)) {
        src[i] |= MigrateVma.MIGRATE_PFN_MIGRATE;
      }
    }
    return src;
  }

  private void requireApi(KernelChange change, String call) {
    if (!m.kernelConfig.has(change)) {
      throw new UnsupportedOperationException(String.format("%s came in %s (%s); kernel %s does not have it",
          call, change.release(), change.commit(), m.kernelConfig.config()));
    }
  }
}
