package org.userptrlab.mm;

import static org.userptrlab.mm.Foll.FOLL_FORCE;
import static org.userptrlab.mm.Foll.FOLL_GET;
import static org.userptrlab.mm.Foll.FOLL_LONGTERM;
import static org.userptrlab.mm.Foll.FOLL_PIN;
import static org.userptrlab.mm.Foll.FOLL_WRITE;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * get_user_pages and pin_user_pages (mm/gup.c), their fast variants, FOLL_LONGTERM's migration
 * out of CMA and ZONE_MOVABLE, and the registry of every page reference a driver holds.
 */
final class Gup {
  private static final int LONGTERM_RETRIES = 3;
  private final Machine m;
  private final MemMap mem;
  private final Set<PageRefs> live = Collections.newSetFromMap(new IdentityHashMap<>());

  Gup(Machine m) {
    this.m = m;
    this.mem = m.mem;
  }

  /**
   * Adds the references every live holder has on each folio, at its head: 1 per FOLL_GET; per
   * FOLL_PIN, GUP_PIN_COUNTING_BIAS on a small folio and 1 on a large one. Whether a holder names
   * a free frame (which its refcount, agreeing, would not show).
   */
  boolean addHeldReferences(int[] refs) {
    boolean free = false;
    for (PageRefs r : live) {
      for (int pfn : r.pfns) {
        if (pfn != MemMap.ZERO_PFN) {
          int head = mem.folio(pfn);
          refs[head] += r.pin && !mem.folioLarge(head) ? MemMap.GUP_PIN_COUNTING_BIAS : 1;
          free |= mem.isFree(head);
        }
      }
    }
    return free;
  }

  /** The FOLL_PIN pins live holders have on the pages of the large folio at {@code head}. */
  int pinsOn(int head) {
    int nr = mem.folioNrPages(head);
    int pins = 0;
    for (PageRefs r : live) {
      if (r.pin) {
        for (int pfn : r.pfns) {
          pins += pfn >= head && pfn < head + nr ? 1 : 0;
        }
      }
    }
    return pins;
  }

  /** The references live holders took on each page of the folio at {@code head} (a pin counting as one), by page. */
  int[] heldReferences(int head, int nr) {
    int[] held = new int[nr];
    for (PageRefs r : live) {
      for (int pfn : r.pfns) {
        if (pfn >= head && pfn < head + nr) {
          held[pfn - head]++;
        }
      }
    }
    return held;
  }

  /** Pages charged to {@code mm}'s pinned_vm and locked_vm by live holders. */
  long[] charged(Mm mm) {
    long pinned = 0;
    long locked = 0;
    for (PageRefs r : live) {
      if (r.chargedTo == mm) {
        if (r.chargedLocked) {
          locked += r.chargedPages;
        } else {
          pinned += r.chargedPages;
        }
      }
    }
    return new long[] {pinned, locked};
  }

  int liveHolders() {
    return live.size();
  }

  PageRefs hold(int[] pfns, boolean pin, boolean longterm) {
    PageRefs r = new PageRefs(this, pfns, pin, longterm);
    live.add(r);
    return r;
  }

