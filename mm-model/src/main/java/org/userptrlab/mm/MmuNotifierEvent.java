package org.userptrlab.mm;

/** enum mmu_notifier_event: why a range is invalidated. */
public enum MmuNotifierEvent {
  /** munmap, exit: the range goes away. */
  UNMAP,
  /** The PTEs are cleared: COW break, MADV_DONTNEED, swap-out, a driver's zap. */
  CLEAR,
  /** mprotect changed the VMA's protection. */
  PROTECTION_VMA,
  /** Pages write-protected: fork, a driver's write-protect. */
  PROTECTION_PAGE,
  SOFT_DIRTY,
  RELEASE,
  /** Pages move to other frames: migration, compaction, CMA. */
  MIGRATE,
  EXCLUSIVE
}
