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
