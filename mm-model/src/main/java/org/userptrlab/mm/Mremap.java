package org.userptrlab.mm;

import static org.userptrlab.mm.VmFlags.VM_ACCOUNT;
import static org.userptrlab.mm.VmFlags.VM_DONTEXPAND;
import static org.userptrlab.mm.VmFlags.VM_LOCKED;
import static org.userptrlab.mm.VmFlags.VM_LOCKED_MASK;
import static org.userptrlab.mm.VmFlags.VM_PFNMAP;
import static org.userptrlab.mm.VmFlags.VM_SHARED;

/**
 * mremap(2) (mm/mremap.c): do_mremap, mremap_to, vma_to_resize (remap_is_valid) and move_vma. A
 * move takes the page tables along (move_page_tables): the same frames, now at the new address, so
 * whoever holds them (a pin, a GEM object) still holds the process's pages. The errors come in
 * the kernel's order; like the kernel, mremap_to unmaps the destination of MREMAP_FIXED and a
 * shrunk tail before it checks the source's VMA, so those failures have already changed that much.
 */
final class Mremap {
  private final Machine m;

  Mremap(Machine m) {
    this.m = m;
  }

  long mremap(Process p, long addr, long oldLength, long newLength, int flags, long newAddr) {
    Mm mm = p.mm;
    boolean dontunmap = (flags & Mman.MREMAP_DONTUNMAP) != 0;
    boolean fixed = (flags & Mman.MREMAP_FIXED) != 0;
    // check_mremap_params: before 5.7, MREMAP_DONTUNMAP is an unknown flag.
    int known = Mman.MREMAP_MAYMOVE | Mman.MREMAP_FIXED
        | (m.kernelConfig.has(KernelChange.MREMAP_DONTUNMAP) ? Mman.MREMAP_DONTUNMAP : 0);
    if ((flags & ~known) != 0) {
      throw MmException.of(Errno.EINVAL, "mremap: unknown flags 0x%x%s", flags & ~known,
          dontunmap && !m.kernelConfig.has(KernelChange.MREMAP_DONTUNMAP)
              ? " (MREMAP_DONTUNMAP came with Linux 5.7; this is " + m.kernelConfig + ")" : "");
    }
    Mmap.checkAligned(addr, "mremap");
    if (oldLength < 0 || newLength <= 0) {
      throw MmException.of(Errno.EINVAL, "mremap: the new length %d must be positive and the old one %d not negative",
          newLength, oldLength);
    }
    if (fixed || dontunmap) {
      Mmap.checkAligned(newAddr, "mremap(MREMAP_FIXED)");
      if ((flags & Mman.MREMAP_MAYMOVE) == 0) {
        throw MmException.of(Errno.EINVAL, "mremap: MREMAP_FIXED and MREMAP_DONTUNMAP need MREMAP_MAYMOVE");
      }
      if (dontunmap && oldLength != newLength) {
        throw MmException.of(Errno.EINVAL, "mremap(MREMAP_DONTUNMAP): the size may not change (%d to %d)", oldLength, newLength);
      }
    }
    long oldLen = Page.align(oldLength);
    long newLen = Page.align(newLength);
    if (newLen > Mm.TASK_SIZE) {
      throw MmException.of(Errno.EINVAL, "mremap: new length 0x%x is larger than the address space", newLength);
    }
    Vma vma = mm.find(addr);
    if (vma == null) {
      throw MmException.of(Errno.EFAULT, "mremap: nothing is mapped at 0x%x", addr);
    }
    if (oldLen == 0) {
      // remap_is_valid: a zero old length duplicates a shared mapping, which the model does not do; a private one is EINVAL.
      throw MmException.of(Errno.EINVAL, "mremap: an old length of 0 duplicates a shared mapping, which the model does not do (%s)",
          vma);
    }
    if (Hugetlb.isHugetlb(vma)) {
      long huge = 1L << (Hugetlb.order(vma) + Page.PAGE_SHIFT);
      oldLen = (oldLen + huge - 1) & -huge;
      newLen = (newLen + huge - 1) & -huge;
      // 5.17 (mremap of hugetlb): whole huge pages at aligned addresses, never growing; before, vma_to_resize refused
      // hugetlb outright, and only a shrink (a plain munmap of the tail) went through.
      boolean moves = fixed || dontunmap || newLen > oldLen;
      if ((addr & (huge - 1)) != 0 || fixed && (newAddr & (huge - 1)) != 0 || newLen > oldLen
          || moves && !m.kernelConfig.has(KernelChange.MREMAP_HUGETLB)) {
        throw MmException.of(Errno.EINVAL, "mremap: %s is a hugetlb mapping: it moves whole %d KiB pages at aligned addresses and "
            + "never grows%s", vma, huge >> 10, m.kernelConfig.has(KernelChange.MREMAP_HUGETLB) ? "" : ", and before Linux 5.17 only shrinks");
      }
    }
    if (fixed || dontunmap) {
      return mremapTo(p, addr, oldLen, newAddr, newLen, flags);
    }
    if (oldLen >= newLen) {
      // Always allow a shrinking remap: that just unmaps the unnecessary pages.
      if (oldLen > newLen) {
        m.mmap.unmapRange(mm, addr + newLen, addr + oldLen);
      }
      return addr;
    }
    long delta = newLen - oldLen;
    checkResize(p, vma, addr, oldLen, newLen, flags);
    // vma_expandable: the range ends the VMA and the gap after it is free.
    if (addr + oldLen == vma.end && vma.end + delta <= Mm.TASK_SIZE && mm.intersecting(vma.end, vma.end + delta).isEmpty()) {
      long from = vma.end;
      mm.expand(vma, vma.end + delta);
      if (vma.has(VM_LOCKED)) {
        mm.lockedVm += delta >>> Page.PAGE_SHIFT;
      }
      Vma merged = mm.mergeNeighbours(vma, m);
      if (merged.has(VM_LOCKED)) {
        // do_mremap: mm_populate of the new part, as mlock promises every page of a locked VMA is there,
        // once the write lock is let go: the pages are faulted in under the read lock.
        m.mmapLocks.downgrade(mm.id);
        m.mmap.populate(mm, from, from + delta);
      }
      return addr;
    }
    if ((flags & Mman.MREMAP_MAYMOVE) == 0) {
      throw MmException.of(Errno.ENOMEM, "mremap: [0x%x, 0x%x) cannot grow in place (the next mapping is in the way) "
          + "and MREMAP_MAYMOVE was not given", addr, addr + oldLen);
    }
    // vrm_set_new_addr: get_unmapped_area with the VMA's file and sharing, so a private anonymous VMA moves as mmap places one.
    long to = vma.isAnonymous() && !vma.has(VM_SHARED) ? mm.getUnmappedAreaAnon(newLen, m.kernelConfig) : mm.getUnmappedArea(newLen);
    if (to < 0) {
      throw MmException.of(Errno.ENOMEM, "mremap: no gap of 0x%x bytes left in the address space", newLen);
    }
    return moveVma(p, vma, addr, oldLen, to, newLen, flags);
  }

