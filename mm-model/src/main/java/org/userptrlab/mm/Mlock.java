package org.userptrlab.mm;

import java.util.List;

/**
 * mlock (mm/mlock.c). The system calls set VM_LOCKED on VMAs, charge mm->locked_vm against
 * RLIMIT_MEMLOCK (unless CAP_IPC_LOCK) and fault the pages in; the page side marks a page mapped
 * into a VM_LOCKED VMA PG_mlocked and unevictable, until no VM_LOCKED VMA maps it any more.
 * Nothing stops a process from munlocking what a driver locked for it: munlock asks no one.
 */
final class Mlock {
  private final Machine m;
  private final MemMap mem;
  /**
   * Frames left PG_mlocked and unevictable by a driver that cleared VM_LOCKED itself rather than
   * munlock (the 2012 Exynos patch's release): no VM_LOCKED VMA maps them, yet reclaim never looks
   * at them again until they are freed or munlocked. A real kernel state the checker must accept.
   * A frame's mark is cleared as the frame is freed, so a mark always names a stranded frame. One
   * flag per frame, made when the first frame is stranded (only a driver that clears VM_LOCKED
   * itself strands any).
   */
  private boolean[] stranded;
  /** How many frames {@link #stranded} marks, kept as they change: reports ask after every release. */
  private int strandedCount;

  Mlock(Machine m) {
    this.m = m;
    this.mem = m.mem;
  }

  /** mlock_vma_folio: called as a page is mapped into {@code v}. */
  void onMap(int pfn, Vma v) {
    if (!v.has(VmFlags.VM_LOCKED)) {
      return;
    }
    int head = mem.folio(pfn);
    if (!mem.pageMlocked(head)) {
      mem.flags[head] |= PageFlags.PG_MLOCKED | PageFlags.PG_UNEVICTABLE;
      m.vmstat.count(VmEvent.UNEVICTABLE_PGS_MLOCKED);
    }
    unstrand(head);
  }

  /** munlock_vma_folio: called after a mapping of the page in {@code v} went away. */
  void onUnmap(int pfn, Vma v) {
    if (v.has(VmFlags.VM_LOCKED)) {
      munlockIfUnlocked(pfn);
    }
  }

  /** Clears PG_mlocked unless another VM_LOCKED VMA still maps the page (the rmap walk of try_to_munlock). */
  void munlockIfUnlocked(int pfn) {
    if (!mem.pageMlocked(pfn)) {
      return;
    }
    // The folio stays mlocked while a VM_LOCKED VMA maps any page of it.
    int head = mem.folio(pfn);
    if (inLockedVma(head)) {
      return;
    }
    mem.flags[head] &= ~(PageFlags.PG_MLOCKED | PageFlags.PG_UNEVICTABLE);
    m.vmstat.count(VmEvent.UNEVICTABLE_PGS_MUNLOCKED);
    unstrand(head);
  }

  /** Whether a VM_LOCKED VMA maps any page of the folio at {@code head}. */
  private boolean inLockedVma(int head) {
    for (int p = head, end = head + mem.folioNrPages(head); p < end; p++) {
      if (mem.pageMapcount(p) > 0 && m.rmap.mappedInLockedVma(p)) {
        return true;
      }
    }
    return false;
  }

  /** __folio_clear_mlocked as the last reference to a PG_mlocked page is put: it is stranded no more. */
  void onFree(int pfn) {
    unstrand(pfn);
  }

  private void unstrand(int pfn) {
    if (marked(pfn)) {
      stranded[pfn] = false;
      strandedCount--;
    }
  }

  /**
   * {@code vma->vm_flags &= ~VM_LOCKED}, as a driver that bypasses munlock does: the VMA is
   * unlocked, but its present pages keep PG_mlocked and stay on the unevictable list.
   */
  void clearVmLockedDirectly(Mm mm, Vma v) {
    v.flags &= ~VmFlags.VM_LOCKED_MASK;
    mm.pgtable.forEachPresent(v.startVpn(), v.endVpn(), (leaf, i, pte) -> {
      if (Pte.special(pte)) {
        return false;
      }
      int pfn = mem.folio(Pte.pfn(pte));
      // A folio mapped once is mapped here only, in the VMA just unlocked: no rmap walk needed.
      if (mem.pageMlocked(pfn) && !marked(pfn) && (mem.folioMapcount(pfn) == 1 || !inLockedVma(pfn))) {
        if (stranded == null) {
          stranded = new boolean[mem.nrFrames];
        }
        stranded[pfn] = true;
        strandedCount++;
      }
      return false;
    });
  }

