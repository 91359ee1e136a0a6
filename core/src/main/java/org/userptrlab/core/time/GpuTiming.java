package org.userptrlab.core.time;

/**
 * What the GPU's side of a run came to in time: the jobs it ran and how long they kept its engines
 * busy, the times a driver found its pages stale after hmm_range_fault and started over
 * (mmu_interval_read_retry), the times it gave up after HMM_RANGE_DEFAULT_TIMEOUT (-EBUSY), the
 * jobs preempted by an invalidation, and the jobs that faulted their pages in again after one.
 */
public record GpuTiming(int jobs, long busyNs, int retries, int timeouts, int preemptions, int refaults) {
  public static final GpuTiming NONE = new GpuTiming(0, 0, 0, 0, 0, 0);
}