  /** mremap_to: MREMAP_FIXED unmaps the destination first; MREMAP_DONTUNMAP alone takes the address as a hint. */
  private long mremapTo(Process p, long addr, long oldLen, long newAddr, long newLen, int flags) {
    Mm mm = p.mm;
    boolean dontunmap = (flags & Mman.MREMAP_DONTUNMAP) != 0;
    if (newAddr < 0 || newAddr > Mm.TASK_SIZE - newLen) {
      throw MmException.of(Errno.EINVAL, "mremap: [0x%x, +0x%x) runs past the top of user space (0x%x)", newAddr, newLen, Mm.TASK_SIZE);
    }
    if (addr + oldLen > newAddr && newAddr + newLen > addr) {
      throw MmException.of(Errno.EINVAL, "mremap: the new range [0x%x, 0x%x) overlaps the old one [0x%x, 0x%x)", newAddr,
          newAddr + newLen, addr, addr + oldLen);
    }
    if ((flags & Mman.MREMAP_FIXED) != 0) {
      if (newAddr < Mm.MMAP_MIN_ADDR) {
        throw MmException.of(Errno.EPERM, "mremap: MREMAP_FIXED at 0x%x is below vm.mmap_min_addr (0x%x)", newAddr, Mm.MMAP_MIN_ADDR);
      }
      m.mmap.unmapRange(mm, newAddr, newAddr + newLen);
    }
    if (oldLen > newLen) {
      m.mmap.unmapRange(mm, addr + newLen, addr + oldLen);
      oldLen = newLen;
    }
    Vma vma = mm.find(addr);
    if (vma == null) {
      throw MmException.of(Errno.EFAULT, "mremap: nothing is mapped at 0x%x", addr);
    }
    if (dontunmap && !m.kernelConfig.has(KernelChange.MREMAP_DONTUNMAP_ANY) && (!vma.isAnonymous() || vma.has(VM_SHARED))) {
      // vma_to_resize, 5.7 to 5.12: MREMAP_DONTUNMAP only for private anonymous memory.
      throw MmException.of(Errno.EINVAL, "mremap(MREMAP_DONTUNMAP): %s is not private anonymous memory; "
          + "other mappings may use it from Linux 5.13 (this is %s)", vma, m.kernelConfig);
    }
    if (dontunmap && vma.has(VM_DONTEXPAND | VM_PFNMAP)) {
      throw MmException.of(Errno.EINVAL, "mremap(MREMAP_DONTUNMAP): %s is VM_DONTEXPAND or VM_PFNMAP", vma);
    }
    checkResize(p, vma, addr, oldLen, newLen, flags);
    long to = newAddr;
    if ((flags & Mman.MREMAP_FIXED) == 0 && (newAddr < Mm.MMAP_MIN_ADDR || !mm.intersecting(newAddr, newAddr + newLen).isEmpty())) {
      // get_unmapped_area without MAP_FIXED: the address is a hint, taken only where it is free.
      to = mm.getUnmappedArea(newLen);
      if (to < 0) {
        throw MmException.of(Errno.ENOMEM, "mremap: no gap of 0x%x bytes left in the address space", newLen);
      }
    }
    return moveVma(p, vma, addr, oldLen, to, newLen, flags);
  }

