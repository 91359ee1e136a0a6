package org.userptrlab.lab.explore;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A limit on an explorer run's time, counted from its first program: set-up (start-up, the run of
 * the catalogue) is not the user's budget, and counting it made short limits run no program at all.
 */
public final class Deadline {
  /** No limit: the budget of programs alone stops the run. */
  public static final Deadline NONE = new Deadline(Long.MAX_VALUE, () -> 0L);

  private final long nanos;
  private final LongSupplier clock;
  private long start;

  private Deadline(long nanos, LongSupplier clock) {
    this.nanos = nanos;
    this.clock = clock;
  }

  /** A limit of {@code d} on the machine's monotonic clock. */
  public static Deadline after(Duration d) {
    return after(d, System::nanoTime);
  }

  /** A limit of {@code d} on {@code clock}, which reads nanoseconds (a test's own clock, say). */
  public static Deadline after(Duration d, LongSupplier clock) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("a time limit must be positive: " + d);
    }
    return new Deadline(d.toNanos(), clock);
  }

  /** Starts the count: called right before the first program. */
  void start() {
    start = clock.getAsLong();
  }

  /** Whether the time since {@link #start()} has reached the limit. */
  boolean passed() {
    return nanos != Long.MAX_VALUE && clock.getAsLong() - start >= nanos;
  }
}
