package org.userptrlab.core.time;

/**
 * Something that takes time: a CPU thread of a process, a GPU engine, or a kernel worker (the OOM
 * reaper). Its {@link #time()} is when it is next free to act.
 */
public final class Actor {
  /** What an actor is. */
  public enum Kind { CPU, GPU, KERNEL }

  private final String name;
  private final Kind kind;
  private final String owner;
  final int index;
  long time;
  long waited;
  /** The CPU its last step ran on, and when that step ended there: a thread running on keeps its CPU. */
  int cpu = -1;
  long ranUntil = -1;
  /** Each wait, [start, end), in the order taken: what {@link #waitedBy} adds up. */
  private long[] waits = new long[0];
  private int nwaits;

  Actor(String name, Kind kind, String owner, int index) {
    this.name = name;
    this.kind = kind;
    this.owner = owner;
    this.index = index;
  }

  /** As the Gantt chart and the reports name it: {@code p}, {@code p/t1}, {@code gpu/rcs0}, {@code oom_reaper}. */
  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  /** The process a CPU thread belongs to (its name in the program); the actor's own name otherwise. */
  public String owner() {
    return owner;
  }

  /** When it is next free, in nanoseconds from the start of the run. */
  public long time() {
    return time;
  }

  /** How long it has spent waiting (for a fence, an invalidation, a lock), in nanoseconds. */
  public long waited() {
    return waited;
  }

  /** It waits over [start, end). */
  void waited(long start, long end) {
    waited += end - start;
    if (2 * nwaits == waits.length) {
      waits = java.util.Arrays.copyOf(waits, Math.max(4, waits.length * 2));
    }
    waits[2 * nwaits] = start;
    waits[2 * nwaits + 1] = end;
    nwaits++;
  }

  /** How long it had waited by time {@code t}: its waits up to {@code t}. */
  long waitedBy(long t) {
    long sum = 0;
    for (int i = 0; i < nwaits; i++) {
      sum += Math.max(0, Math.min(t, waits[2 * i + 1]) - waits[2 * i]);
    }
    return sum;
  }

  @Override
  public String toString() {
    return name;
  }
}
