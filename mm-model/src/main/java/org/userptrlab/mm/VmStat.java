package org.userptrlab.mm;

import java.util.EnumMap;
import java.util.Map;

/** A machine's event counters, as /proc/vmstat. Counters only go up; {@link #snapshot()} and subtract to measure a step. */
public final class VmStat {
  private static final VmEvent[] EVENTS = VmEvent.values();
  final long[] counts = new long[EVENTS.length];

  void count(VmEvent e) {
    counts[e.ordinal()]++;
  }

  void count(VmEvent e, long n) {
    counts[e.ordinal()] += n;
  }

  public long get(VmEvent e) {
    return counts[e.ordinal()];
  }

  /** The counter of ordinal {@code ordinal}: a reading by index, for a caller that reads many at every step. */
  public long get(int ordinal) {
    return counts[ordinal];
  }

  /** How many counters there are. */
  public static int size() {
    return EVENTS.length;
  }

  /** Every counter, in declaration order. */
  public Map<VmEvent, Long> snapshot() {
    Map<VmEvent, Long> m = new EnumMap<>(VmEvent.class);
    for (VmEvent e : EVENTS) {
      m.put(e, counts[e.ordinal()]);
    }
    return m;
  }

  /** The counters as /proc/vmstat prints them, one "name value" a line. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (VmEvent e : EVENTS) {
      sb.append(e.procName()).append(' ').append(counts[e.ordinal()]).append('\n');
    }
    return sb.toString();
  }
}