  void release(PageRefs r, boolean dirty) {
    live.remove(r);
    if (r.cmaOffset >= 0) {
      m.cma.released(r);
    }
    if (r.chargedTo != null) {
      if (r.chargedLocked) {
        r.chargedTo.lockedVm -= r.chargedPages;
      } else {
        r.chargedTo.pinnedVm -= r.chargedPages;
      }
    }
    long zero = 0;
    short[] flags = mem.flags;
    int[] refcount = mem.refcount;
    int unbias = r.pin ? MemMap.GUP_PIN_COUNTING_BIAS - 1 : 0;
    long freedAlone = 0;
    for (int pfn : r.pfns) {
      if (pfn == MemMap.ZERO_PFN) {
        zero++;
        continue;
      }
      short f = flags[pfn];
      if ((f & (PageFlags.PG_HEAD | PageFlags.PG_TAIL)) == 0) {
        // A small folio, the common case: its flags read once, no folio lookups.
        if (dirty) {
          flags[pfn] = (short) (f | PageFlags.PG_DIRTY);
        }
        refcount[pfn] -= unbias;
        // gup_put_folio's folio_put_refs: the last reference frees the page alone (__folio_put).
        if (refcount[pfn] == 1 && pfn < mem.nrFrames) {
          freedAlone++;
        }
        m.pageAlloc.putSmallPage(pfn);
        continue;
      }
      int head = mem.folio(pfn);
      if (dirty) {
        mem.flags[head] |= PageFlags.PG_DIRTY;
      }
      if (r.pin) {
        // gup_put_folio: a large folio's pin is one reference and one _pincount.
        mem.addPincount(head, -1);
      }
      m.pageAlloc.putPage(head);
    }
    m.vmstat.count(VmEvent.PUT_FREED, freedAlone);
    if (r.pin) {
      m.vmstat.count(VmEvent.NR_FOLL_PIN_RELEASED, r.pfns.length - zero);
    } else if (r.walked) {
      // try_grab_folio took FOLL_GET's reference on the zero page too; put_page gives each back.
      m.vmstat.count(VmEvent.FOLL_GET_RELEASED, r.pfns.length);
    }
  }

  /**
   * __gup_longterm_locked and __get_user_pages: takes up to {@code nrPages} pages from
   * {@code start}, faulting them in as needed (a FOLL_WRITE fault breaks COW first). Returns the
   * pages taken, which may be fewer than asked when a later page fails, as the kernel returns a
   * short count; throws when not even the first page could be taken. With FOLL_LONGTERM on a
   * modern kernel, pages in CMA or ZONE_MOVABLE are migrated out first and the walk retried.
   */
  PageRefs get(Process p, long start, int nrPages, int flags, boolean fast) {
    checkArgs(start, nrPages, flags);
    // mmap_read_lock around the slow path; the fast path's might_lock_read says the same to lockdep.
    m.lockdep.acquire(Lockdep.MMAP_LOCK, fast ? "get_user_pages_fast" : "get_user_pages");
    try {
      return getLocked(p, start, nrPages, flags, fast);
    } finally {
      m.lockdep.release(Lockdep.MMAP_LOCK);
    }
  }

  private PageRefs getLocked(Process p, long start, int nrPages, int flags, boolean fast) {
    boolean pin = (flags & FOLL_PIN) != 0 && m.kernelConfig.has(KernelChange.FOLL_PIN);
    // check_and_migrate_movable_pages: out of CMA since 5.1, out of ZONE_MOVABLE since 5.13.
    boolean outOfCma = (flags & FOLL_LONGTERM) != 0 && m.kernelConfig.has(KernelChange.LONGTERM_CMA);
    boolean outOfMovable = (flags & FOLL_LONGTERM) != 0 && m.kernelConfig.has(KernelChange.LONGTERM_MOVABLE);
    if (pin) {
      // mm_set_has_pinned_flag: fork consults MMF_HAS_PINNED from now on.
      p.mm.hasPinned = true;
    }
    for (int attempt = 0; ; attempt++) {
      PageRefs refs = walk(p.mm, start, nrPages, flags, pin, fast);
      if (!outOfCma && !outOfMovable) {
        return refs;
      }
      List<Integer> movable = new ArrayList<>();
      for (int pfn : refs.pfns) {
        if (pfn != MemMap.ZERO_PFN && (outOfCma && mem.isCma(pfn) || outOfMovable && mem.isMovableZone(pfn))) {
          movable.add(pfn);
        }
      }
      if (movable.isEmpty()) {
        return refs;
      }
      // check_and_migrate_movable_pages: drop what was taken, move the unpinnable pages, try again.
      m.reached(ModelPath.GUP_LONGTERM_MIGRATED);
      refs.release();
      if (attempt == LONGTERM_RETRIES) {
        throw MmException.of(Errno.ENOMEM, "pin_user_pages(FOLL_LONGTERM): pages at 0x%x keep landing in CMA or ZONE_MOVABLE", start);
      }
      for (int pfn : movable) {
        if (mem.isFree(pfn)) {
          // A page of a THP that moved whole with an earlier one of the list.
          continue;
        }
        try {
          m.migrate.migratePage(pfn, Gfp.USER_NO_MOVABLE);
        } catch (MmException e) {
          throw MmException.of(Errno.ENOMEM, "pin_user_pages(FOLL_LONGTERM): page at pfn %d in %s could not be migrated out before pinning: %s",
              pfn, mem.isCma(pfn) ? "CMA" : "ZONE_MOVABLE", e.getMessage());
        }
      }
    }
  }

