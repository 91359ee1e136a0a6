package org.userptrlab.strategy.mlock;

import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.Kernel;
import org.userptrlab.core.spi.ImportNote;
import com.google.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.userptrlab.core.spi.Contract;
import org.userptrlab.core.support.HeldPages;
import org.userptrlab.core.support.KernelStrategy;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.core.spi.UserptrRequest;
import org.userptrlab.mm.Capability;
import org.userptrlab.mm.Foll;
import org.userptrlab.mm.PageRefs;
import org.userptrlab.mm.Process;
import org.userptrlab.mm.Vma;

/**
 * The Exynos userptr patch (v3) of the seed thread: set VM_LOCKED on every VMA the range touches,
 * whole, so that its pages are not swapped out; get_user_pages (write, force) on the range; keep
 * the pages until the object is destroyed, then clear VM_LOCKED again. It neither checks
 * RLIMIT_MEMLOCK nor charges locked_vm, and nothing stops the program from munlocking.
 */
public final class MlockStrategy extends KernelStrategy {
  public static final String NAME = "mlock";

  @Inject
  MlockStrategy(Kernel kernel, KernelConfig kernelConfig) {
    super(NAME, Contract.COHERENT, kernel, kernelConfig);
  }



  @Override
  public UserptrBacking importRange(UserptrRequest r) {
    Process p = r.process();
    List<long[]> vmas = new ArrayList<>();
    long lockedPages = 0;
    for (long a = r.firstPage(); a < r.end(); ) {
      Vma v = p.vma(a);
      vmas.add(new long[] {v.start(), v.end()});
      lockedPages += v.size() >>> 12;
      a = v.end();
    }
    List<ImportNote> notes = new ArrayList<>();
    long limitPages = p.memlockLimit() >>> 12;
    if (!p.capable(Capability.CAP_IPC_LOCK) && p.lockedVm() + lockedPages > limitPages) {
      notes.add(new ImportNote(ImportNote.Kind.RLIMIT_NOT_CHECKED, "RLIMIT_MEMLOCK not checked: locked " + lockedPages + " pages, the limit is " + limitPages
          + " pages (process has no CAP_IPC_LOCK)"));
    }
    if (lockedPages > r.pageCount()) {
      notes.add(new ImportNote(ImportNote.Kind.WHOLE_VMA_LOCKED, "whole VMAs locked: " + lockedPages + " pages for a range of " + r.pageCount()));
    }
    PageRefs pages = kernel.getUserPagesAll(p, r.firstPage(), r.pageCount(), Foll.FOLL_WRITE | Foll.FOLL_FORCE);
    for (long[] v : vmas) {
      kernel.setVmLockedUnaccounted(p, v[0], v[1] - v[0], true);
    }
    Runnable unlock = () -> {
      if (p.alive()) {
        for (long a = r.firstPage(); a < r.end(); ) {
          Vma v = p.vma(a);
          if (v == null) {
            a += 4096;
            continue;
          }
          kernel.setVmLockedUnaccounted(p, v.start(), v.size(), false);
          a = v.end();
        }
      }
    };
    return new HeldPages(pages.pfns(), r.offsetInPage(), r.size(), List.of(pages), notes, unlock);
  }
}
