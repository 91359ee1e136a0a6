package org.userptrlab.mm;

import static org.userptrlab.mm.VmFlags.VM_ACCOUNT;
import static org.userptrlab.mm.VmFlags.VM_DONTCOPY;
import static org.userptrlab.mm.VmFlags.VM_DONTDUMP;
import static org.userptrlab.mm.VmFlags.VM_DONTEXPAND;
import static org.userptrlab.mm.VmFlags.VM_IO;
import static org.userptrlab.mm.VmFlags.VM_LOCKED;
import static org.userptrlab.mm.VmFlags.VM_LOCKED_MASK;
import static org.userptrlab.mm.VmFlags.VM_MAYEXEC;
import static org.userptrlab.mm.VmFlags.VM_MAYREAD;
import static org.userptrlab.mm.VmFlags.VM_MAYSHARE;
import static org.userptrlab.mm.VmFlags.VM_MAYWRITE;
import static org.userptrlab.mm.VmFlags.VM_PFNMAP;
import static org.userptrlab.mm.VmFlags.VM_SHARED;
import static org.userptrlab.mm.VmFlags.VM_WIPEONFORK;
import static org.userptrlab.mm.VmFlags.VM_WRITE;

import java.util.ArrayList;
import java.util.List;

/**
 * The address-space system calls: mmap, munmap, mprotect, brk, madvise (mm/mmap.c, mm/vma.c,
 * mm/mprotect.c, mm/madvise.c) and fork's and exit's address-space work (kernel/fork.c: dup_mmap,
 * mm/mmap.c: exit_mmap). Every argument is checked before anything changes.
 */
final class Mmap {
  private final Machine m;

  Mmap(Machine m) {
    this.m = m;
  }

  static long checkedEnd(long addr, long len, Errno errno, String call) {
    long end = addr + len;
    if (addr < 0 || end < addr || end > Mm.TASK_SIZE) {
      throw MmException.of(errno, "%s: range 0x%x + 0x%x runs past the top of user space (0x%x)", call, addr, len, Mm.TASK_SIZE);
    }
    return end;
  }

  static void checkAligned(long addr, String call) {
    if (!Page.aligned(addr)) {
      throw MmException.of(Errno.EINVAL, "%s: address 0x%x is not page aligned (4096)", call, addr);
    }
  }

