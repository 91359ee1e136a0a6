package org.userptrlab.gem;

import org.userptrlab.core.spi.GpuAccess;
import org.userptrlab.core.time.DmaFence;
import org.userptrlab.mm.MmException;

/**
 * One GPU job: the object it uses and how, the engine it runs on, when it starts and ends, and its
 * fence. A read job's outcome (whether it saw the stream it looked for) is known once it has ended.
 */
public final class GpuJob {
  private final int handle;
  private final GpuAccess access;
  private final String engine;
  private final long start;
  DmaFence fence;
  Boolean sawStream;
  String failure;
  boolean usedFreed;
  /** The fault the job ended at, where its lease could not be serviced; null otherwise. */
  MmException failedFault;

  GpuJob(int handle, GpuAccess access, String engine, long start) {
    this.handle = handle;
    this.access = access;
    this.engine = engine;
    this.start = start;
  }

  public int handle() {
    return handle;
  }

  public GpuAccess access() {
    return access;
  }

  public String engine() {
    return engine;
  }

  /** When it started on its engine, in nanoseconds from the start of the run. */
  public long start() {
    return start;
  }

  /** When it ends (later than planned if it was preempted). */
  public long end() {
    return fence.at();
  }

  public DmaFence fence() {
    return fence;
  }

  /** Whether it has ended. */
  public boolean done() {
    return fence.signaled();
  }

  /** For a read job that has ended: whether the bytes it read held the stream it looked for. */
  public boolean sawStream() {
    if (sawStream == null) {
      throw new IllegalStateException("the job has not ended, or does not read");
    }
    return sawStream;
  }

  /** Whether, at its end, frames it addressed had been freed: no reference and no wait kept them for it. */
  public boolean usedFreedFrames() {
    return usedFreed;
  }

  /** What went wrong at its end (it used frames that were freed meanwhile, or its pages could not be had again), or null. */
  public String failure() {
    return failure;
  }
}