  /** folio_migrate_flags: PG_mlocked moves with the page, and so does the reason no VMA explains it. */
  void moveStranded(int from, int to) {
    if (marked(from)) {
      stranded[from] = false;
      stranded[to] = true;
    }
  }

  /**
   * A driver's own {@code vma->vm_flags |= VM_LOCKED} (and {@code &= ~VM_LOCKED}) on every VMA the
   * range touches, whole, charging nothing: see {@link Kernel#setVmLockedUnaccounted}.
   */
  long setVmLockedUnaccounted(Mm mm, long start, long end, boolean lock) {
    long pages = 0;
    for (Vma v : mm.intersecting(start, end)) {
      if (v.has(VmFlags.VM_IO | VmFlags.VM_PFNMAP) || v.has(VmFlags.VM_LOCKED) == lock) {
        continue;
      }
      long vmaPages = v.pages();
      if (lock && v.has(VmFlags.VM_DONTEXPAND)) {
        // The flag written straight into a VMA mlock_fixup leaves alone (hugetlb): no page of it is on an LRU list to mlock.
        v.flags |= VmFlags.VM_LOCKED;
      } else if (lock) {
        long before = mm.lockedVm;
        applyVmaLockFlags(mm, v.start, v.end, VmFlags.VM_LOCKED);
        mm.lockedVm = before;
      } else {
        clearVmLockedDirectly(mm, v);
        // The flags changed behind vma_merge's back; merging now keeps the VMA tree canonical.
        mm.mergeNeighbours(v, m);
      }
      mm.unaccountedLocked += lock ? vmaPages : -vmaPages;
      pages += vmaPages;
    }
    return pages;
  }

  /** Whether the frame is PG_mlocked only because a driver cleared VM_LOCKED without munlocking it. */
  boolean isStranded(int pfn) {
    return marked(pfn) && mem.pageMlocked(pfn) && !mem.isFree(pfn);
  }

  /** How many frames are stranded unevictable that way now. */
  int strandedPages() {
    return strandedCount;
  }

  private boolean marked(int pfn) {
    return stranded != null && stranded[pfn];
  }

  /** The pages of the stranded folios: a large folio is PG_mlocked whole, all its pages unevictable. */
  long strandedBasePages() {
    long n = 0;
    for (int pfn = 0; strandedCount > 0 && pfn < stranded.length; pfn++) {
      n += isStranded(pfn) ? mem.folioNrPages(pfn) : 0;
    }
    return n;
  }

  /** The stranded frames counted one by one, for the checker: each mark must name a PG_mlocked frame in use. */
  int countStranded() {
    int n = 0;
    for (int pfn = 0; stranded != null && pfn < stranded.length; pfn++) {
      n += isStranded(pfn) ? 1 : 0;
    }
    return n;
  }

  // ---- system calls ---------------------------------------------------------------------------

  /** can_do_mlock: a zero RLIMIT_MEMLOCK forbids mlock altogether unless CAP_IPC_LOCK. */
  static void canDoMlock(Process p, String call) {
    if (p.memlockLimit() == 0 && !p.capable(Capability.CAP_IPC_LOCK)) {
      throw MmException.of(Errno.EPERM, "%s: RLIMIT_MEMLOCK is 0 and the process lacks CAP_IPC_LOCK", call);
    }
  }

  /** mlock_future_ok: may {@code pages} more be locked by a VM_LOCKED mapping (mmap MAP_LOCKED, brk after MCL_FUTURE)? */
  boolean futureLockOk(Process p, long pages) {
    return p.capable(Capability.CAP_IPC_LOCK) || Long.compareUnsigned(p.mm.lockedVm + pages, p.memlockLimit() >>> Page.PAGE_SHIFT) <= 0;
  }