  /** do_mmap and mmap_region. */
  long mmap(Process p, long addr, long length, int prot, int flags, MemFile file, DeviceMemory dev, long offset) {
    Mm mm = p.mm;
    if (length <= 0) {
      throw MmException.of(Errno.EINVAL, "mmap: length must be positive, got %d", length);
    }
    long len = Page.align(length);
    if (len <= 0 || len > Mm.TASK_SIZE) {
      throw MmException.of(Errno.ENOMEM, "mmap: length 0x%x is larger than the address space", length);
    }
    int type = flags & (Mman.MAP_SHARED | Mman.MAP_PRIVATE);
    if (type != Mman.MAP_SHARED && type != Mman.MAP_PRIVATE) {
      throw MmException.of(Errno.EINVAL, "mmap: flags 0x%x must have exactly one of MAP_SHARED and MAP_PRIVATE", flags);
    }
    if ((prot & ~(Mman.PROT_READ | Mman.PROT_WRITE | Mman.PROT_EXEC)) != 0) {
      throw MmException.of(Errno.EINVAL, "mmap: unknown bits in prot 0x%x", prot);
    }
    boolean anonymous = (flags & Mman.MAP_ANONYMOUS) != 0;
    if (anonymous != (file == null && dev == null)) {
      throw MmException.of(Errno.EINVAL, "mmap: MAP_ANONYMOUS %s a file or device", anonymous ? "given with" : "missing without");
    }
    if (offset < 0 || !Page.aligned(offset)) {
      throw MmException.of(Errno.EINVAL, "mmap: offset %d is not a non-negative multiple of the page size", offset);
    }
    // ksys_mmap_pgoff: MAP_HUGETLB maps a hugetlbfs file of its own; a hugetlbfs file's mapping is whole huge pages.
    boolean hugetlbAnon = anonymous && (flags & Mman.MAP_HUGETLB) != 0;
    if (!anonymous && (flags & Mman.MAP_HUGETLB) != 0 && (file == null || file.hugetlbOrder == 0)) {
      throw MmException.of(Errno.EINVAL, "mmap: MAP_HUGETLB with %s, which is not a hugetlbfs file", file != null ? file : dev.name);
    }
    int hugeOrder = hugetlbAnon
        ? m.hugetlb.orderOf((flags >>> Mman.MAP_HUGE_SHIFT) & Mman.MAP_HUGE_MASK, "mmap(MAP_HUGETLB)", Errno.EINVAL)
        : file != null ? file.hugetlbOrder : 0;
    if (hugeOrder != 0) {
      long huge = 1L << (hugeOrder + Page.PAGE_SHIFT);
      len = (len + huge - 1) & -huge;
      if (len <= 0 || len > Mm.TASK_SIZE) {
        throw MmException.of(Errno.ENOMEM, "mmap: length 0x%x in huge pages of %d KiB is larger than the address space", length,
            huge >> 10);
      }
      if ((offset & (huge - 1)) != 0 || ((flags & (Mman.MAP_FIXED | Mman.MAP_FIXED_NOREPLACE)) != 0 && (addr & (huge - 1)) != 0)) {
        throw MmException.of(Errno.EINVAL, "mmap: a hugetlb mapping's offset (0x%x) and fixed address (0x%x) must be multiples of its "
            + "huge page size (%d KiB)", offset, addr, huge >> 10);
      }
    }
    if (dev != null && (type != Mman.MAP_SHARED || offset + len > dev.size())) {
      throw MmException.of(Errno.EINVAL, "mmap: device %s (%d bytes) must be mapped MAP_SHARED within its size; asked [%d, +%d)",
          dev.name, dev.size(), offset, len);
    }
    // MAP_FIXED_NOREPLACE (4.17) is MAP_FIXED that refuses to replace; before, an unknown flag the kernel ignores,
    // so the address is only a hint.
    boolean noreplace = (flags & Mman.MAP_FIXED_NOREPLACE) != 0 && m.kernelConfig.has(KernelChange.MAP_FIXED_NOREPLACE);
    boolean fixed = (flags & Mman.MAP_FIXED) != 0 || noreplace;
    long start;
    if (fixed) {
      checkAligned(addr, "mmap(MAP_FIXED)");
      checkedEnd(addr, len, Errno.ENOMEM, "mmap(MAP_FIXED)");
      if (addr < Mm.MMAP_MIN_ADDR) {
        throw MmException.of(Errno.EPERM, "mmap: MAP_FIXED at 0x%x is below vm.mmap_min_addr (0x%x)", addr, Mm.MMAP_MIN_ADDR);
      }
      start = addr;
      if (noreplace && (flags & Mman.MAP_FIXED) == 0 && !mm.intersecting(start, start + len).isEmpty()) {
        // do_mmap: find_vma_intersection over the range is EEXIST.
        throw MmException.of(Errno.EEXIST, "mmap(MAP_FIXED_NOREPLACE): [0x%x, 0x%x) overlaps %s", start, start + len,
            mm.intersecting(start, start + len).get(0));
      }
    } else {
      long align = hugeOrder != 0 ? 1L << (hugeOrder + Page.PAGE_SHIFT) : Page.PAGE_SIZE;
      long hint = addr & -align;
      if (hint >= Mm.MMAP_MIN_ADDR && hint + len <= Mm.TASK_SIZE && hint + len > hint
          && mm.intersecting(hint, hint + len).isEmpty()) {
        start = hint;
      } else {
        start = hugeOrder != 0 ? mm.getUnmappedArea(len, align)
            : anonymous && type == Mman.MAP_PRIVATE ? mm.getUnmappedAreaAnon(len, m.kernelConfig) : mm.getUnmappedArea(len);
      }
      if (start < 0) {
        throw MmException.of(Errno.ENOMEM, "mmap: no gap of 0x%x bytes left in the address space", len);
      }
    }
    int vmFlags = VmFlags.fromProt(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | mm.defFlags;
    if ((flags & Mman.MAP_NORESERVE) != 0) {
      // do_mmap honours MAP_NORESERVE where overcommit is allowed (the heuristic, the model's and the default).
      vmFlags |= VmFlags.VM_NORESERVE;
    }
    if (type == Mman.MAP_SHARED) {
      vmFlags |= VM_SHARED | VM_MAYSHARE;
    } else if ((prot & Mman.PROT_WRITE) != 0 && hugeOrder == 0 && (vmFlags & VmFlags.VM_NORESERVE) == 0) {
      // accountable_mapping: hugetlb's pages are its pool's, not committed memory; MAP_NORESERVE commits none.
      vmFlags |= VM_ACCOUNT;
    }
    if (hugeOrder != 0) {
      vmFlags |= VmFlags.VM_HUGETLB | VM_DONTEXPAND;
    } else if ((flags & Mman.MAP_LOCKED) != 0) {
      // mmap_region leaves VM_LOCKED off a hugetlb mapping (and does not charge it).
      vmFlags |= VM_LOCKED;
    }
    if (dev != null) {
      vmFlags |= VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;
    }
    // shmem_zero_setup's shmem_acct_size: shared anonymous memory is committed too, unless MAP_NORESERVE.
    if ((vmFlags & VM_ACCOUNT) != 0 || (anonymous && type == Mman.MAP_SHARED && hugeOrder == 0 && (vmFlags & VmFlags.VM_NORESERVE) == 0)) {
      // __vm_enough_memory under OVERCOMMIT_GUESS: one mapping may not exceed RAM plus swap.
      long pages = len >>> Page.PAGE_SHIFT;
      long total = m.overcommitPages();
      if (pages > total) {
        throw MmException.of(Errno.ENOMEM, "mmap: %d pages exceed the machine's RAM plus swap (%d pages); "
            + "vm.overcommit_memory=0 refuses such a mapping", pages, total);
      }
    }
    if ((flags & Mman.MAP_LOCKED) != 0) {
      // do_mmap asks can_do_mlock before mlock_future_ok: a zero limit without CAP_IPC_LOCK is EPERM.
      Mlock.canDoMlock(p, "mmap(MAP_LOCKED)");
    }
    if ((vmFlags & VM_LOCKED) != 0) {
      m.mlock.checkFutureLock(p, len >>> Page.PAGE_SHIFT);
    }
    MemFile backing = file;
    if (hugetlbAnon) {
      // hugetlb_file_setup: an unlinked hugetlbfs file, gone with its last mapping.
      backing = m.files.create("anon_hugepage (deleted)", len, MemFile.Kind.HUGETLBFS, true);
      backing.hugetlbOrder = hugeOrder;
    }
    Vma v = null;
    if (hugeOrder != 0) {
      // hugetlbfs_file_mmap: hugetlb_reserve_pages before the mapping exists, so that a refusal leaves nothing behind.
      v = new Vma(mm, start, start + len, vmFlags, backing, null, offset >>> Page.PAGE_SHIFT, null);
      try {
        m.hugetlb.reservePages(v, (flags & Mman.MAP_NORESERVE) != 0);
      } catch (MmException e) {
        if (hugetlbAnon) {
          m.files.unmapped(backing);
        }
        throw e;
      }
    }
    if (fixed && !noreplace) {
      unmapRange(mm, start, start + len);
    }
    if (anonymous && type == Mman.MAP_SHARED && !hugetlbAnon) {
      // shmem_zero_setup: shared anonymous memory is a shmem file no one else can open.
      backing = m.files.create("dev/zero (deleted)", len, MemFile.Kind.SHMEM_INTERNAL, true);
    }
    long pgoff = backing != null || dev != null ? offset >>> Page.PAGE_SHIFT : start >>> Page.PAGE_SHIFT;
    if (hugeOrder == 0) {
      v = new Vma(mm, start, start + len, vmFlags, backing, dev, pgoff, null);
    }
    mm.insert(v);
    if (dev != null) {
      remapPfnRange(mm, v, dev);
    } else {
      v = mm.mergeNeighbours(v, m);
    }
    if ((vmFlags & VM_LOCKED) != 0) {
      mm.lockedVm += len >>> Page.PAGE_SHIFT;
      populateIgnoringErrors(mm, start, start + len);
    } else if ((flags & Mman.MAP_POPULATE) != 0) {
      populateIgnoringErrors(mm, start, start + len);
    }
    return start;
  }

  /**
   * mm_populate: __mm_populate with ignore_errors, so that a fault that fails (SIGBUS, no memory)
   * leaves mmap's answer alone. vm_mmap_pgoff lets the write lock go first; the pages are faulted
   * in under mmap_read_lock.
   */
  private void populateIgnoringErrors(Mm mm, long start, long end) {
    m.mmapLocks.downgrade(mm.id);
    try {
      populate(mm, start, end);
    } catch (SignalException | MmException e) {
      // What was populated stays; the rest faults when touched.
    }
  }

  /** remap_pfn_range: every PTE of a device mapping is set at mmap time, special, with no page to count. */
  private void remapPfnRange(Mm mm, Vma v, DeviceMemory dev) {
    long bits = Pte.PRESENT | Pte.SPECIAL | (v.has(VM_WRITE) ? Pte.WRITE : 0);
    for (long vpn = v.startVpn(); vpn < v.endVpn(); vpn++) {
      mm.pgtable.set(vpn, Pte.make(dev.basePfn + v.filePage(vpn), bits));
    }
  }

  /**
   * populate_vma_page_range: fault every page of [start, end) in, with a write fault where the
   * mapping is private and writable so that COW is broken now rather than later. A VMA locked on
   * fault (VM_LOCKONFAULT: mlock2's MLOCK_ONFAULT, or mlockall's MCL_ONFAULT for the mappings made
   * after it) is left to fault page by page: "the VM_LOCKONFAULT case has never used FOLL_POPULATE",
   * so neither its mmap, nor a MAP_POPULATE or brk of it, faults a page in.
   */
  void populate(Mm mm, long start, long end) {
    for (Vma v : mm.intersecting(start, end)) {
      if (v.has(VM_IO | VM_PFNMAP | VmFlags.VM_LOCKONFAULT) || !v.has(VmFlags.VM_READ | VM_WRITE)) {
        continue;
      }
      boolean write = v.has(VM_WRITE) && !v.has(VM_SHARED);
      long to = Math.min(end, v.end) >>> Page.PAGE_SHIFT;
      for (long vpn = Math.max(start, v.start) >>> Page.PAGE_SHIFT; vpn < to; vpn++) {
        m.memory.populate(mm, v, vpn, write);
      }
    }
  }

  void munmap(Mm mm, long addr, long length) {
    checkAligned(addr, "munmap");
    if (length <= 0) {
      throw MmException.of(Errno.EINVAL, "munmap: length must be positive, got %d", length);
    }
    long len = Page.align(length);
    checkedEnd(addr, len, Errno.EINVAL, "munmap");
    Hugetlb.checkRange(mm, addr, addr + len, "munmap");
    unmapRange(mm, addr, addr + len);
  }

  /** do_vmi_munmap: split at the edges, zap, account, remove, free the page tables. */
  void unmapRange(Mm mm, long start, long end) {
    if (mm.intersecting(start, end).isEmpty()) {
      return;
    }
    boolean unlockVm = unlocksVm(mm);
    for (Vma v : mm.splitTo(start, end)) {
      unmapVma(mm, v, MmuNotifierEvent.UNMAP, unlockVm);
    }
    freePgtables(mm, start >>> Page.PAGE_SHIFT, end >>> Page.PAGE_SHIFT);
  }

  private void unmapVma(Mm mm, Vma v, MmuNotifierEvent event, boolean unlockVm) {
    m.memory.zap(mm, v, v.startVpn(), v.endVpn(), event);
    if (Hugetlb.isHugetlb(v)) {
      m.hugetlb.vmOpClose(v);
    }
    if (v.has(VM_LOCKED)) {
      if (unlockVm) {
        mm.lockedVm -= v.pages();
      } else {
        // The pages a driver locked without charging leave with the VMA, and locked_vm stays 0.
        mm.unaccountedLocked -= v.pages();
      }
    }
    mm.remove(v, m);
  }

  /**
   * Whether unmapping subtracts VM_LOCKED pages from locked_vm: always since 6.1; before, do_munmap
   * and exit_mmap did it only {@code if (mm->locked_vm)}, so a VM_LOCKED VMA that was never
   * charged left a zero locked_vm alone, while a non-zero one was taken below zero.
   */
  private boolean unlocksVm(Mm mm) {
    return mm.lockedVm != 0 || m.kernelConfig.has(KernelChange.MUNMAP_LOCKED_VM);
  }

  /** free_pgtables: PTE pages left empty by an unmap are freed. */
  private static void freePgtables(Mm mm, long startVpn, long endVpn) {
    for (long vpn = startVpn; vpn < endVpn; vpn = PageTable.leafEnd(vpn)) {
      mm.pgtable.freeIfEmpty(vpn);
    }
  }

  /** do_mprotect_pkey and mprotect_fixup. */
  void mprotect(Mm mm, long addr, long length, int prot) {
    checkAligned(addr, "mprotect");
    if ((prot & ~(Mman.PROT_READ | Mman.PROT_WRITE | Mman.PROT_EXEC)) != 0) {
      throw MmException.of(Errno.EINVAL, "mprotect: unknown bits in prot 0x%x", prot);
    }
    if (length == 0) {
      return;
    }
    // do_mprotect_pkey: PAGE_ALIGN(len) and start + len in unsigned arithmetic; an end at or below
    // the start (a "negative" length wraps) is ENOMEM, as is a range past the top of user space.
    long end = addr + ((length + Page.PAGE_SIZE - 1) & -Page.PAGE_SIZE);
    if (Long.compareUnsigned(end, addr) <= 0 || Long.compareUnsigned(end, Mm.TASK_SIZE) > 0) {
      throw MmException.of(Errno.ENOMEM, "mprotect: range 0x%x + 0x%x wraps or runs past the top of user space (0x%x)", addr, length,
          Mm.TASK_SIZE);
    }
    int want = VmFlags.fromProt(prot);
    // do_mprotect_pkey changes the VMAs from the start one after the other until a hole (ENOMEM) or a VMA
    // that may not be made writable (EACCES) stops it: those before it keep their change. A start in a hole
    // changes nothing.
    List<Vma> vmas = mm.intersecting(addr, end);
    int upTo = 0;
    long tmp = addr;
    while (upTo < vmas.size() && vmas.get(upTo).start <= tmp && ((want & VM_WRITE) == 0 || vmas.get(upTo).has(VM_MAYWRITE))) {
      tmp = vmas.get(upTo++).end;
    }
    String changed = upTo == 0 ? "; nothing was changed" : "; the VMAs before it were changed";
    MmException stop = upTo < vmas.size() && vmas.get(upTo).start <= tmp
        ? MmException.of(Errno.EACCES, "mprotect: %s may not be made writable%s", vmas.get(upTo), changed)
        : tmp < end ? MmException.of(Errno.ENOMEM, "mprotect: [0x%x, 0x%x) is not fully mapped: a hole at 0x%x%s", addr, end, tmp,
            changed) : null;
    if (upTo == 0) {
      throw stop;
    }
    for (Vma whole : vmas.subList(0, upTo)) {
      int newFlags = (whole.flags & ~VmFlags.VM_ACCESS_FLAGS) | want;
      // mprotect_fixup: a private mapping made writable is committed then, unless it is hugetlb's or MAP_NORESERVE, and
      // security_vm_enough_memory_mm refuses more than RAM plus swap at once; the VMAs before it keep their change.
      if ((want & VM_WRITE) != 0 && !whole.has(VM_SHARED | VmFlags.VM_HUGETLB | VmFlags.VM_NORESERVE)) {
        long pages = (Math.min(end, whole.end) - Math.max(addr, whole.start)) >>> Page.PAGE_SHIFT;
        if (!whole.has(VM_ACCOUNT | VM_WRITE) && pages > m.overcommitPages()) {
          throw MmException.of(Errno.ENOMEM, "mprotect: making %d pages of %s writable commits them, more than the machine's RAM "
              + "plus swap (%d pages)%s", pages, whole, m.overcommitPages(), whole == vmas.get(0) ? "; nothing was changed"
                  : "; the VMAs before it were changed");
        }
        newFlags |= VM_ACCOUNT;
      }
      if (newFlags == whole.flags) {
        // mprotect_fixup: nothing changes, nothing is split.
        continue;
      }
      if (Hugetlb.isHugetlb(whole)) {
        // hugetlb_vm_op_split: a split of a hugetlb VMA off a huge page's boundary is EINVAL; the VMAs before it keep their change.
        Hugetlb.checkRange(mm, Math.max(addr, whole.start), Math.min(end, whole.end), "mprotect");
      }
      Vma v = mm.isolate(whole, addr, end);
      if (Hugetlb.isHugetlb(v)) {
        v.flags = newFlags;
        m.hugetlb.changeProtection(mm, v);
        mm.mergeNeighbours(v, m);
        continue;
      }
      boolean wasWritable = v.has(VM_WRITE);
      if (wasWritable && (want & VM_WRITE) == 0) {
        changeProtection(mm, v, MmuNotifierEvent.PROTECTION_VMA);
      } else {
        readableDevicePrivate(mm, v.startVpn(), v.endVpn());
      }
      v.flags = newFlags;
      if (!wasWritable && (want & VM_WRITE) != 0 && !v.has(VM_SHARED) && m.kernelConfig.has(KernelChange.MPROTECT_WRITABLE)) {
        upgradeExclusiveAnon(mm, v);
      }
      mm.mergeNeighbours(v, m);
    }
    if (stop != null) {
      throw stop;
    }
  }

  /**
   * change_pte_range with MM_CP_TRY_CHANGE_WRITABLE (6.0+): a private mapping made writable maps
   * its exclusive anonymous pages writable at once (can_change_pte_writable), so the next write
   * takes no fault; the others stay read-only and fault as before. Granting a permission needs no
   * TLB flush.
   */
  private void upgradeExclusiveAnon(Mm mm, Vma v) {
    mm.pgtable.forEachPresent(v.startVpn(), v.endVpn(), (leaf, i, pte) -> {
      if (Pte.special(pte) || !m.mem.pageAnonExclusive(Pte.pfn(pte))) {
        return false;
      }
      leaf[i] = pte | Pte.WRITE;
      return true;
    });
  }

  /**
   * A driver's write-protect of [start, end): change_protection without write on each VMA's part,
   * and with {@code share} the anonymous pages stop being exclusive (folio_try_share_anon_rmap_pte),
   * which a maybe-pinned exclusive page refuses (EBUSY, before anything changes).
   */
  long writeProtect(Mm mm, long start, long end, boolean share) {
    List<Vma> vmas = mm.intersecting(start, end);
    if (share && m.kernelConfig.has(KernelChange.ANON_EXCLUSIVE)) {
      for (Vma v : vmas) {
        for (long vpn = Math.max(start, v.start) >>> Page.PAGE_SHIFT; vpn < Math.min(end, v.end) >>> Page.PAGE_SHIFT; vpn++) {
          long pte = mm.pgtable.get(vpn);
          if (Pte.present(pte) && !Pte.special(pte) && m.mem.folioMaybeDmaPinned(Pte.pfn(pte))
              && m.mem.pageAnonExclusive(Pte.pfn(pte))) {
            throw MmException.of(Errno.EBUSY, "page at 0x%x may be DMA-pinned; an exclusive pinned page cannot be shared",
                Page.addr(vpn));
          }
        }
      }
    }
    long changed = 0;
    for (Vma v : vmas) {
      long s = Math.max(start, v.start) >>> Page.PAGE_SHIFT;
      long e = Math.min(end, v.end) >>> Page.PAGE_SHIFT;
      changed += wrprotectRange(mm, v, s, e, MmuNotifierEvent.PROTECTION_PAGE);
      if (share) {
        mm.pgtable.forEachPresent(s, e, (leaf, i, pte) -> {
          if (!Pte.special(pte)) {
            m.mem.flags[Pte.pfn(pte)] &= ~PageFlags.PG_ANON_EXCLUSIVE;
          }
          return false;
        });
      }
    }
    return changed;
  }

  /** change_protection with write removed: every writable PTE of the VMA becomes read-only, then one flush. */
  long changeProtection(Mm mm, Vma v, MmuNotifierEvent event) {
    return wrprotectRange(mm, v, v.startVpn(), v.endVpn(), event);
  }

  long wrprotectRange(Mm mm, Vma v, long startVpn, long endVpn, MmuNotifierEvent event) {
    // change_pmd_range: a PMD mapping covered whole changes as one (change_huge_pmd); one covered in part is split.
    m.thp.splitPartial(mm, startVpn, endVpn);
    m.notifiers.invalidate(mm, startVpn, endVpn, event);
    long changed = mm.pgtable.forEachPresent(startVpn, endVpn, (leaf, i, pte) -> {
      if (!Pte.writable(pte)) {
        return false;
      }
      leaf[i] = Pte.wrprotect(pte);
      return true;
    });
    if (changed > 0) {
      m.vmstat.count(VmEvent.WRPROTECT_PTE, changed);
      m.tlb.flush(mm, startVpn, endVpn);
    }
    readableDevicePrivate(mm, startVpn, endVpn);
    return changed;
  }

  /**
   * change_pte_range on the non-present entries: a writable device-private entry becomes readable
   * whatever the new protection (make_readable_device_private_entry), so the next CPU or GPU write
   * asking for write faults it back. No TLB holds a non-present entry: nothing to flush.
   */
  private void readableDevicePrivate(Mm mm, long startVpn, long endVpn) {
    if (!mm.hadDevicePrivate) {
      return;
    }
    for (long vpn = startVpn; vpn < endVpn; ) {
      long leafEnd = Math.min(PageTable.leafEnd(vpn), endVpn);
      long[] leaf = mm.pgtable.leaf(vpn, false);
      if (leaf != null) {
        for (int i = PageTable.slot(vpn); vpn < leafEnd; vpn++, i++) {
          if (Pte.devicePrivate(leaf[i]) && Pte.writable(leaf[i])) {
            leaf[i] = Pte.devicePrivate(Pte.pfn(leaf[i]), false);
          }
        }
      }
      vpn = leafEnd;
    }
  }

  /** The brk system call (mm/mmap.c): moves the end of the heap; returns the (possibly unchanged) break. */
  long brk(Process p, long newBrk) {
    Mm mm = p.mm;
    if (newBrk < mm.startBrk || newBrk > Mm.TASK_SIZE) {
      return mm.brk;
    }
    long newEnd = Page.align(newBrk);
    long oldEnd = Page.align(mm.brk);
    if (newEnd == oldEnd) {
      mm.brk = newBrk;
      return newBrk;
    }
    if (newBrk <= mm.brk) {
      unmapRange(mm, newEnd, oldEnd);
      mm.brk = newBrk;
      return newBrk;
    }
    Vma next = mm.intersecting(oldEnd, Mm.TASK_SIZE).stream().findFirst().orElse(null);
    if (next != null && newEnd + Page.PAGE_SIZE > next.start) {
      return mm.brk;
    }
    int flags = VmFlags.VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT | mm.defFlags;
    if ((flags & VM_LOCKED) != 0 && !m.mlock.futureLockOk(p, (newEnd - oldEnd) >>> Page.PAGE_SHIFT)) {
      return mm.brk;
    }
    // do_brk_flags: security_vm_enough_memory_mm, as for any accounted mapping.
    if ((newEnd - oldEnd) >>> Page.PAGE_SHIFT > m.overcommitPages()) {
      return mm.brk;
    }
    doBrkFlags(mm, oldEnd, newEnd, flags);
    mm.brk = newBrk;
    if ((flags & VM_LOCKED) != 0) {
      mm.lockedVm += (newEnd - oldEnd) >>> Page.PAGE_SHIFT;
      // brk lets the write lock go before mm_populate, which faults under mmap_read_lock.
      m.mmapLocks.downgrade(mm.id);
      populate(mm, oldEnd, newEnd);
    }
    return newBrk;
  }

  /**
   * do_brk_flags: expand the VMA that ends at the old break if its flags are exactly the heap's
   * (so an mlocked heap VMA, whose flags now carry VM_LOCKED, is not expanded: a new VMA is made).
   */
  private void doBrkFlags(Mm mm, long start, long end, int flags) {
    Vma prev = mm.find(start - 1);
    if (prev != null && prev.end == start && prev.flags == flags && prev.isAnonymous() && prev.chain.size() <= 1) {
      mm.expand(prev, end);
      Vma merged = mm.mergeNeighbours(prev, m);
      merged.name = "[heap]";
      return;
    }
    Vma v = new Vma(mm, start, end, flags, null, null, start >>> Page.PAGE_SHIFT, "[heap]");
    mm.insert(v);
  }

  /**
   * madvise_behavior_valid: the advice the model knows, each from the release that brought it
   * (EINVAL before, as for any unknown advice).
   */
  private void checkAdvice(int advice) {
    KernelChange since = switch (advice) {
      case Mman.MADV_WILLNEED, Mman.MADV_DONTNEED, Mman.MADV_DONTFORK, Mman.MADV_DOFORK, Mman.MADV_REMOVE, Mman.MADV_HUGEPAGE,
          Mman.MADV_NOHUGEPAGE -> null;
      case Mman.MADV_WIPEONFORK, Mman.MADV_KEEPONFORK -> KernelChange.WIPEONFORK;
      case Mman.MADV_FREE -> KernelChange.MADV_FREE;
      case Mman.MADV_COLD -> KernelChange.MADV_COLD;
      case Mman.MADV_PAGEOUT -> KernelChange.MADV_PAGEOUT;
      case Mman.MADV_POPULATE_READ, Mman.MADV_POPULATE_WRITE -> KernelChange.MADV_POPULATE;
      case Mman.MADV_DONTNEED_LOCKED -> KernelChange.MADV_DONTNEED_LOCKED;
      case Mman.MADV_COLLAPSE -> KernelChange.MADV_COLLAPSE;
      default -> throw MmException.of(Errno.EINVAL, "madvise: advice %d is not one the model knows", advice);
    };
    if (since != null && !m.kernelConfig.has(since)) {
      throw MmException.of(Errno.EINVAL, "madvise: advice %d came with Linux %s (%s); this is %s", advice, since.release(),
          since.id(), m.kernelConfig);
    }
  }

  /**
   * do_madvise for the behaviours the model knows. A hole in the range is skipped and answered with
   * ENOMEM once the mapped parts have the advice (madvise_walk_vmas: "just ignore them, but return
   * -ENOMEM at the end"), MADV_COLLAPSE's too (madvise_vma_behavior calls madvise_collapse per VMA);
   * MADV_POPULATE_*, which fault the range in their own walk (madvise_populate), fail on a hole before
   * anything is done. Unlike the kernel, a VMA the advice refuses (EINVAL) fails the call before any
   * VMA changes.
   */
  void madvise(Mm mm, long addr, long length, int advice) {
    checkAligned(addr, "madvise");
    checkAdvice(advice);
    if (length == 0) {
      return;
    }
    // do_madvise: PAGE_ALIGN(len_in) and start + len in unsigned arithmetic; only a wrapped end is
    // EINVAL, a range past the top of user space is unmapped there, so ENOMEM as any hole is.
    long aligned = (length + Page.PAGE_SIZE - 1) & -Page.PAGE_SIZE;
    long end = addr + aligned;
    if (aligned == 0 || Long.compareUnsigned(end, addr) < 0) {
      throw MmException.of(Errno.EINVAL, "madvise: range 0x%x + 0x%x wraps around the address space", addr, length);
    }
    if (Long.compareUnsigned(end, Mm.TASK_SIZE) > 0) {
      throw MmException.of(Errno.ENOMEM, "madvise: [0x%x, 0x%x) runs past the top of user space (0x%x), where nothing is mapped",
          addr, end, Mm.TASK_SIZE);
    }
    boolean hole = !mm.fullyMapped(addr, end);
    if (hole && (advice == Mman.MADV_POPULATE_READ || advice == Mman.MADV_POPULATE_WRITE)) {
      throw MmException.of(Errno.ENOMEM, "madvise(%s): [0x%x, 0x%x) is not fully mapped; there is a hole in it", name(advice), addr,
          end);
    }
    for (Vma v : mm.intersecting(addr, end)) {
      checkVma(v, advice);
      if (Hugetlb.isHugetlb(v) && (advice == Mman.MADV_DONTNEED || advice == Mman.MADV_DONTNEED_LOCKED) && v.start < addr) {
        Hugetlb.checkAligned(v, addr, "madvise(MADV_DONTNEED)");
      }
    }
    if (advice != Mman.MADV_DONTNEED && advice != Mman.MADV_DONTNEED_LOCKED) {
      Hugetlb.checkRange(mm, addr, end, "madvise(" + name(advice) + ")");
    }
    switch (advice) {
      case Mman.MADV_DONTNEED, Mman.MADV_DONTNEED_LOCKED -> {
        // madvise_dontneed_single_vma: zap_page_range_single, VMAs unchanged (a locked one too, for MADV_DONTNEED_LOCKED).
        // madvise_dontneed_free_valid_vma: a hugetlb VMA's end is rounded down to whole huge pages.
        for (Vma v : mm.intersecting(addr, end)) {
          long to = Math.min(end, v.end);
          if (Hugetlb.isHugetlb(v)) {
            to &= -(1L << (Hugetlb.order(v) + Page.PAGE_SHIFT));
          }
          m.memory.zap(mm, v, Math.max(addr, v.start) >>> Page.PAGE_SHIFT, to >>> Page.PAGE_SHIFT, MmuNotifierEvent.CLEAR);
        }
      }
      case Mman.MADV_FREE, Mman.MADV_COLD, Mman.MADV_PAGEOUT -> m.madvise.lru(mm, addr, end, advice);
      case Mman.MADV_WILLNEED -> m.madvise.willneed(mm, addr, end);
      case Mman.MADV_POPULATE_READ, Mman.MADV_POPULATE_WRITE -> m.madvise.populate(mm, addr, end, advice == Mman.MADV_POPULATE_WRITE);
      case Mman.MADV_COLLAPSE -> m.thp.madviseCollapse(mm, addr, end);
      case Mman.MADV_REMOVE -> {
        // madvise_remove: vfs_fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE) over the file's pages of the range.
        for (Vma v : mm.intersecting(addr, end)) {
          // hugetlbfs_fallocate(FALLOC_FL_PUNCH_HOLE) for a hugetlb mapping: Truncate.punchHole takes whole huge pages.
          long from = v.filePage(Math.max(addr, v.start) >>> Page.PAGE_SHIFT);
          long to = v.filePage(Math.min(end, v.end) >>> Page.PAGE_SHIFT);
          m.truncation.punchHole(v.file, from, Math.min(to, v.file.pages));
        }
      }
      default -> {
        // hugepage_madvise: MADV_HUGEPAGE and MADV_NOHUGEPAGE each set their flag and clear the other.
        int set = switch (advice) {
          case Mman.MADV_DONTFORK -> VM_DONTCOPY;
          case Mman.MADV_WIPEONFORK -> VM_WIPEONFORK;
          case Mman.MADV_HUGEPAGE -> VmFlags.VM_HUGEPAGE;
          case Mman.MADV_NOHUGEPAGE -> VmFlags.VM_NOHUGEPAGE;
          default -> 0;
        };
        int clear = switch (advice) {
          case Mman.MADV_DOFORK -> VM_DONTCOPY;
          case Mman.MADV_KEEPONFORK -> VM_WIPEONFORK;
          case Mman.MADV_HUGEPAGE -> VmFlags.VM_NOHUGEPAGE;
          case Mman.MADV_NOHUGEPAGE -> VmFlags.VM_HUGEPAGE;
          default -> 0;
        };
        changeFlags(mm, addr, end, set, clear);
      }
    }
    if (hole) {
      throw MmException.of(Errno.ENOMEM, "madvise(%s): [0x%x, 0x%x) is not fully mapped; the parts mapped took the advice, the "
          + "hole answers ENOMEM (madvise_walk_vmas)", name(advice), addr, end);
    }
  }

  /** What each advice refuses of a VMA (madvise_vma_behavior and the functions it calls). */
  private void checkVma(Vma v, int advice) {
    switch (advice) {
      case Mman.MADV_DONTNEED, Mman.MADV_FREE, Mman.MADV_COLD, Mman.MADV_PAGEOUT -> {
        // can_madv_lru_vma: no hugetlb; MADV_DONTNEED takes whole huge pages from 5.18 (madvise_dontneed_free_valid_vma).
        if (Hugetlb.isHugetlb(v) && (advice != Mman.MADV_DONTNEED || !m.kernelConfig.has(KernelChange.MADV_DONTNEED_HUGETLB))) {
          throw MmException.of(Errno.EINVAL, "madvise(%s): %s is a hugetlb mapping (can_madv_lru_vma)", name(advice), v);
        }
        if (v.has(VM_LOCKED | VM_PFNMAP)) {
          throw MmException.of(Errno.EINVAL, "madvise(%s): %s is locked or a PFN map (can_madv_lru_vma)", name(advice), v);
        }
        if (advice == Mman.MADV_FREE && (!v.isAnonymous() || v.has(VM_SHARED))) {
          throw MmException.of(Errno.EINVAL, "madvise(MADV_FREE): %s is not private anonymous memory (madvise_free_single_vma)", v);
        }
      }
      case Mman.MADV_COLLAPSE -> {
        // madvise_collapse: thp_vma_allowable_order without the sysfs setting; the model collapses private anonymous memory.
        if (v.file != null || v.device != null || v.has(VM_SHARED | VM_PFNMAP | VmFlags.VM_NOHUGEPAGE)) {
          throw MmException.of(Errno.EINVAL, "madvise(MADV_COLLAPSE): %s is not private anonymous memory that may have THPs", v);
        }
        // __thp_vma_allowable_orders out of a fault: the VMA must hold the aligned block below its end (thp_vma_suitable_order).
        long pmd = (long) Thp.HPAGE_PMD_NR << Page.PAGE_SHIFT;
        if (v.end - v.start < pmd || ((v.end - pmd) & -pmd) < v.start) {
          throw MmException.of(Errno.EINVAL, "madvise(MADV_COLLAPSE): %s holds no naturally aligned 2 MiB block a huge page could map", v);
        }
      }
      case Mman.MADV_WILLNEED -> {
        // madvise_willneed: anonymous memory had nothing to read ahead before swap prefetch came.
        if (v.file == null && !m.kernelConfig.has(KernelChange.MADV_WILLNEED_SWAP)) {
          throw MmException.of(Errno.EBADF, "madvise(MADV_WILLNEED): %s is anonymous memory, which %s reads nothing ahead for "
              + "(swap prefetch came with Linux %s, %s)", v, m.kernelConfig, KernelChange.MADV_WILLNEED_SWAP.release(),
              KernelChange.MADV_WILLNEED_SWAP.id());
        }
      }
      case Mman.MADV_DONTNEED_LOCKED -> {
        if (v.has(VM_PFNMAP)) {
          throw MmException.of(Errno.EINVAL, "madvise(MADV_DONTNEED_LOCKED): %s is a PFN map", v);
        }
      }
      case Mman.MADV_POPULATE_READ, Mman.MADV_POPULATE_WRITE -> {
        boolean write = advice == Mman.MADV_POPULATE_WRITE;
        if (v.has(VM_IO | VM_PFNMAP)) {
          throw MmException.of(Errno.EINVAL, "madvise(%s): %s is VM_IO or VM_PFNMAP", name(advice), v);
        }
        // faultin_page_range: get_user_pages' check_vma_flags refusal (EFAULT) comes back as EINVAL.
        if (write ? !v.has(VM_WRITE) : !v.has(VmFlags.VM_READ)) {
          throw MmException.of(Errno.EINVAL, "madvise(%s): %s does not allow %s", name(advice), v, write ? "writes" : "reads");
        }
      }
      case Mman.MADV_REMOVE -> {
        if (v.has(VM_LOCKED)) {
          throw MmException.of(Errno.EINVAL, "madvise(MADV_REMOVE): %s is locked", v);
        }
        if (v.file == null) {
          throw MmException.of(Errno.EINVAL, "madvise(MADV_REMOVE): %s maps no file (shmem, tmpfs or a file system that punches "
              + "holes)", v);
        }
        if (!v.has(VM_SHARED) || !v.has(VM_WRITE)) {
          throw MmException.of(Errno.EACCES, "madvise(MADV_REMOVE): %s is not a shared writable mapping", v);
        }
        if (v.file.needsWriteback() && !m.kernelConfig.has(KernelChange.MADV_REMOVE_PUNCH_HOLE)) {
          // vmtruncate_range: no truncate_range but shmem's before 3.5.
          throw MmException.of(Errno.ENOSYS, "madvise(MADV_REMOVE): %s is on a disk file system, which cannot punch holes "
              + "through madvise before Linux 3.5 (this is %s)", v, m.kernelConfig);
        }
      }
      case Mman.MADV_DOFORK -> {
        if (v.has(VM_IO)) {
          throw MmException.of(Errno.EINVAL, "madvise(MADV_DOFORK): %s is VM_IO and must not be copied on fork", v);
        }
      }
      case Mman.MADV_WIPEONFORK -> {
        if (v.file != null || v.device != null || v.has(VM_SHARED)) {
          throw MmException.of(Errno.EINVAL, "madvise(MADV_WIPEONFORK): %s is not private anonymous memory", v);
        }
      }
      default -> {
      }
    }
  }

  private static String name(int advice) {
    return switch (advice) {
      case Mman.MADV_WILLNEED -> "MADV_WILLNEED";
      case Mman.MADV_DONTNEED -> "MADV_DONTNEED";
      case Mman.MADV_FREE -> "MADV_FREE";
      case Mman.MADV_COLD -> "MADV_COLD";
      case Mman.MADV_PAGEOUT -> "MADV_PAGEOUT";
      case Mman.MADV_POPULATE_READ -> "MADV_POPULATE_READ";
      case Mman.MADV_POPULATE_WRITE -> "MADV_POPULATE_WRITE";
      case Mman.MADV_HUGEPAGE -> "MADV_HUGEPAGE";
      case Mman.MADV_NOHUGEPAGE -> "MADV_NOHUGEPAGE";
      case Mman.MADV_COLLAPSE -> "MADV_COLLAPSE";
      default -> "advice " + advice;
    };
  }

  /** madvise_update_vma over a fully mapped range: a VMA that changes is split at the edges, changed and merged. */
  void changeFlags(Mm mm, long start, long end, int set, int clear) {
    for (Vma whole : mm.intersecting(start, end)) {
      int nf = (whole.flags | set) & ~clear;
      if (nf != whole.flags) {
        Vma v = mm.isolate(whole, start, end);
        v.flags = nf;
        mm.mergeNeighbours(v, m);
      }
    }
  }

  /**
   * dup_mmap: the child's copy of every VMA but VM_DONTCOPY ones, without VM_LOCKED (mlock is not
   * inherited); anon_vma_fork links it into the parent's anon_vmas; copy_page_range copies the
   * page tables of VMAs that have anonymous pages or are PFN maps. A VM_WIPEONFORK VMA starts empty.
   */
  Mm dupMmap(Process parent, int childId) {
    Mm old = parent.mm;
    Mm mm = new Mm(childId, 0, m.thp, m.vmstat);
    mm.startBrk = old.startBrk;
    mm.brk = old.brk;
    mm.mmapBase = old.mmapBase;
    List<Vma[]> pairs = new ArrayList<>();
    for (Vma v : old.vmas.values()) {
      if (v.has(VM_DONTCOPY)) {
        m.reached(ModelPath.FORK_DONTCOPY);
        continue;
      }
      if (v.has(VM_WIPEONFORK)) {
        m.reached(ModelPath.FORK_WIPEONFORK);
      }
      Vma c = new Vma(mm, v.start, v.end, v.flags & ~VM_LOCKED_MASK, v.file, v.device, v.pgoff, v.name);
      c.forkCopy = true;
      if (!v.has(VM_WIPEONFORK) && v.anonVma != null) {
        anonVmaFork(c, v);
      }
      mm.insert(c);
      pairs.add(new Vma[] {c, v});
    }
    try {
      for (Vma[] pair : pairs) {
        Vma c = pair[0];
        Vma v = pair[1];
        if (!v.has(VM_WIPEONFORK) && (v.anonVma != null || v.has(VM_PFNMAP))) {
          m.memory.copyPageRange(mm, c, old, v);
        }
      }
    } catch (MmException e) {
      // dup_mmap's failure path: the half-built child is torn down; the parent keeps its (now COW) PTEs.
      exitMmap(mm);
      throw e;
    }
    return mm;
  }

  /** anon_vma_fork: the child's VMA joins every anon_vma of the parent's and gets one of its own. */
  private void anonVmaFork(Vma child, Vma parent) {
    for (AnonVma av : parent.chain) {
      child.chain.add(av);
      av.vmas.add(child);
    }
    AnonVma own = m.rmap.anonVmaAlloc(child.pgoff, parent.anonVma);
    own.vmas.add(child);
    child.chain.add(own);
    child.anonVma = own;
  }

  /** exit_mmap: every VMA is zapped and removed; the page tables go with the mm. */
  void exitMmap(Mm mm) {
    mm.cpumask = 0;
    boolean unlockVm = unlocksVm(mm);
    for (Vma v : new ArrayList<>(mm.vmas.values())) {
      unmapVma(mm, v, MmuNotifierEvent.RELEASE, unlockVm);
    }
  }
}
