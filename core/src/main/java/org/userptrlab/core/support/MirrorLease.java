package org.userptrlab.core.support;

import org.userptrlab.core.spi.GpuLease;
import org.userptrlab.mm.Kernel;

/**
 * A job's pages from a mirror that holds none: the frames it looked up, which a GPU that can take
 * page faults looks up again when an invalidation dropped them while the job ran. Closing the lease
 * dirties the frames the job wrote (set_page_dirty_lock), as a driver does at the job's end.
 */
public abstract class MirrorLease implements GpuLease {
  private final Kernel kernel;
  private final long offset;
  private final long size;
  private int[] frames;
  private boolean dirty;
  private boolean closed;

  protected MirrorLease(Kernel kernel, int[] frames, long offset, long size) {
    this.kernel = kernel;
    this.frames = frames;
    this.offset = offset;
    this.size = size;
  }

  /** The frames faulted in again for a job whose pages an invalidation dropped while it ran; null where its frames still stand. */
  protected abstract int[] refaulted();

  @Override
  public final int[] frames() {
    if (!closed) {
      int[] again = refaulted();
      if (again != null) {
        frames = again;
      }
    }
    return frames;
  }

  @Override
  public final long offset() {
    return offset;
  }

  @Override
  public final long size() {
    return size;
  }

  @Override
  public final void markDirty() {
    dirty = true;
  }

  @Override
  public final void close() {
    if (!closed) {
      closed = true;
      if (dirty) {
        kernel.setPagesDirty(frames);
      }
    }
  }
}