  void checkFutureLock(Process p, long pages) {
    if (!futureLockOk(p, pages)) {
      throw MmException.of(Errno.EAGAIN, "mmap(MAP_LOCKED): %d more locked pages would exceed RLIMIT_MEMLOCK (%d bytes, %d pages already locked); "
          + "raise the limit or give the process CAP_IPC_LOCK", pages, p.memlockLimit(), p.mm.lockedVm);
    }
  }

  /** do_mlock: mlock(2) and mlock2(2). The range is rounded out to pages, as the kernel does. */
  void mlock(Process p, long addr, long len, int flags) {
    if ((flags & ~Mman.MLOCK_ONFAULT) != 0) {
      throw MmException.of(Errno.EINVAL, "mlock2: unknown flags 0x%x", flags);
    }
    canDoMlock(p, "mlock");
    Mm mm = p.mm;
    long start = Page.down(addr);
    long end = Mmap.checkedEnd(start, Page.align(len + (addr - start)), Errno.ENOMEM, "mlock");
    if (start == end) {
      return;
    }
    if (mm.mappedRunEnd(start, end) == start) {
      throw MmException.of(Errno.ENOMEM, "mlock: 0x%x is not mapped", start);
    }
    long pages = (end - start) >>> Page.PAGE_SHIFT;
    long limit = p.memlockLimit() >>> Page.PAGE_SHIFT;
    // locked_vm is an unsigned long: once driven below zero it has wrapped, and the sum wraps back.
    long locked = mm.lockedVm + pages;
    if (Long.compareUnsigned(locked, limit) > 0 && m.kernelConfig.has(KernelChange.MLOCK_COUNT_LOCKED)) {
      // count_mm_mlocked_page_nr (4.9+): pages of the range already locked are not charged twice.
      for (Vma v : mm.intersecting(start, end)) {
        if (v.has(VmFlags.VM_LOCKED)) {
          locked -= (Math.min(end, v.end) - Math.max(start, v.start)) >>> Page.PAGE_SHIFT;
        }
      }
    }
    if (Long.compareUnsigned(locked, limit) > 0 && !p.capable(Capability.CAP_IPC_LOCK)) {
      m.reached(ModelPath.MLOCK_OVER_LIMIT);
      throw MmException.of(Errno.ENOMEM, "mlock: locking %d pages would bring locked_vm to %s pages, over RLIMIT_MEMLOCK of %d bytes; "
          + "raise the limit (setrlimit) or give the process CAP_IPC_LOCK", pages, Long.toUnsignedString(locked), p.memlockLimit());
    }
    int set = VmFlags.VM_LOCKED | ((flags & Mman.MLOCK_ONFAULT) != 0 ? VmFlags.VM_LOCKONFAULT : 0);
    lockUpToHole(mm, start, end, set, "mlock");
    if ((flags & Mman.MLOCK_ONFAULT) == 0) {
      // do_mlock lets the write lock go once the flags are set; __mm_populate faults under mmap_read_lock.
      m.mmapLocks.downgrade(mm.id);
      m.mmap.populate(mm, start, end);
    }
  }

  /** munlock(2): no limits, no one's consent. */
  void munlock(Process p, long addr, long len) {
    Mm mm = p.mm;
    long start = Page.down(addr);
    long end = Mmap.checkedEnd(start, Page.align(len + (addr - start)), Errno.ENOMEM, "munlock");
    if (start == end) {
      return;
    }
    if (mm.mappedRunEnd(start, end) == start) {
      throw MmException.of(Errno.ENOMEM, "munlock: 0x%x is not mapped", start);
    }
    lockUpToHole(mm, start, end, 0, "munlock");
  }

  /**
   * apply_vma_lock_flags walks the VMAs from {@code start} and changes each in turn; at the first
   * gap it stops with ENOMEM, leaving the VMAs before the gap changed (and charged): mlock(2) is not
   * all or nothing. Nothing is populated then, as do_mlock returns before __mm_populate.
   */
  private void lockUpToHole(Mm mm, long start, long end, int lockFlags, String call) {
    long mapped = mm.mappedRunEnd(start, end);
    applyVmaLockFlags(mm, start, mapped, lockFlags);
    if (mapped < end) {
      throw MmException.of(Errno.ENOMEM, "%s: [0x%x, 0x%x) has a hole at 0x%x; the VMAs before it were %s, as "
          + "apply_vma_lock_flags leaves them", call, start, end, mapped, lockFlags != 0 ? "locked" : "unlocked");
    }
  }

