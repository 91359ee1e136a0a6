package org.userptrlab.core.support;

import org.userptrlab.core.spi.ImportNote;
import org.userptrlab.core.spi.GpuAccess;
import org.userptrlab.core.spi.GpuLease;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.core.spi.UserptrRequest;

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
  private final java.util.List<ImportNote> notes = new java.util.ArrayList<>();

  /**
   * The copy baseline: a new object holding a copy of the request's bytes (GEM CREATE, then
   * PWRITE). Nothing is left behind if the copy faults.
   */
  public static ShmemObject copyOf(Kernel kernel, UserptrRequest r, String name) {
    ShmemObject obj = new ShmemObject(kernel, name, r.size(), 0);
    PageRefs pages = obj.pages();
    try {
      kernel.copyFromUser(r.process(), r.address(), pages.pfns(), 0, r.size());
    } catch (RuntimeException e) {
      pages.release();
      obj.release();
      throw e;
    }
    pages.release();
    return obj;
  }

  /** Adds a fact for the hazard list (why the copy was made, say). */
  public ShmemObject note(ImportNote.Kind kind, String detail) {
    notes.add(new ImportNote(kind, detail));
    return this;
  }

  @Override
  public java.util.List<ImportNote> notes() {
    return java.util.List.copyOf(notes);
  }

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
  public GpuLease pin(GpuAccess access) {
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
