package org.userptrlab.strategy.steal;

import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.Kernel;
import org.userptrlab.core.spi.ImportNote;
import com.google.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.userptrlab.core.spi.Contract;
import org.userptrlab.core.support.HeldPages;
import org.userptrlab.core.support.KernelStrategy;
import org.userptrlab.core.support.ShmemObject;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.core.spi.UserptrRequest;
import org.userptrlab.mm.Foll;
import org.userptrlab.mm.Page;
import org.userptrlab.mm.PageRefs;
import org.userptrlab.mm.Process;
import org.userptrlab.mm.VmFlags;
import org.userptrlab.mm.Vma;

/**
 * drm_gem_from_userptr, as Jerome Glisse sketched it in the thread: get_user_pages on the range,
 * then unmap the fully covered pages so that they belong to the object (the program's range now
 * reads zero), and copy the partially covered edge pages so that the program's bytes outside the
 * range survive. A range that is not all anonymous private memory falls back to copying, as the
 * thread says it must. The object's pages are held by reference for its life, so they can be
 * neither migrated nor reclaimed.
 */
public final class StealStrategy extends KernelStrategy {
  public static final String NAME = "steal";

  @Inject
  StealStrategy(Kernel kernel, KernelConfig kernelConfig) {
    super(NAME, Contract.MOVE, kernel, kernelConfig);
  }



  @Override
  public UserptrBacking importRange(UserptrRequest r) {
    Process p = r.process();
    Vma notAnon = firstNotStealable(p, r.address(), r.end());
    if (notAnon != null) {
      return ShmemObject.copyOf(kernel, r, "steal-fallback")
          .note(ImportNote.Kind.FELL_BACK_TO_COPY, "fell back to copying: " + notAnon + " is not writable anonymous private memory");
    }
    long first = Page.down(r.address());
    long fullStart = Page.align(r.address());
    long fullEnd = Math.max(fullStart, Page.down(r.end()));
    int pages = (int) ((Page.align(r.end()) - first) >>> Page.PAGE_SHIFT);
    int stolen = (int) ((fullEnd - fullStart) >>> Page.PAGE_SHIFT);
    // A range that starts on a page boundary has no head; one that starts inside a page always has,
    // whether it ends in that page or beyond it.
    boolean head = r.address() != fullStart;
    boolean tail = pages - stolen - (head ? 1 : 0) > 0;
    int edgeCount = (head ? 1 : 0) + (tail ? 1 : 0);
    PageRefs edges = edgeCount > 0 ? kernel.allocPages(edgeCount) : null;
    PageRefs taken = null;
    try {
      if (head) {
        kernel.copyFromUser(p, r.address(), new int[] {edges.pfn(0)}, Page.offset(r.address()),
            Math.min(r.end(), fullStart) - r.address());
      }
      if (tail) {
        kernel.copyFromUser(p, fullEnd, new int[] {edges.pfn(edgeCount - 1)}, 0, r.end() - fullEnd);
      }
      if (stolen > 0) {
        // FOLL_WRITE breaks COW first, so the page taken is the process's own and no one else's.
        taken = kernel.getUserPagesAll(p, fullStart, stolen, Foll.FOLL_WRITE);
      }
    } catch (RuntimeException e) {
      // Out of memory while faulting the pages in: the edge copies go back, and nothing was taken.
      if (edges != null) {
        edges.release();
      }
      throw e;
    }
    if (taken != null) {
      kernel.zapPageRange(p, fullStart, fullEnd - fullStart);
    }
    int[] pfns = new int[pages];
    int i = 0;
    if (head) {
      pfns[i++] = edges.pfn(0);
    }
    for (int s = 0; s < stolen; s++) {
      pfns[i++] = taken.pfn(s);
    }
    if (tail) {
      pfns[i] = edges.pfn(edgeCount - 1);
    }
    List<ImportNote> notes = new ArrayList<>();
    notes.add(new ImportNote(ImportNote.Kind.STOLE_PAGES, "stole " + stolen + " pages, copied "
        + ((head ? Math.min(r.end(), fullStart) - r.address() : 0) + (tail ? r.end() - fullEnd : 0)) + " edge bytes"));
    List<PageRefs> held = new ArrayList<>();
    if (taken != null) {
      held.add(taken);
    }
    if (edges != null) {
      held.add(edges);
    }
    return new HeldPages(pfns, Page.offset(r.address()), r.size(), held, notes, () -> { });
  }

  /** Only writable anonymous private memory can be taken: its pages are the process's own after a COW break. */
  private static Vma firstNotStealable(Process p, long start, long end) {
    for (long a = Page.down(start); a < end; ) {
      Vma v = p.vma(a);
      if (!v.isAnonymous() || v.has(VmFlags.VM_SHARED) || !v.has(VmFlags.VM_WRITE)) {
        return v;
      }
      a = v.end();
    }
    return null;
  }
}
