package org.userptrlab.core.support;

import org.userptrlab.core.spi.ImportNote;
import org.userptrlab.core.spi.GpuAccess;
import org.userptrlab.core.spi.GpuLease;
import org.userptrlab.core.spi.UserptrBacking;

import java.util.List;

/**
 * An object backed by frames it holds references or pins to, laid out as the imported range
 * (its first byte {@code offset} into the first frame). A GPU job needs nothing more; release
 * gives back every reference, dirtying the pages if the GPU wrote them (set_page_dirty_lock).
 */
public final class HeldPages implements UserptrBacking {
  private final int[] pfns;
  private final long offset;
  private final long size;
  private final List<org.userptrlab.mm.PageRefs> refs;
  private final List<ImportNote> notes;
  private final Runnable onRelease;
  private boolean dirty;

  public HeldPages(int[] pfns, long offset, long size, List<org.userptrlab.mm.PageRefs> refs, List<ImportNote> notes,
      Runnable onRelease) {
    this.pfns = pfns;
    this.offset = offset;
    this.size = size;
    this.refs = List.copyOf(refs);
    this.notes = List.copyOf(notes);
    this.onRelease = onRelease;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public GpuLease pin(GpuAccess access) {
    return new FixedLease(pfns, offset, size, wrote -> dirty |= wrote);
  }

  @Override
  public void release() {
    for (org.userptrlab.mm.PageRefs r : refs) {
      if (dirty) {
        r.releaseDirty();
      } else {
        r.release();
      }
    }
    onRelease.run();
  }

  @Override
  public List<ImportNote> notes() {
    return notes;
  }
}
