package org.userptrlab.executor;

/**
 * One primitive as {@code upl-exec --calibrate} timed it on this kernel: its name, the median,
 * 10th and 90th percentile of its samples (ns per page, or bytes per ns for a bandwidth), and how
 * many samples there were.
 */
public record Timing(String name, double median, double p10, double p90, int samples) {
  /** The timing of {@code samples}, its percentiles taken as {@code upl-exec --calibrate} takes them (report). */
  static Timing of(String name, double[] samples) {
    double[] v = samples.clone();
    java.util.Arrays.sort(v);
    int n = v.length;
    return new Timing(name, v[n / 2], v[n / 10], v[n - 1 - n / 10], n);
  }

  static Timing parse(String line) {
    String[] f = line.trim().split("\\s+");
    if (f.length != 5) {
      throw new IllegalStateException("upl-exec --calibrate printed '" + line + "', not a timing");
    }
    return new Timing(f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]), Integer.parseInt(f[4]));
  }
}
