package org.userptrlab.lab.scenarios;

import java.util.List;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.harness.ScenarioRun;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.Process;
import org.userptrlab.mm.SignalException;

/**
 * What the harness observes of a process's memory for a program's report lines, and free(3): each
 * finding is a hazard of the run. A graphics program's reports know the ranges it imported; a
 * process made by {@code spawn} that holds no DRM file imported nothing, and its reports about an
 * import find none.
 */
final class ProcessReports {
  private final ScenarioRun run;
  private final Machine m;
  /** Every range imported, {address, size}, live or not: what the report lines about an object's pages are about. */
  private final List<long[]> imported;

  ProcessReports(ScenarioRun run, List<long[]> imported) {
    this.run = run;
    this.m = run.machine();
    this.imported = imported;
  }

  /** free(3) in {@code q} (the program or one of its children). */
  boolean free(Process q, long ptr) {
    try {
      q.free(ptr);
      return true;
    } catch (SignalException e) {
      run.hazard(HazardKind.FREE_ABORTED, "free() aborted: " + e.getMessage());
      return false;
    }
  }

  /** How many pages of [addr, addr + len) of {@code q} are swapped out right now. */
  static int swappedPages(Process q, long addr, long len) {
    return countPages(q, addr, len, q::swappedOut);
  }

  /** The pages of [addr, addr + len) some VMA maps for which {@code page} holds, by their address. */
  private static int countPages(Process q, long addr, long len, java.util.function.LongPredicate page) {
    int n = 0;
    for (org.userptrlab.mm.Vma v : q.vmas()) {
      for (long a = Math.max(addr & -4096L, v.start()), end = Math.min(end(addr, len), v.end()); a < end; a += 4096) {
        n += page.test(a) ? 1 : 0;
      }
    }
    return n;
  }

  /** Pages of [addr, addr + len) that some VMA maps: only those can be in memory or swapped out. */
  static long mappedPages(Process q, long addr, long len) {
    long n = 0;
    for (org.userptrlab.mm.Vma v : q.vmas()) {
      long from = Math.max(addr & -4096L, v.start());
      long to = Math.min(end(addr, len), v.end());
      n += from < to ? (((to + 4095) & -4096L) - from) >>> 12 : 0;
    }
    return n;
  }

  /** The end of a range; a length that would wrap it around (a program may write any) runs to the top of the address space. */
  static long end(long addr, long len) {
    long end = addr + len;
    return len >= 0 && end < addr ? Long.MAX_VALUE : end;
  }

  private static long pages(long addr, long len) {
    long last = Math.min(end(addr, len), Long.MAX_VALUE - 4095);
    return (((last + 4095) & -4096L) - (addr & -4096L)) >>> 12;
  }

  /** Pages of the range the process has in memory ({@link Process#resident}): a page never faulted in is not one. */
  static int residentPages(Process q, long addr, long len) {
    return countPages(q, addr, len, q::resident);
  }

  /** Pages of the range still in memory after reclaim: more than 16 is a hazard. */
  void reportResident(Process q, long addr, long len) {
    long pages = mappedPages(q, addr, len);
    long stayed = residentPages(q, addr, len);
    if (stayed > 16) {
      run.hazard(HazardKind.PAGES_UNRECLAIMABLE, stayed + " of the " + pages + " pages of the range could not be reclaimed");
    }
  }

  /** For an import of [addr, addr + len): more pages VM_LOCKED than it holds means a whole VMA was locked for it. */
  void reportVmaLocked(Process q, long addr, long len) {
    long locked = lockedVmaPages(q);
    if (locked > pages(addr, len)) {
      run.hazard(HazardKind.WHOLE_VMA_LOCKED, String.format("%d pages are VM_LOCKED for a %d-page import", locked, pages(addr, len)));
    }
  }

  /** RLIMIT_MEMLOCK as mlock and a pinning driver should have applied it to a process without CAP_IPC_LOCK. */
  void reportMemlock(Process q) {
    if (q.capable(org.userptrlab.mm.Capability.CAP_IPC_LOCK)) {
      return;
    }
    long limit = q.memlockLimit() >>> 12;
    long locked = lockedVmaPages(q);
    if (locked > limit) {
      run.hazard(HazardKind.RLIMIT_MEMLOCK_BYPASS, String.format("%d pages are VM_LOCKED past RLIMIT_MEMLOCK of %d pages, "
          + "%d of them charged to locked_vm", locked, limit, q.lockedVm()));
    }
    if (q.pinnedVm() > limit) {
      run.hazard(HazardKind.PINNED_VM_OVER_LIMIT, "pinned_vm of " + q.pinnedVm() + " pages is over RLIMIT_MEMLOCK of " + limit);
    }
  }

