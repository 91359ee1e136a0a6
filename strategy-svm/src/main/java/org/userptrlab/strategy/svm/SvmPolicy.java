package org.userptrlab.strategy.svm;

import org.userptrlab.core.spi.UserptrRequest;
import org.userptrlab.mm.Vma;

/** What sets the three variants apart: whether a GPU fault migrates, and when it asks hmm_range_fault for write. */
enum SvmPolicy {
  /**
   * xe over drm_gpusvm: a range of at least 64 KiB in an anonymous VMA migrates to device memory on
   * its first GPU fault (xe_svm_range_needs_migrate_to_vram); write is asked unless the GPU's mapping
   * is read-only (ctx.read_only = xe_vma_read_only), whatever the GPU job does.
   */
  XE(true),
  /** An integrated GPU's drm_gpusvm, or a discrete one with migration off: system pages mapped for the GPU, never moved. */
  MIRROR(false),
  /**
   * amdkfd SVM's fault-in (svm_range_validate_and_map, hmm_range_get_pages): write is asked whenever
   * the CPU's VMA is writable, even for an object the program imported read-only; migration as xe's.
   */
  AMDKFD(true);

  /** drm_gpusvm's minimum size for a migration to device memory (xe: SZ_64K unless the device supports 4K). */
  static final long MIGRATE_MIN = 64L << 10;

  private final boolean migrates;

  SvmPolicy(boolean migrates) {
    this.migrates = migrates;
  }

  boolean migrates() {
    return migrates;
  }

  /** Whether a GPU fault of {@code r} in {@code v} asks for write (HMM_PFN_REQ_WRITE). */
  boolean asksWrite(UserptrRequest r, Vma v) {
    return this == AMDKFD ? v.has(org.userptrlab.mm.VmFlags.VM_WRITE) : !r.readOnly();
  }
}