  private static final int KNOWN_FLAGS = FOLL_WRITE | FOLL_GET | FOLL_FORCE | FOLL_LONGTERM | FOLL_PIN;

  private static void checkArgs(long start, int nrPages, int flags) {
    if (!Page.aligned(start)) {
      throw MmException.of(Errno.EINVAL, "get_user_pages: start 0x%x is not page aligned", start);
    }
    if (nrPages <= 0) {
      throw MmException.of(Errno.EINVAL, "get_user_pages: nr_pages must be positive, got %d", nrPages);
    }
    if ((flags & ~KNOWN_FLAGS) != 0) {
      // is_valid_gup_args: a caller may pass only the flags it is allowed to.
      throw MmException.of(Errno.EINVAL, "get_user_pages: unknown gup_flags 0x%x (known: FOLL_WRITE, FOLL_GET, FOLL_FORCE, "
          + "FOLL_LONGTERM, FOLL_PIN)", flags & ~KNOWN_FLAGS);
    }
    if ((flags & FOLL_GET) != 0 == ((flags & FOLL_PIN) != 0)) {
      throw MmException.of(Errno.EINVAL, "get_user_pages: exactly one of FOLL_GET and FOLL_PIN, got 0x%x", flags);
    }
    Mmap.checkedEnd(start, (long) nrPages << Page.PAGE_SHIFT, Errno.EFAULT, "get_user_pages");
  }

  private PageRefs walk(Mm mm, long start, int nrPages, int flags, boolean pin, boolean fast) {
    int[] pfns = new int[nrPages];
    int got = 0;
    int fastGot = 0;
    MmException failure = null;
    boolean write = (flags & FOLL_WRITE) != 0;
    Vma v = null;
    boolean slow = !fast;
    if (slow) {
      m.mmapLocks.lock(mm.id, false, "get_user_pages");
    }
    int zero = 0;
    // The fast path reads a PTE page once for its 512 entries, as gup_fast_pte_range walks one.
    long[] leaf = null;
    long leafEnd = 0;
    for (; got < nrPages; got++) {
      long addr = start + ((long) got << Page.PAGE_SHIFT);
      long vpn = addr >>> Page.PAGE_SHIFT;
      if (!slow) {
        if (vpn >= leafEnd) {
          leaf = mm.pgtable.leaf(vpn, false);
          leafEnd = PageTable.leafEnd(vpn);
        }
        int pfn = leaf == null ? -1 : gupFastPte(leaf[PageTable.slot(vpn)], flags, pin);
        if (pfn >= 0) {
          try {
            pfns[got] = grab(pfn, pin);
          } catch (MmException e) {
            failure = e;
            break;
          }
          fastGot++;
          continue;
        }
        // The lockless walk stops; the rest is __gup_longterm_locked's, under mmap_read_lock.
        slow = true;
        m.reached(ModelPath.GUP_FAST_FELL_BACK);
        m.mmapLocks.lock(mm.id, false, "get_user_pages");
      }
      if (v == null || !v.contains(addr)) {
        v = mm.find(addr);
        MmException bad = checkVmaFlags(v, addr, flags);
        if (bad != null) {
          m.reached(ModelPath.GUP_REFUSED);
          failure = bad;
          break;
        }
      }
      try {
        pfns[got] = grab(followOrFault(mm, v, vpn, flags, pin), pin);
        // The zeropage is followed but not pinned; GUP-fast never takes it.
        zero += pfns[got] == MemMap.ZERO_PFN ? 1 : 0;
      } catch (SignalException e) {
        failure = MmException.of(Errno.EFAULT, "get_user_pages: the fault at 0x%x failed: %s", addr, e.getMessage());
        break;
      } catch (MmException e) {
        failure = e;
        break;
      }
    }
    m.vmstat.count(VmEvent.GUP_FAST_PAGES, fastGot);
    m.vmstat.count(VmEvent.GUP_SLOW_PAGES, got - fastGot);
    if (pin) {
      m.vmstat.count(VmEvent.NR_FOLL_PIN_ACQUIRED, got - zero);
    }
    if (got == 0) {
      throw failure;
    }
    PageRefs refs = hold(got == nrPages ? pfns : Arrays.copyOf(pfns, got), pin, (flags & FOLL_LONGTERM) != 0);
    refs.walked = true;
    return refs;
  }

