package org.userptrlab.mm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * mm_struct: one address space, its VMAs (kept sorted by start, as the maple tree), its page
 * tables and its accounting. The VMA operations here mirror mm/vma.c and mm/mmap.c.
 */
final class Mm {
  /** x86-64 TASK_SIZE_MAX with 4-level paging: the top of user space, less a guard page. */
  static final long TASK_SIZE = 0x7fff_ffff_f000L;
  /** vm.mmap_min_addr's usual value. */
  static final long MMAP_MIN_ADDR = 0x10000L;
  /** Where brk starts and mmap searches down from, as a PIE process with ASLR off. */
  static final long START_BRK = 0x5555_5555_9000L;
  static final long MMAP_BASE = 0x7fff_f7ff_f000L;

  final int id;
  final TreeMap<Long, Vma> vmas = new TreeMap<>();
  final PageTable pgtable = new PageTable();
  long startBrk = START_BRK;
  long brk = START_BRK;
  /** mm->mmap_base: where top-down mmap placement starts. */
  long mmapBase = MMAP_BASE;
  /** mm->rss_stat, in pages (get_mm_counter): MM_FILEPAGES, MM_ANONPAGES, MM_SHMEMPAGES, indexed by {@link Rmap#mmCounter}. */
  final long[] rss = new long[3];
  /** mm->locked_vm, mm->pinned_vm, mm->total_vm, in pages. */
  long lockedVm;
  long pinnedVm;
  long totalVm;
  /**
   * Pages of VM_LOCKED VMAs that a driver locked without charging locked_vm (the 2012 Exynos
   * patch): the difference between what mlock accounting says and what is really locked.
   */
  long unaccountedLocked;
  /** mm->def_flags: VM_LOCKED (and VM_LOCKONFAULT) after mlockall(MCL_FUTURE). */
  int defFlags;
  /** MMF_HAS_PINNED: set by the first FOLL_PIN, consulted by fork (5.11+). */
  boolean hasPinned;
  /**
   * Whether a device-private entry was ever set in these page tables (the model's own flag): walks
   * that only change such entries skip an address space that never had one.
   */
  boolean hadDevicePrivate;
  /** mm_cpumask: the CPUs this address space is live on. */
  long cpumask;
  /** The CPU of the owning process's main thread, -1 for none: live during the process's own calls, lazy between them (see {@link Tlb}). */
  int mainCpu = -1;
  /** The machine's THP code, which a VMA split asks to split a PMD mapping across the new boundary (vma_adjust_trans_huge). */
  final Thp thp;

  /** The machine's counters, which count each VMA put into the tree or taken out of it. */
  private final VmStat vmstat;

  Mm(int id, long cpumask, Thp thp, VmStat vmstat) {
    this.id = id;
    this.cpumask = cpumask;
    this.thp = thp;
    this.vmstat = vmstat;
  }

  /** find_vma_intersection(addr, addr + 1): the VMA containing addr, or null. */
  Vma find(long addr) {
    Map.Entry<Long, Vma> e = vmas.floorEntry(addr);
    return e != null && e.getValue().end > addr ? e.getValue() : null;
  }

  /** The VMAs intersecting [start, end), in address order. */
  List<Vma> intersecting(long start, long end) {
    List<Vma> out = new ArrayList<>();
    Map.Entry<Long, Vma> first = vmas.floorEntry(start);
    Long from = first != null && first.getValue().end > start ? first.getKey() : vmas.ceilingKey(start);
    if (from == null) {
      return out;
    }
    for (Vma v : vmas.tailMap(from, true).values()) {
      if (v.start >= end) {
        break;
      }
      out.add(v);
    }
    return out;
  }

  /** Whether [start, end) is covered by VMAs with no hole. */
  /**
   * The end of the run of VMAs that starts at {@code start} with no gap, capped at {@code end};
   * {@code start} itself when no VMA holds it.
   */
  long mappedRunEnd(long start, long end) {
    long next = start;
    for (Vma v : intersecting(start, end)) {
      if (v.start > next) {
        break;
      }
      next = v.end;
    }
    return Math.min(next, end);
  }

