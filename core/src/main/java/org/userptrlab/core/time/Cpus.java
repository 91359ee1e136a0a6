package org.userptrlab.core.time;

import java.util.Arrays;

/**
 * The machine's CPUs as the scheduler hands them to steps: the intervals each ran a step's work,
 * from the frontier on. A step starts on the first CPU idle at its start, or waits on the run queue
 * for the first to go idle, as a thread does when a machine has more runnable threads than CPUs.
 */
final class Cpus {
  /** Per CPU, its busy intervals in the order of their starts: start, end, start, end... */
  private final long[][] busy;
  private final int[] n;
  /** The latest start of a step on each CPU. */
  private final long[] lastStart;
  /** The CPU {@link #firstIdle} found. */
  private int chosen;

  Cpus(int count) {
    busy = new long[count][8];
    n = new int[count];
    lastStart = new long[count];
    Arrays.fill(lastStart, -1);
  }

  /**
   * The earliest time from {@code t} on that some CPU is idle, which {@link #chosen} then names;
   * what ended by {@code frontier} is forgotten (no step starts before it).
   */
  long firstIdle(long t, long frontier) {
    long best = Long.MAX_VALUE;
    boolean bestFree = false;
    for (int c = 0; c < busy.length; c++) {
      forget(c, frontier);
      long idle = idleFrom(c, t);
      // Of CPUs idle as early, one no woken thread comes back to later (select_idle_sibling finds an idle one).
      boolean free = n[c] == 0 || busy[c][n[c] - 1] <= idle;
      if (idle < best || idle == best && free && !bestFree) {
        best = idle;
        bestFree = free;
        chosen = c;
      }
    }
    return best;
  }

  /** A step starts on CPU {@code c} at {@code t}. */
  void started(int c, long t) {
    lastStart[c] = Math.max(lastStart[c], t);
  }

  /** Whether a step started on CPU {@code c} at {@code t} or later. */
  boolean takenSince(int c, long t) {
    return lastStart[c] >= t;
  }

  /** The CPU the last {@link #firstIdle} found. */
  int chosen() {
    return chosen;
  }

  /** CPU {@code c} ran a step's work over [start, end). */
  void busy(int c, long start, long end) {
    if (end <= start) {
      return;
    }
    if (n[c] + 2 > busy[c].length) {
      busy[c] = Arrays.copyOf(busy[c], 2 * busy[c].length);
    }
    long[] b = busy[c];
    int at = n[c];
    while (at > 0 && b[at - 2] > start) {
      at -= 2;
    }
    System.arraycopy(b, at, b, at + 2, n[c] - at);
    b[at] = start;
    b[at + 1] = end;
    n[c] += 2;
  }

  /** When CPU {@code c} is first idle from {@code t} on (a thread woken from a wait may overlap another's work on it). */
  private long idleFrom(int c, long t) {
    long[] b = busy[c];
    long at = t;
    for (int i = 0; i < n[c]; i += 2) {
      if (b[i] <= at && at < b[i + 1]) {
        at = b[i + 1];
      }
    }
    return at;
  }

  private void forget(int c, long frontier) {
    long[] b = busy[c];
    int kept = 0;
    for (int i = 0; i < n[c]; i += 2) {
      if (b[i + 1] > frontier) {
        b[kept] = b[i];
        b[kept + 1] = b[i + 1];
        kept += 2;
      }
    }
    n[c] = kept;
  }
}
