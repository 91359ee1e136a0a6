package org.userptrlab.core.time;

import java.util.Arrays;

/**
 * How long the calls of one kind took, each from entry to return, waits included: how many, the
 * median, the 99th percentile and the longest, in nanoseconds; and how much of it was waiting.
 */
public record Latency(CallKind kind, int count, long median, long p99, long max, long waited) {
  /** The latency of {@code n} samples in {@code samples} (sorted here; the array is the caller's to lose). */
  static Latency of(CallKind kind, long[] samples, int n, long waited) {
    long[] s = Arrays.copyOf(samples, n);
    Arrays.sort(s);
    return new Latency(kind, n, rank(s, 0.5), rank(s, 0.99), s[n - 1], waited);
  }

  /** The nearest-rank percentile: the smallest sample with at least {@code q} of them at or below it. */
  private static long rank(long[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, i)];
  }
}
