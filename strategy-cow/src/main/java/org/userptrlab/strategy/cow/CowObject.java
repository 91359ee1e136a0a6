package org.userptrlab.strategy.cow;

import org.userptrlab.core.spi.ImportNote;
import java.util.List;
import org.userptrlab.core.support.FixedLease;
import org.userptrlab.core.spi.GpuAccess;
import org.userptrlab.core.spi.GpuLease;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.mm.Kernel;
import org.userptrlab.mm.PageRefs;

/**
 * The object of a COW import. Its pages are still mapped, read-only, by the program (and any
 * child), so a GPU write must not go to them: the first job that writes gives the object private
 * copies first (a COW break on the device side) and lets go of the shared pages, once no job still
 * running reads them (a driver puts a backing store only when the object's fences have signalled).
 */
final class CowObject implements UserptrBacking {
  /** The references the object holds on one set of pages, and the jobs running on them. */
  private static final class Backing {
    final PageRefs refs;
    int jobs;
    boolean dropped;

    Backing(PageRefs refs) {
      this.refs = refs;
    }

    /** Lets go of the pages, now or when the last job on them ends. */
    void drop() {
      dropped = true;
      if (jobs == 0) {
        refs.release();
      }
    }

    void jobEnded() {
      if (--jobs == 0 && dropped) {
        refs.release();
      }
    }
  }

  private final Kernel kernel;
  private final long offset;
  private final long size;
  private final List<ImportNote> notes;
  private Backing pages;
  private boolean privateCopy;

  CowObject(Kernel kernel, PageRefs shared, long offset, long size, List<ImportNote> notes) {
    this.kernel = kernel;
    this.pages = new Backing(shared);
    this.offset = offset;
    this.size = size;
    this.notes = notes;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public GpuLease pin(GpuAccess access) {
    if (access == GpuAccess.WRITE && !privateCopy) {
      PageRefs shared = pages.refs;
      PageRefs own = kernel.allocPages(shared.size());
      kernel.copyFrames(own.pfns(), 0, shared.pfns(), 0, (long) shared.size() << 12);
      pages.drop();
      pages = new Backing(own);
      privateCopy = true;
    }
    Backing on = pages;
    on.jobs++;
    return new FixedLease(on.refs.pfns(), offset, size, wrote -> on.jobEnded());
  }

  @Override
  public void release() {
    pages.drop();
  }

  @Override
  public List<ImportNote> notes() {
    return notes;
  }
}