  boolean fullyMapped(long start, long end) {
    long next = start;
    for (Vma v : intersecting(start, end)) {
      if (v.start > next) {
        return false;
      }
      next = v.end;
    }
    return next >= end;
  }

  Vma prev(Vma v) {
    Map.Entry<Long, Vma> e = vmas.lowerEntry(v.start);
    return e == null ? null : e.getValue();
  }

  Vma next(Vma v) {
    Map.Entry<Long, Vma> e = vmas.higherEntry(v.start);
    return e == null ? null : e.getValue();
  }

  /** hugetlb_get_unmapped_area: the highest gap that holds {@code len} bytes at an {@code align}-aligned address, or -1. */
  long getUnmappedArea(long len, long align) {
    long gapEnd = mmapBase;
    long lowest = Math.max(MMAP_MIN_ADDR, Page.align(brk));
    for (Vma v : vmas.descendingMap().values()) {
      if (v.start >= gapEnd) {
        continue;
      }
      long start = (gapEnd - len) & -align;
      if (start >= v.end && start >= lowest) {
        return start;
      }
      gapEnd = v.start;
    }
    long start = (gapEnd - len) & -align;
    return start >= lowest && gapEnd >= len ? start : -1;
  }

  /** arch_get_unmapped_area_topdown: the highest gap of {@code len} bytes below the mmap base, or -1. */
  long getUnmappedArea(long len) {
    long gapEnd = mmapBase;
    for (Vma v : vmas.descendingMap().values()) {
      if (v.start >= gapEnd) {
        continue;
      }
      if (gapEnd - v.end >= len) {
        return gapEnd - len;
      }
      gapEnd = v.start;
    }
    long lowest = Math.max(MMAP_MIN_ADDR, Page.align(brk));
    return gapEnd - len >= lowest ? gapEnd - len : -1;
  }

  /** A PMD's span on x86-64, what __thp_get_unmapped_area aligns to. */
  private static final long PMD_SIZE = (long) Thp.HPAGE_PMD_NR << Page.PAGE_SHIFT;

  /**
   * __get_unmapped_area for private anonymous memory asked for at no address: a mapping long enough
   * for THPs goes at a PMD boundary (from 6.7 one of a PMD or more, from 6.12 only a multiple of one),
   * else, or where no gap holds the padding, where arch_get_unmapped_area_topdown puts it.
   */
  long getUnmappedAreaAnon(long len, KernelGate kernel) {
    boolean aligned = kernel.has(KernelChange.THP_ALIGN_ANON)
        && (kernel.has(KernelChange.THP_ALIGN_PMD_SIZED) ? (len & (PMD_SIZE - 1)) == 0 : len >= PMD_SIZE);
    if (aligned) {
      // __thp_get_unmapped_area: a gap for the length plus a PMD, then up to the first boundary in it; from 6.8 a
      // padded gap that starts at a boundary already gives its top, so that top-down placement stays packed.
      long ret = getUnmappedArea(len + PMD_SIZE);
      if (ret >= 0) {
        long offSub = -ret & (PMD_SIZE - 1);
        return offSub == 0 && kernel.has(KernelChange.THP_ALIGN_TOPDOWN) ? ret + PMD_SIZE : ret + offSub;
      }
    }
    return getUnmappedArea(len);
  }

  void insert(Vma v) {
    vmstat.count(VmEvent.VMA_CHANGES);
    vmas.put(v.start, v);
    if (v.file != null) {
      v.file.mmaps.add(v);
    }
    totalVm += v.pages();
  }

  /** Takes the VMA out of the tree and the rmap (unlink_anon_vmas, unlink_file_vma). */
  void remove(Vma v, Machine m) {
    vmstat.count(VmEvent.VMA_CHANGES);
    vmas.remove(v.start);
    for (AnonVma av : v.chain) {
      av.vmas.remove(v);
      m.rmap.anonVmaUnused(av);
    }
    v.chain.clear();
    if (v.file != null) {
      v.file.mmaps.remove(v);
      m.fileUnmapped(v.file);
    }
    totalVm -= v.pages();
  }

