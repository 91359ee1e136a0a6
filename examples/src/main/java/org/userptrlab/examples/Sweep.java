package org.userptrlab.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.examples.scenarios.Upload;
import org.userptrlab.mm.KernelEra;

/**
 * The size sweep: the cost of one steady-state upload under each strategy, for sizes doubling
 * from {@code from} to {@code to}, under each platform profile; and where one strategy becomes
 * cheaper than another for good.
 */
public final class Sweep {
  /** The cost of one upload of {@code size} bytes: strategy to profile to nanoseconds. */
  public record Point(long size, Map<String, Map<String, Double>> ns) {}

  private final List<Point> points;
  private final List<String> strategies;
  private final List<PlatformProfile> profiles;
  private final KernelEra era;

  private Sweep(List<Point> points, List<String> strategies, List<PlatformProfile> profiles, KernelEra era) {
    this.points = points;
    this.strategies = strategies;
    this.profiles = profiles;
    this.era = era;
  }

  public static Sweep run(Comparison comparison, List<String> strategies, List<PlatformProfile> profiles,
      KernelEra era, long from, long to) {
    List<Point> points = new ArrayList<>();
    for (long size = from; size <= to; size *= 2) {
      Map<String, Map<String, Double>> ns = new LinkedHashMap<>();
      for (String s : strategies) {
        RunResult r = comparison.run(new Upload(size), s, era);
        if (r.verdict() == RunResult.Verdict.REFUSED) {
          throw new IllegalStateException("the upload of " + size + " bytes was refused under " + s + ": " + r.refusal());
        }
        Map<String, Double> byProfile = new LinkedHashMap<>();
        for (PlatformProfile p : profiles) {
          byProfile.put(p.name(), r.totalNs(p.name()));
        }
        ns.put(s, byProfile);
      }
      points.add(new Point(size, ns));
    }
    return new Sweep(points, strategies, profiles, era);
  }

  public List<Point> points() {
    return points;
  }

  public List<String> strategies() {
    return strategies;
  }

  public List<PlatformProfile> profiles() {
    return profiles;
  }

  public KernelEra era() {
    return era;
  }

  /**
   * The smallest size from which {@code challenger} costs less than {@code baseline} at every
   * larger size of the sweep, or -1 if it never does.
   */
  public long crossover(String profile, String baseline, String challenger) {
    long found = -1;
    for (int i = points.size() - 1; i >= 0; i--) {
      Point pt = points.get(i);
      if (pt.ns().get(challenger).get(profile) < pt.ns().get(baseline).get(profile)) {
        found = pt.size();
      } else {
        break;
      }
    }
    return found;
  }
}
