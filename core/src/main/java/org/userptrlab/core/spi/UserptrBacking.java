package org.userptrlab.core.spi;

/** What a strategy keeps for one object between import and release. */
public interface UserptrBacking {
  /** The object's size in bytes (the imported range's). */
  long size();

  /**
   * Makes the pages ready for one GPU job that will {@code access} them and hands them over for
   * its duration (the job's pin). May fail with the kernel's errno (the pages cannot be had now).
   */
  GpuLease pin(GpuAccess access);

  /**
   * {@link #pin} in two halves, for a scheduler that lets other threads act between them: a driver
   * that mirrors looks the pages up now and commits them later; any other pins now.
   */
  default PendingPin prepare(GpuAccess access) {
    return PendingPin.of(pin(access));
  }

  /** Gives everything back: references, pins, locks, notifiers, accounting. Called once. */
  void release();

  /** Facts a strategy wants reported about this import (a fallback taken, a limit ignored), for the hazard list. */
  default java.util.List<ImportNote> notes() {
    return java.util.List.of();
  }
}