  /** mlockall(2). */
  void mlockall(Process p, int flags) {
    int known = Mman.MCL_CURRENT | Mman.MCL_FUTURE | (m.kernelConfig.has(KernelChange.MLOCK_ONFAULT) ? Mman.MCL_ONFAULT : 0);
    if (flags == 0 || (flags & ~known) != 0 || flags == Mman.MCL_ONFAULT) {
      throw MmException.of(Errno.EINVAL, "mlockall: flags 0x%x must be MCL_CURRENT and/or MCL_FUTURE, optionally with MCL_ONFAULT", flags);
    }
    canDoMlock(p, "mlockall");
    Mm mm = p.mm;
    if ((flags & Mman.MCL_CURRENT) != 0 && mm.totalVm > p.memlockLimit() >>> Page.PAGE_SHIFT
        && !p.capable(Capability.CAP_IPC_LOCK)) {
      throw MmException.of(Errno.ENOMEM, "mlockall(MCL_CURRENT): the address space's %d pages exceed RLIMIT_MEMLOCK of %d bytes",
          mm.totalVm, p.memlockLimit());
    }
    int lockFlags = VmFlags.VM_LOCKED | ((flags & Mman.MCL_ONFAULT) != 0 ? VmFlags.VM_LOCKONFAULT : 0);
    mm.defFlags = (flags & Mman.MCL_FUTURE) != 0 ? lockFlags : 0;
    if ((flags & Mman.MCL_CURRENT) != 0) {
      for (Vma v : List.copyOf(mm.vmas.values())) {
        applyVmaLockFlags(mm, v.start, v.end, lockFlags);
      }
      if ((flags & Mman.MCL_ONFAULT) == 0) {
        // As mlock: mm_populate after the write lock is let go.
        m.mmapLocks.downgrade(mm.id);
        m.mmap.populate(mm, 0, Mm.TASK_SIZE);
      }
    }
  }

  /** munlockall(2). */
  void munlockall(Process p) {
    Mm mm = p.mm;
    mm.defFlags = 0;
    for (Vma v : List.copyOf(mm.vmas.values())) {
      applyVmaLockFlags(mm, v.start, v.end, 0);
    }
  }

  /**
   * apply_vma_lock_flags and mlock_fixup: split a VMA that changes at the edges, set or clear VM_LOCKED, adjust
   * locked_vm by the pages whose state changed, and mark or unmark the pages already present.
   * VM_SPECIAL mappings (VM_IO, VM_PFNMAP, VM_DONTEXPAND) are left alone, as the kernel does.
   */
  void applyVmaLockFlags(Mm mm, long start, long end, int lockFlags) {
    for (Vma whole : mm.intersecting(start, end)) {
      if (whole.has(VmFlags.VM_IO | VmFlags.VM_PFNMAP | VmFlags.VM_DONTEXPAND)) {
        continue;
      }
      int old = whole.flags;
      int nf = (old & ~VmFlags.VM_LOCKED_MASK) | lockFlags;
      if (nf == old) {
        // mlock_fixup: newflags == oldflags, nothing to do and nothing split.
        continue;
      }
      Vma v = mm.isolate(whole, start, end);
      boolean wasLocked = (old & VmFlags.VM_LOCKED) != 0;
      boolean locked = (nf & VmFlags.VM_LOCKED) != 0;
      if (locked != wasLocked) {
        mm.lockedVm += locked ? v.pages() : -v.pages();
      }
      v.flags = nf;
      if (locked != wasLocked) {
        markPresentPages(mm, v, locked);
      }
      mm.mergeNeighbours(v, m);
    }
  }

  /** mlock_vma_pages_range: the pages already mapped in the VMA are (un)marked now. */
  private void markPresentPages(Mm mm, Vma v, boolean lock) {
    mm.pgtable.forEachPresent(v.startVpn(), v.endVpn(), (leaf, i, pte) -> {
      if (Pte.special(pte)) {
        return false;
      }
      if (lock) {
        onMap(Pte.pfn(pte), v);
      } else {
        munlockIfUnlocked(Pte.pfn(pte));
      }
      return false;
    });
  }
}
