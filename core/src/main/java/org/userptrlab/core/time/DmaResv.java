package org.userptrlab.core.time;

import java.util.ArrayList;
import java.util.List;

/**
 * struct dma_resv: the fences of the jobs that use one buffer object, each with its usage. A
 * driver's invalidation that must not let the pages go under a running job waits on it
 * (dma_resv_wait_timeout); one that preempts instead walks it (dma_resv_for_each_fence).
 */
public final class DmaResv {
  /** enum dma_resv_usage, weakest last: a wait for one usage waits for every stronger one too. */
  public enum Usage { KERNEL, WRITE, READ, BOOKKEEP }

  private record Entry(DmaFence fence, Usage usage) {}

  private final List<Entry> fences = new ArrayList<>(2);
  /** The size at which {@link #add} next drops the fences that have ended: twice what it kept last time. */
  private int pruneAt = 8;

  /** dma_resv_add_fence, by a step of {@code clock}. */
  public void add(DmaFence fence, Usage usage, VirtualClock clock) {
    if (fences.size() >= pruneAt) {
      // A fence that signalled before the schedule's frontier has ended for every actor: it goes. Only now and
      // then, so that jobs queued far ahead of the frontier cost a submission no walk of all the others.
      long frontier = clock.frontier();
      fences.removeIf(e -> e.fence.signaled() && e.fence.at() <= frontier);
      pruneAt = Math.max(8, 2 * fences.size());
    }
    fences.add(new Entry(fence, usage));
  }

  /** The fences not yet signalled of {@code usage} or stronger (dma_resv_for_each_fence), in the order added. */
  public List<DmaFence> unsignaled(Usage usage) {
    List<DmaFence> out = new ArrayList<>();
    for (Entry e : fences) {
      if (!e.fence.signaled() && e.usage.ordinal() <= usage.ordinal()) {
        out.add(e.fence);
      }
    }
    return out;
  }

  /**
   * The fences of {@code usage} or stronger that have not ended by the current actor's time of
   * {@code clock}: those not yet signalled, and those signalled earlier in the model's order (another
   * actor waited for them) whose time is still ahead.
   */
  public List<DmaFence> running(VirtualClock clock, Usage usage) {
    List<DmaFence> out = new ArrayList<>();
    for (Entry e : fences) {
      if (!clock.ended(e.fence) && e.usage.ordinal() <= usage.ordinal()) {
        out.add(e.fence);
      }
    }
    return out;
  }

  /**
   * dma_resv_wait_timeout(resv, usage, false, MAX_SCHEDULE_TIMEOUT): the current actor of {@code
   * clock} waits until every such fence has ended; how long it waited, in nanoseconds.
   */
  public long waitTimeout(VirtualClock clock, Usage usage, String why) {
    long waited = 0;
    for (DmaFence f : running(clock, usage)) {
      waited += clock.waitFor(f, why);
    }
    return waited;
  }


}