  /** check_vma_flags: what get_user_pages refuses outright. */
  private MmException checkVmaFlags(Vma v, long addr, int flags) {
    if (v == null) {
      return MmException.of(Errno.EFAULT, "get_user_pages: 0x%x is not mapped", addr);
    }
    if (v.has(VmFlags.VM_IO | VmFlags.VM_PFNMAP)) {
      return MmException.of(Errno.EFAULT, "get_user_pages: 0x%x lies in a VM_IO|VM_PFNMAP mapping (%s), which has no struct pages to take", addr, v);
    }
    boolean write = (flags & FOLL_WRITE) != 0;
    boolean force = (flags & FOLL_FORCE) != 0;
    // FOLL_FORCE may write through a read-only mapping only if it is private: the write breaks COW.
    if (write && !v.has(VmFlags.VM_WRITE) && !(force && VmFlags.isCowMapping(v.flags))) {
      return MmException.of(Errno.EFAULT, "get_user_pages(FOLL_WRITE): 0x%x is in a mapping without PROT_WRITE (%s)", addr, v);
    }
    if (!write && !v.has(VmFlags.VM_READ) && !force) {
      return MmException.of(Errno.EFAULT, "get_user_pages: 0x%x is in a mapping without PROT_READ (%s)", addr, v);
    }
    // writable_file_mapping_allowed (6.5+): a long-term writable pin (FOLL_PIN and FOLL_LONGTERM both) of a file the
    // kernel must write back is refused.
    if (write && (flags & (FOLL_PIN | FOLL_LONGTERM)) == (FOLL_PIN | FOLL_LONGTERM)
        && m.kernelConfig.has(KernelChange.LONGTERM_NO_WRITEBACK) && v.file != null && v.file.needsWriteback()
        && v.has(VmFlags.VM_SHARED)) {
      return MmException.of(Errno.EFAULT, "pin_user_pages(FOLL_LONGTERM|FOLL_WRITE): 0x%x maps %s, a file with writeback; "
          + "long-term writable pins of such mappings are refused", addr, v.file);
    }
    return null;
  }

  /**
   * The lockless walk of gup_fast_pte_range: only what needs no fault and no lock; -1 means "take
   * the slow path", which then applies check_vma_flags. Each check of the slow path that can refuse
   * or change the page has its bail-out here, so that both paths end the same.
   */
  private int gupFastPte(long pte, int flags, boolean pin) {
    boolean write = (flags & FOLL_WRITE) != 0;
    if (!Pte.present(pte) || Pte.special(pte) || (write && !Pte.writable(pte))) {
      return -1;
    }
    int pfn = Pte.pfn(pte);
    if (pin && !gupFastFolioAllowed(pfn, flags)) {
      return -1;
    }
    // Without the VMA the fast path cannot tell a COW mapping: a page that is not anonymous takes the slow path.
    if (pin && mustUnshare(null, pfn, flags)) {
      return -1;
    }
    return pfn;
  }

  /**
   * gup_fast_folio_allowed (folio_fast_pin_allowed when it came, with writable_file_mapping_allowed,
   * in 6.5): without the VMA the fast path cannot tell whether a file needs dirty tracking, so a
   * long-term writable pin of any file page but shmem's goes to the slow path, whose
   * check_vma_flags refuses a shared mapping of a file with writeback.
   */
  private boolean gupFastFolioAllowed(int pfn, int flags) {
    if ((flags & (FOLL_LONGTERM | FOLL_WRITE)) != (FOLL_LONGTERM | FOLL_WRITE) || !m.kernelConfig.has(KernelChange.LONGTERM_NO_WRITEBACK)) {
      return true;
    }
    if (mem.pageAnon(pfn)) {
      return true;
    }
    // A page with no mapping (truncated) cannot be judged here either.
    MemFile f = mem.mapping[pfn] == 0 ? null : m.files.get(mem.mapping[pfn]);
    return f != null && !f.needsWriteback();
  }

