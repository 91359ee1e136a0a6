package org.userptrlab.core;

import org.userptrlab.mm.Kernel;
import org.userptrlab.mm.MemFile;
import org.userptrlab.mm.PageRefs;

/**
 * A buffer object backed by shmem pages, as drm_gem_object_init makes them: the copy baseline's
 * object and a GEM CREATE object. A GPU job takes references to its pages (shmem_read_mapping_page)
 * for its duration.
 */
public final class ShmemObject implements UserptrBacking {
  private final Kernel kernel;
  private final MemFile file;
  private final long size;
  private final long offset;

  /** An object of {@code size} bytes whose content starts {@code offset} bytes into its first page. */
  public ShmemObject(Kernel kernel, String name, long size, long offset) {
    this.kernel = kernel;
    this.size = size;
    this.offset = offset;
    this.file = kernel.shmemFileSetup(name, offset + size);
  }

  /** The object's frames, held for as long as the returned references are. */
  public PageRefs pages() {
    return kernel.shmemGetPages(file);
  }

  public long offset() {
    return offset;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public GpuLease pin() {
    PageRefs refs = pages();
    return new FixedLease(refs.pfns(), offset, size, dirty -> {
      if (dirty) {
        refs.releaseDirty();
      } else {
        refs.release();
      }
    });
  }

  @Override
  public void release() {
    kernel.shmemFileRelease(file);
  }
}