  /** vma_expand: {@code v} grows in place to {@code newEnd}, the tree storing it anew (a VMA change as an insert is). */
  void expand(Vma v, long newEnd) {
    vmstat.count(VmEvent.VMA_CHANGES);
    totalVm += (newEnd - v.end) >>> Page.PAGE_SHIFT;
    v.end = newEnd;
  }

  /** __split_vma: cuts {@code v} at {@code addr}; returns the upper part, now its own VMA. */
  Vma split(Vma v, long addr) {
    if (thp != null) {
      thp.splitAt(this, addr);
    }
    Vma upper = new Vma(this, addr, v.end, v.flags, v.file, v.device,
        v.pgoff + ((addr - v.start) >>> Page.PAGE_SHIFT), v.name);
    upper.forkCopy = v.forkCopy;
    upper.hugetlbResv = v.hugetlbResv;
    upper.anonVma = v.anonVma;
    upper.chain.addAll(v.chain);
    for (AnonVma av : v.chain) {
      av.vmas.add(upper);
    }
    v.end = addr;
    vmstat.count(VmEvent.VMA_CHANGES);
    vmas.put(upper.start, upper);
    if (v.file != null) {
      v.file.mmaps.add(upper);
    }
    return upper;
  }

  /**
   * vma_modify: the part of {@code v} inside [start, end), split off at the range's edges. Callers
   * ask first whether the VMA's flags would change at all (mlock_fixup, mprotect_fixup and
   * madvise_update_vma return early when they would not), so an unchanged VMA is never split.
   */
  Vma isolate(Vma v, long start, long end) {
    Vma inside = v.start < start ? split(v, start) : v;
    if (inside.end > end) {
      split(inside, end);
    }
    return inside;
  }

  /**
   * Splits VMAs so that [start, end) begins and ends on VMA boundaries; returns the VMAs now
   * exactly inside it. The caller has checked that the split is wanted.
   */
  List<Vma> splitTo(long start, long end) {
    Vma first = find(start);
    if (first != null && first.start < start) {
      split(first, start);
    }
    Vma last = find(end - 1);
    if (last != null && last.end > end) {
      split(last, end);
    }
    return intersecting(start, end);
  }

  /**
   * is_mergeable_vma and is_mergeable_anon_vma: {@code a} ends where {@code b} starts, the flags
   * are equal, the file and offsets continue (vm_pgoff, anonymous memory's too: a VMA mremap moved keeps its own), and the anon_vmas are the same or one is absent
   * while the other belongs to no fork family (list_is_singular of its anon_vma_chain).
   */
  static boolean canMerge(Vma a, Vma b) {
    if (a.end != b.start || a.flags != b.flags || a.file != b.file || a.device != b.device) {
      return false;
    }
    if (a.pgoff + a.pages() != b.pgoff) {
      return false;
    }
    if (a.anonVma == b.anonVma) {
      return true;
    }
    if (a.anonVma == null) {
      return b.chain.size() == 1;
    }
    return b.anonVma == null && a.chain.size() == 1;
  }

  /** vma_merge after a change to {@code v}: joins it with compatible neighbours; returns the VMA that now holds it. */
  Vma mergeNeighbours(Vma v, Machine m) {
    v.forkCopy = false;
    Vma next = next(v);
    if (next != null && canMerge(v, next)) {
      absorb(v, next, m);
    }
    Vma prev = prev(v);
    if (prev != null && canMerge(prev, v)) {
      absorb(prev, v, m);
      return prev;
    }
    return v;
  }

  /** Extends {@code a} over {@code b} and drops {@code b} (vma_expand, then the removal of the merged VMA). */
  private void absorb(Vma a, Vma b, Machine m) {
    if (a.anonVma == null && b.anonVma != null) {
      a.anonVma = b.anonVma;
      a.chain.addAll(b.chain);
      for (AnonVma av : b.chain) {
        av.vmas.add(a);
      }
    }
    long bPages = b.pages();
    remove(b, m);
    a.end = b.end;
    totalVm += bPages;
  }
}
