package org.userptrlab.core.time;

/** What an actor was doing over a {@link Span}. */
public enum SpanKind {
  /** A CPU thread ran a call. */
  CALL,
  /**
   * A CPU thread waited in the kernel, a stall {@code P.stalled} counts: for a fence in a notifier, for
   * an invalidation in progress.
   */
  WAIT,
  /** A CPU thread slept on its own account, no stall: an {@code at} line, the program's wait for its GPU job. */
  SLEEP,
  /** A CPU thread was ready to run and waited on the run queue for a CPU to go idle (the scheduler's wait, no stall). */
  RUNNABLE,
  /** A GPU engine ran a job. */
  JOB,
  /** A GPU job was preempted off its engine (a long-running queue evicted by an invalidation). */
  PREEMPTED,
  /** An MMU notifier invalidation reached a driver (an instant). */
  INVALIDATE,
  /** The driver found its pages stale after hmm_range_fault and started over (an instant). */
  RETRY,
  /**
   * A GPU page fault the driver serviced: an instant (a range made valid, maybe migrated first), or the
   * time a job waits on its engine for one (a range faulted again, or a fault that fails).
   */
  GPU_FAULT,
  /** A kernel worker ran (the OOM reaper's attempt). */
  WORK
}
