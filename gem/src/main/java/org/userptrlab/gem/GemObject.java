package org.userptrlab.gem;

import org.userptrlab.core.spi.ImportNote;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.core.time.DmaResv;

/** A GEM buffer object: a handle in one file and what backs it. */
public final class GemObject {
  /** How the object was made. */
  public enum Kind { SHMEM, USERPTR }

  private final int handle;
  private final Kind kind;
  final UserptrBacking backing;
  final DmaResv resv;

  GemObject(int handle, Kind kind, UserptrBacking backing, DmaResv resv) {
    this.handle = handle;
    this.kind = kind;
    this.backing = backing;
    this.resv = resv;
  }

  /** Submissions between their two halves: each holds the object, as execbuf's lookup does. */
  int submissions;
  private boolean closed;
  private boolean released;

  /**
   * The handle went (GEM_CLOSE, the file's release): the object goes once no job holds it, as the
   * last drm_gem_object_put does after the job's fence has signalled.
   */
  void close() {
    closed = true;
    releaseIfIdle();
  }

  /** Gives the backing back if the object is closed and no submission nor running job holds it. */
  void releaseIfIdle() {
    if (!closed || released || submissions > 0) {
      return;
    }
    java.util.List<org.userptrlab.core.time.DmaFence> running = resv.unsignaled(DmaResv.Usage.BOOKKEEP);
    if (!running.isEmpty()) {
      // dma_fence_add_callback: the job's end drops its reference.
      running.get(running.size() - 1).addCallback(this::releaseIfIdle);
      return;
    }
    released = true;
    backing.release();
  }

  /** obj->base.resv: the fences of the jobs that use it. */
  public DmaResv resv() {
    return resv;
  }

  public int handle() {
    return handle;
  }

  public Kind kind() {
    return kind;
  }

  public long size() {
    return backing.size();
  }

  /** What the strategy reported about its import (fallbacks taken, limits ignored). */
  public java.util.List<ImportNote> notes() {
    return backing.notes();
  }
}
