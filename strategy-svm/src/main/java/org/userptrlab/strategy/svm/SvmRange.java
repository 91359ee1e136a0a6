package org.userptrlab.strategy.svm;

import org.userptrlab.mm.MmuIntervalNotifier;

/**
 * struct drm_gpusvm_range: an aligned chunk of the process's address space the GPU faulted on,
 * with its interval notifier and the pages the GPU maps (null once invalidated, until the next
 * GPU fault gets them again).
 */
final class SvmRange {
  final long start;
  final long end;
  MmuIntervalNotifier notifier;
  /** What the last get_pages answered (HmmRange encoding), one a page; null while the GPU's mapping is invalid. */
  long[] pfns;
  /** flags.unmapped: an MMU_NOTIFY_UNMAP reached it; the garbage collector removes it. */
  boolean unmapped;
  /** flags.partial_unmap: the unmap covered only part of it. */
  boolean partialUnmap;
  /** How many times the range was migrated into device memory, not counting those after an eviction made room with it. */
  int toDevice;
  /** Its last allocation of device memory. */
  Vram.Allocation allocation;

  SvmRange(long start, long end) {
    this.start = start;
    this.end = end;
  }

  int npages() {
    return (int) ((end - start) >>> 12);
  }

  long size() {
    return end - start;
  }

  boolean contains(long addr) {
    return addr >= start && addr < end;
  }
}
