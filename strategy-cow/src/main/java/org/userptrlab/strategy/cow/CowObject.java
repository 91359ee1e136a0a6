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
 * copies first (a COW break on the device side) and lets go of the shared pages.
 */
final class CowObject implements UserptrBacking {
  private final Kernel kernel;
  private final long offset;
  private final long size;
  private final List<ImportNote> notes;
  private PageRefs pages;
  private boolean privateCopy;

  CowObject(Kernel kernel, PageRefs shared, long offset, long size, List<ImportNote> notes) {
    this.kernel = kernel;
    this.pages = shared;
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
      PageRefs own = kernel.allocPages(pages.size());
      kernel.copyFrames(own.pfns(), 0, pages.pfns(), 0, (long) pages.size() << 12);
      pages.release();
      pages = own;
      privateCopy = true;
    }
    return new FixedLease(pages.pfns(), offset, size, wrote -> { });
  }

  @Override
  public void release() {
    pages.release();
  }

  @Override
  public List<ImportNote> notes() {
    return notes;
  }
}