  /** vma_to_resize (remap_is_valid): the range must lie in one VMA; growing needs a VMA that may grow and the room to lock it. */
  private void checkResize(Process p, Vma vma, long addr, long oldLen, long newLen, int flags) {
    if (oldLen > vma.end - addr) {
      throw MmException.of(Errno.EFAULT, "mremap: [0x%x, 0x%x) runs past the end of %s: mremap works within one mapping", addr,
          addr + oldLen, vma);
    }
    if (newLen == oldLen) {
      return;
    }
    if (vma.has(VM_DONTEXPAND | VM_PFNMAP)) {
      throw MmException.of(Errno.EFAULT, "mremap: %s is VM_DONTEXPAND or VM_PFNMAP and cannot grow", vma);
    }
    long delta = (newLen - oldLen) >>> Page.PAGE_SHIFT;
    if (vma.has(VM_LOCKED) && !m.mlock.futureLockOk(p, delta)) {
      throw MmException.of(Errno.EAGAIN, "mremap: %d more locked pages would exceed RLIMIT_MEMLOCK (%d bytes, %d pages locked)",
          delta, p.memlockLimit(), p.mm.lockedVm);
    }
    checkEnoughMemory(vma, (flags & Mman.MREMAP_DONTUNMAP) != 0 ? newLen >>> Page.PAGE_SHIFT : delta);
  }

  /** security_vm_enough_memory_mm for an accounted VMA, under OVERCOMMIT_GUESS: no more than RAM plus swap at once. */
  private void checkEnoughMemory(Vma vma, long pages) {
    long total = m.overcommitPages();
    if (vma.has(VM_ACCOUNT) && pages > total) {
      throw MmException.of(Errno.ENOMEM, "mremap: %d more pages exceed the machine's RAM plus swap (%d pages)", pages, total);
    }
  }

  /**
   * move_vma: copy_vma makes the new VMA (same anon_vmas, the same vm_pgoff for the moved pages),
   * move_page_tables carries the PTEs over, then the old range is unmapped (do_vmi_munmap finds
   * nothing left to zap) or, with MREMAP_DONTUNMAP, left mapped and empty.
   */
  private long moveVma(Process p, Vma vma, long addr, long oldLen, long newAddr, long newLen, int flags) {
    Mm mm = p.mm;
    boolean dontunmap = (flags & Mman.MREMAP_DONTUNMAP) != 0;
    if (dontunmap) {
      checkEnoughMemory(vma, newLen >>> Page.PAGE_SHIFT);
    }
    long pgoff = vma.pgoff + ((addr - vma.start) >>> Page.PAGE_SHIFT);
    Vma moved = new Vma(mm, newAddr, newAddr + newLen, vma.flags, vma.file, vma.device, pgoff, vma.name);
    // anon_vma_clone: the new VMA is on every anon_vma the old one is, so the rmap finds the moved pages.
    moved.anonVma = vma.anonVma;
    // vm_area_dup: a hugetlb VMA's copy shares its resv_map.
    moved.hugetlbResv = vma.hugetlbResv;
    moved.chain.addAll(vma.chain);
    for (AnonVma av : vma.chain) {
      av.vmas.add(moved);
    }
    mm.insert(moved);
    movePageTables(mm, addr >>> Page.PAGE_SHIFT, newAddr >>> Page.PAGE_SHIFT, oldLen >>> Page.PAGE_SHIFT);
    // vm_stat_account: the new VMA's pages, locked ones charged to locked_vm.
    if (vma.has(VM_LOCKED)) {
      mm.lockedVm += newLen >>> Page.PAGE_SHIFT;
    }
    if (dontunmap) {
      dontunmapComplete(mm, vma, addr, oldLen);
    } else {
      m.mmap.unmapRange(mm, addr, addr + oldLen);
    }
    Vma merged = mm.mergeNeighbours(moved, m);
    if (merged.has(VM_LOCKED) && newLen > oldLen) {
      m.mmapLocks.downgrade(mm.id);
      m.mmap.populate(mm, newAddr + oldLen, newAddr + newLen);
    }
    return newAddr;
  }

