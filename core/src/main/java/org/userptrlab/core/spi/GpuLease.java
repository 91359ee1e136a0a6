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

  /** GPU page faults taken to have the pages for this job (a fault-mode GPU's; 0 for pages handed over beforehand). */
  default int gpuFaults() {
    return 0;
  }

  /**
   * Bytes the GPU's faults for this job moved into its own memory (a migration to device memory): the
   * copy engine's work over the link, which the faulting job waits for.
   */
  default long migratedBytes() {
    return 0;
  }

  /**
   * The kernel's work of servicing this job's GPU faults (hmm_range_fault, migration's unmapping and
   * remapping), priced, in nanoseconds: the driver's fault handler does it while the job waits, so it
   * is the job's time, not the submitting call's.
   */
  default long faultHandlingNs() {
    return 0;
  }

  /**
   * What this job's GPU fault handler waited for to take mmap_lock (another thread's writer held it,
   * or was queued for it, when the faults were serviced), or null: the job waits on its engine until
   * then, where the submitting thread went on.
   */
  default org.userptrlab.core.time.LockWait faultLockWait() {
    return null;
  }

  /** The instants of the chart this job's GPU faults made (each range faulted), drawn on its engine as it starts. */
  default java.util.List<org.userptrlab.core.time.VirtualClock.Mark> faultMarks() {
    return java.util.List.of();
  }

  /**
   * The GPU fault that could not be serviced (no VMA there: xe_svm_handle_pagefault fails), or null:
   * the job ends at that fault with its errno, its queue killed, where a driver that takes its pages
   * before the job would have failed the submission.
   */
  default org.userptrlab.mm.MmException failedFault() {
    return null;
  }

  /** The share of the frames that are the GPU's own memory (device-private), which it reads at its memory's bandwidth. */
  default double deviceFraction() {
    return 0;
  }

  /** The job wrote the pages: the lease must mark them dirty on close (set_page_dirty_lock). */
  void markDirty();

  @Override
  void close();
}