  /**
   * locked_vm below zero: mlock_fixup subtracted pages a driver locked without charging them. The
   * process then asks do_mlock for more than RLIMIT_MEMLOCK: locked_vm is compared unsigned, so a
   * request of at least the wrapped amount comes back around, up to the limit on top of it.
   */
  void reportLockedVm(Process q) {
    long lockedVm = q.lockedVm();
    if (lockedVm >= 0) {
      return;
    }
    long limit = q.memlockLimit() >>> 12;
    long over = (limit - lockedVm) << 12;
    // The probe observes: where its mapping cannot be had (more than RAM and swap, as with a high
    // RLIMIT_MEMLOCK), the wrap is reported without trying the mlock, and nothing changes.
    String outcome;
    long extra;
    try {
      extra = q.mmap(0, over, org.userptrlab.mm.Mman.PROT_READ | org.userptrlab.mm.Mman.PROT_WRITE,
          org.userptrlab.mm.Mman.MAP_PRIVATE | org.userptrlab.mm.Mman.MAP_ANONYMOUS);
    } catch (org.userptrlab.mm.MmException e) {
      run.hazard(HazardKind.LOCKED_VM_WRAPPED, String.format("locked_vm is %s pages (%d below zero, wrapped); an mlock of %d pages, "
          + "over RLIMIT_MEMLOCK of %d, was not tried: a mapping that large is refused here (%s)", Long.toUnsignedString(lockedVm),
          -lockedVm, limit - lockedVm, limit, e.errno()));
      return;
    }
    try {
      q.mlock(extra, over);
      outcome = "succeeds";
    } catch (org.userptrlab.mm.MmException e) {
      outcome = "fails (" + e.getMessage() + ")";
    }
    run.hazard(HazardKind.LOCKED_VM_WRAPPED, String.format("locked_vm is %s pages (%d below zero, wrapped); an mlock of %d pages, "
        + "over RLIMIT_MEMLOCK of %d, then %s", Long.toUnsignedString(lockedVm), -lockedVm, limit - lockedVm, limit, outcome));
    q.munmap(extra, over);
  }

  /** The VMAs of the brk heap. */
  static int heapVmas(Process q) {
    int n = 0;
    for (org.userptrlab.mm.Vma v : q.vmas()) {
      if (v.start() >= q.heapStart() && v.end() <= ((q.currentBrk() + 4095) & -4096L) && v.isAnonymous()) {
        n++;
      }
    }
    return n;
  }

  /** The heap spans more VMAs than {@code before}: brk could not extend the VMA below the break. */
  void reportHeapSplit(Process q, long before) {
    int after = heapVmas(q);
    if (after > before) {
      run.hazard(HazardKind.HEAP_SPLIT, "the heap grew as " + after + " VMAs instead of " + before
          + ": brk could not extend the imported buffer's VMA");
    }
  }

  /** Pages of {@code q}'s VMAs that carry VM_LOCKED, charged to locked_vm or not. */
  static long lockedVmaPages(Process q) {
    long n = 0;
    for (org.userptrlab.mm.Vma v : q.vmas()) {
      if (v.has(org.userptrlab.mm.VmFlags.VM_LOCKED)) {
        n += v.size() >>> 12;
      }
    }
    return n;
  }

  /** Whether an import (live or not) covered part of [addr, addr + size): a range no object shared has no object's hazard. */
  private boolean imported(long addr, long size) {
    for (long[] r : imported) {
      if (addr < r[0] + r[1] && r[0] < addr + size) {
        return true;
      }
    }
    return false;
  }

  /**
   * How many pages of the imported range left the program for swap while the object lived: a
   * hazard only for a strategy whose object is the program's own memory (COHERENT) and holds it
   * (a notifier's mirror holds nothing: swap-out only invalidates it).
   */
  void reportSwapped(Process q, long buf, long size) {
    if (!run.strategy().contract().promises(org.userptrlab.core.spi.Promise.GPU_SEES_LATER_CPU_WRITES) || !run.strategy().holdsPages()
        || !imported(buf, size)) {
      return;
    }
    int out = swappedPages(q, buf, size);
    long pages = pages(buf, size);
    if (out > 0) {
      run.hazard(HazardKind.SWAPPED_WHILE_HELD, out + " of the " + pages + " pages the object shares with the program were swapped out while it lived");
    }
  }

  /**
   * For a strategy that shares the program's pages: a reference or a pin of a page holds its whole folio
   * (the refcount is the folio's), which can then be neither split nor migrated nor reclaimed. Where the
   * folios the range's pages belong to hold more pages than the range, that is a hazard, with what was
   * charged (pinned_vm and locked_vm count the range's pages).
   */
  void reportHeld(Process q, long buf, long size) {
    if (!run.strategy().holdsPages() || !imported(buf, size)) {
      return;
    }
    // Before 4.5 (53f9263baba6) split_huge_page could not fail: the references on a THP's pages went to the pages, so a
    // held page kept only itself; a hugetlb page is held whole on every kernel.
    boolean thpHeldWhole = m.kernelConfig().has(org.userptrlab.mm.KernelChange.THP_PTE_MAPPED);
    java.util.Set<Integer> folios = new java.util.HashSet<>();
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    long held = 0;
    long large = 0;
    long last = Math.min(end(buf, size), Long.MAX_VALUE - 4095);
    for (long page = buf & -4096L; page < last; page += 4096) {
      long pfn = q.pagemap(page);
      if (pfn <= 0 || pfn >= m.totalPages()) {
        continue;
      }
      // Each folio once: what is asked of it is the folio's (its count, its mappings, its flags).
      int folio = m.folio((int) pfn);
      if (!seen.add(folio)) {
        continue;
      }
      // The huge zeropage is no one's to hold (reserved); a folio with no reference beyond its mappings is held by no one.
      if (m.folioHeld(folio) && (thpHeldWhole || m.folioHugetlb(folio)) && folios.add(folio)) {
        int nr = m.folioNrPages(folio);
        held += nr;
        large += nr > 1 ? 1 : 0;
      }
    }
    long pages = pages(buf, size);
    if (large > 0 && held > pages) {
      run.hazard(HazardKind.LARGE_FOLIO_HELD, String.format("the import of %d page%s at 0x%x holds %d pages: %d large folio%s, none of which "
          + "can be split, migrated or reclaimed while the object lives (%d pages charged to pinned_vm, %d to locked_vm)", pages,
          pages == 1 ? "" : "s", buf, held,
          large, large == 1 ? "" : "s", q.pinnedVm(), q.lockedVm()));
    }
  }
}