  private boolean ownAnon(long pte) {
    int pfn = Pte.pfn(pte);
    if (Pte.special(pte) || !mem.pageAnon(pfn) || (pte & Pte.DIRTY) == 0) {
      return false;
    }
    return m.kernelConfig.has(KernelChange.ANON_EXCLUSIVE) ? mem.pageAnonExclusive(pfn) : mem.pageMapcount(pfn) == 1;
  }

  /**
   * gup_must_unshare: a read-only pin that would not stay coherent with the process. An anonymous page
   * this process does not own exclusively (5.19); from 6.2 also, for a long-term pin, any other page (the
   * shared zeropage, a page-cache page) in a private writable ("COW") mapping, which a later write would
   * replace; with no VMA to tell (GUP-fast), any such page.
   */
  private boolean mustUnshare(Vma v, int pfn, int flags) {
    if ((flags & FOLL_WRITE) != 0) {
      return false;
    }
    if (!mem.pageAnon(pfn)) {
      return (flags & FOLL_LONGTERM) != 0 && m.kernelConfig.has(KernelChange.LONGTERM_RO_UNSHARE)
          && (v == null || VmFlags.isCowMapping(v.flags));
    }
    return m.kernelConfig.has(KernelChange.GUP_UNSHARE) && m.kernelConfig.has(KernelChange.ANON_EXCLUSIVE) && !mem.pageAnonExclusive(pfn);
  }

  /**
   * follow_page_mask, with faultin_page when the PTE does not allow the access yet. A FOLL_FORCE
   * write to a read-only private VMA takes the page once COW has made it the process's own
   * (can_follow_write_pte); the PTE itself stays read-only.
   */
  private int followOrFault(Mm mm, Vma v, long vpn, int flags, boolean pin) {
    boolean write = (flags & FOLL_WRITE) != 0;
    boolean forced = write && !v.has(VmFlags.VM_WRITE);
    for (int tries = 0; tries < 3; tries++) {
      long pte = mm.pgtable.get(vpn);
      if (Pte.present(pte) && (!write || Pte.writable(pte) || forced && ownAnon(pte))) {
        int pfn = Pte.pfn(pte);
        // follow_page_pte: the shared zeropage (and the huge one) is followed as a page, and may have to be unshared.
        if (Pte.special(pte) && !mem.isZeroPage(pfn)) {
          return pfn;
        }
        if (pin && !Pte.writable(pte) && mustUnshare(v, pfn, flags)) {
          m.reached(ModelPath.GUP_UNSHARE);
          m.memory.unshare(mm, v, vpn, pte);
          continue;
        }
        return pfn;
      }
      m.memory.kernelFault(mm, v, vpn, write, true);
    }
    throw new IllegalStateException("get_user_pages made no progress at 0x" + Long.toHexString(Page.addr(vpn)));
  }

  /**
   * try_grab_folio: a reference on the page's folio, or for a pin GUP_PIN_COUNTING_BIAS of them on a
   * small folio, one reference and one _pincount on a large one (exact pin counts for huge pages,
   * with FOLL_PIN itself).
   */
  private int grab(int pfn, boolean pin) {
    if (pfn == MemMap.ZERO_PFN) {
      return pfn;
    }
    // A small folio, the common case, is its own head: no folio lookup.
    boolean small = (mem.flags[pfn] & (PageFlags.PG_HEAD | PageFlags.PG_TAIL)) == 0;
    int head = small ? pfn : mem.folio(pfn);
    if (mem.refcount[head] > Integer.MAX_VALUE - 2 * MemMap.GUP_PIN_COUNTING_BIAS) {
      throw MmException.of(Errno.ENOMEM, "get_user_pages: the refcount of pfn %d would overflow", pfn);
    }
    if (!pin) {
      mem.refcount[head]++;
    } else if (small) {
      mem.refcount[head] += MemMap.GUP_PIN_COUNTING_BIAS;
    } else {
      mem.refcount[head]++;
      mem.addPincount(head, 1);
    }
    return pfn;
  }
}
