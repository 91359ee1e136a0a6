package org.userptrlab.core.time;

import java.util.ArrayList;
import java.util.List;

/**
 * struct dma_fence: a promise that a GPU job ends at a known virtual time. Signalling it runs what
 * the job does at its end (its DMA lands, its pages are given back) once, in time order with every
 * other fence, or earlier in the model's order when someone waits for it (dma_fence_wait).
 */
public final class DmaFence {
  private final String context;
  private final long seqno;
  /** The order the clock made it in: fences that signal at the same time signal in this order. */
  final long order;
  private long at;
  private Runnable onSignal;
  private final List<Runnable> callbacks = new ArrayList<>(0);
  private boolean signaled;
  private int error;
  /** Until when its job is off its engine (preempted, or waiting for a fault); before that it runs. */
  long offUntil;

  DmaFence(String context, long seqno, long order, long at, Runnable onSignal) {
    this.context = context;
    this.seqno = seqno;
    this.order = order;
    this.at = at;
    this.onSignal = onSignal;
  }

  /** The timeline it belongs to (a GPU engine's name) and its place on it. */
  public String context() {
    return context;
  }

  public long seqno() {
    return seqno;
  }

  /** When it signals (or signalled), in nanoseconds from the start of the run. */
  public long at() {
    return at;
  }

  /** dma_fence_is_signaled. */
  public boolean signaled() {
    return signaled;
  }

  /** The error the job ended with (dma_fence_set_error: a negative errno), 0 if it ended well. */
  public int error() {
    return error;
  }

  /** dma_fence_set_error: the job will end with {@code errno} (a preempted job whose pages went). */
  public void setError(int errno) {
    if (!signaled) {
      error = errno;
    }
  }

  /** The job ends later than planned (preempted and resumed): the fence moves; the clock reorders it. */
  void postpone(long to) {
    at = Math.max(at, to);
  }

  /** The job ends earlier than planned (its queue was killed): the fence moves; the clock reorders it. */
  void advance(long to) {
    at = Math.min(at, to);
  }

  /** dma_fence_add_callback: {@code cb} runs once the fence has signalled (now, if it has). */
  public void addCallback(Runnable cb) {
    if (signaled) {
      cb.run();
      return;
    }
    callbacks.add(cb);
  }

  void signal() {
    if (signaled) {
      return;
    }
    signaled = true;
    Runnable r = onSignal;
    onSignal = null;
    if (r != null) {
      r.run();
    }
    List<Runnable> cbs = List.copyOf(callbacks);
    callbacks.clear();
    cbs.forEach(Runnable::run);
  }

  @Override
  public String toString() {
    return context + "#" + seqno + "@" + at + (signaled ? " signaled" : "");
  }
}