  /**
   * move_page_tables: each PTE of the old range, present or a swap entry, moves to the new address
   * unchanged; the old range is invalidated for notifiers and flushed once. A PMD mapping whose 2 MiB
   * lines up with a whole PMD at the new address moves whole, still a THP mapped by a PMD
   * (move_huge_pmd, where get_extent gives HPAGE_PMD_SIZE); any other is split first (split_huge_pmd)
   * and its PTEs move.
   */
  private void movePageTables(Mm mm, long oldVpn, long newVpn, long pages) {
    long end = oldVpn + pages;
    java.util.Set<Long> whole = new java.util.HashSet<>();
    for (long vpn = Thp.hugeStart(oldVpn); vpn < end; vpn += Thp.HPAGE_PMD_NR) {
      if (movesWhole(mm, vpn, oldVpn, newVpn, end)) {
        whole.add(vpn);
      } else {
        m.thp.splitAll(mm, Math.max(vpn, oldVpn), Math.min(vpn + Thp.HPAGE_PMD_NR, end));
      }
    }
    m.notifiers.invalidate(mm, oldVpn, end, MmuNotifierEvent.UNMAP);
    long moved = 0;
    for (long i = 0; i < pages; ) {
      long from = oldVpn + i;
      if (whole.contains(from)) {
        long[] leaf = mm.pgtable.leaf(from, false);
        // The destination's PMD is none: free_pgtables released any empty PTE page an earlier unmap left there.
        mm.pgtable.freeIfEmpty(newVpn + i);
        mm.pgtable.clearPmd(from);
        mm.pgtable.setPmd(newVpn + i, leaf);
        moved += Thp.HPAGE_PMD_NR;
        i += Thp.HPAGE_PMD_NR;
        continue;
      }
      long pte = mm.pgtable.get(from);
      if (pte != 0) {
        mm.pgtable.set(newVpn + i, pte);
        mm.pgtable.set(from, 0);
        moved++;
      }
      i++;
    }
    if (moved > 0) {
      m.tlb.flush(mm, oldVpn, end);
    }
  }

  /**
   * Whether the PMD mapping at {@code vpn} (if there is one) moves whole: it starts a 2 MiB block
   * that lies wholly in the range, its new address starts one too, and nothing is mapped there.
   */
  private static boolean movesWhole(Mm mm, long vpn, long oldVpn, long newVpn, long end) {
    long to = newVpn + (vpn - oldVpn);
    if (vpn < oldVpn || vpn != Thp.hugeStart(vpn) || to != Thp.hugeStart(to) || vpn + Thp.HPAGE_PMD_NR > end) {
      return false;
    }
    long[] leaf = mm.pgtable.leaf(vpn, false);
    if (leaf == null || !PageTable.isPmd(leaf)) {
      return false;
    }
    long[] there = mm.pgtable.leaf(to, false);
    if (there != null) {
      for (long e : there) {
        if (e != 0) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * dontunmap_complete: the old VMA (the whole of it, as the kernel does) loses VM_LOCKED and
   * VM_ACCOUNT, and its anon_vma links if all of it moved. locked_vm is not touched, so the pages
   * it charged for the old VMA stay charged with no locked VMA behind them.
   */
  private void dontunmapComplete(Mm mm, Vma vma, long addr, long len) {
    if (vma.has(VM_LOCKED)) {
      mm.unaccountedLocked -= vma.pages();
    }
    vma.flags &= ~(VM_LOCKED_MASK | VM_ACCOUNT);
    if (addr == vma.start && addr + len == vma.end) {
      for (AnonVma av : vma.chain) {
        av.vmas.remove(vma);
        m.rmap.anonVmaUnused(av);
      }
      vma.chain.clear();
      vma.anonVma = null;
    }
    // Pages left in the rest of the VMA are no longer in a locked VMA: munlocked as reclaim would find them.
    for (long vpn = vma.startVpn(); vpn < vma.endVpn(); vpn++) {
      long pte = mm.pgtable.get(vpn);
      if (Pte.present(pte) && !Pte.special(pte)) {
        m.mlock.munlockIfUnlocked(Pte.pfn(pte));
      }
    }
    mm.mergeNeighbours(vma, m);
  }
}
