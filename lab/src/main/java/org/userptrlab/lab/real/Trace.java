package org.userptrlab.lab.real;

import java.util.List;
import org.userptrlab.lab.scenarios.Step;

/**
 * What a program did on the real kernel: its steps, or why it could not run there, and the time
 * its commands took in the executor's processes (system calls and memory accesses, summed).
 * {@code analogueFailed}, where not null, says why the last step failed for a reason of the
 * strategy's analogue rather than of the ioctl it stands for: from there on the two sides cannot
 * be compared. {@code skipped}, where not null, is the line and reason of a {@code skip} that held
 * and ended the program there, as a selftest skips. {@code displaced}, where not null, is the first
 * step whose address the executor's own memory decided (a mapping it grew moved for want of room
 * its ld.so and libc take), and from where the two sides' addresses may part. {@code lockStandIn}
 * holds the steps, by index, that locked or pinned memory in a process whose CAP_IPC_LOCK stands in
 * for the model's 1 GiB RLIMIT_MEMLOCK (the hard limit here is lower): no limit holds them back.
 */
public record Trace(List<Step> steps, String notRunnable, String analogueFailed, String skipped, long nanos, Displaced displaced,
    java.util.Set<Integer> lockStandIn) {
  /** The step, by its index in {@link #steps}, whose address the executor's own memory decided, and its line and call. */
  public record Displaced(int step, String where) {}

  public Trace {
    steps = List.copyOf(steps);
    lockStandIn = java.util.Set.copyOf(lockStandIn);
  }

  static Trace notRunnable(String why) {
    return new Trace(List.of(), why, null, null, 0, null, java.util.Set.of());
  }

  public boolean runnable() {
    return notRunnable == null;
  }
}
