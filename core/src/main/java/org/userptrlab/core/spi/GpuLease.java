package org.userptrlab.core.spi;

/**
 * The pages of an object for one GPU job: the device addresses bytes [offset, offset + size) of
 * the frames. Closing the lease ends the job and gives back what {@link UserptrBacking#pin} took.
 */
public interface GpuLease extends AutoCloseable {
  int[] frames();

  /** Where the object's first byte lies in the first frame. */
  long offset();

  long size();

  /** The job wrote the pages: the lease must mark them dirty on close (set_page_dirty_lock). */
  void markDirty();

  @Override
  void close();
}
