package org.userptrlab.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * The sizes a sweep uploads: {@code from}, doubling, up to {@code to}. Both at least 1 byte, {@code
 * from <= to}, and {@code to} at most {@link #MAX} (the default driver's largest userptr).
 */
public record SweepRange(long from, long to) {
  /** The default driver limit: 1 GiB. */
  public static final long MAX = 1L << 30;

  public SweepRange {
    if (from < 1) {
      throw new IllegalArgumentException("--from must be at least 1 byte, not " + from);
    }
    if (to > MAX) {
      throw new IllegalArgumentException("--to must be at most 1G (the driver's largest userptr), not " + Sizes.format(to));
    }
    if (from > to) {
      throw new IllegalArgumentException("--from (" + Sizes.format(from) + ") must not be larger than --to (" + Sizes.format(to) + ")");
    }
  }

  /** from, 2 * from, ... while at most to. */
  public List<Long> sizes() {
    List<Long> out = new ArrayList<>();
    for (long s = from; s <= to; s *= 2) {
      out.add(s);
    }
    return out;
  }
}
