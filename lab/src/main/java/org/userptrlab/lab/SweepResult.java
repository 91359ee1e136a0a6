package org.userptrlab.lab;

import java.util.ArrayList;
import java.util.List;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.mm.KernelConfig;

/**
 * The size sweep on one kernel: one upload of each size under each strategy (the first strategy is
 * the baseline), priced under each profile, and where each other strategy gets cheaper than it.
 */
public record SweepResult(KernelConfig kernel, List<String> strategies, List<PlatformProfile> profiles, List<Point> points) {
  /** One upload of {@code size} bytes under {@code strategy}; refused if the driver would not import it. */
  public record Point(long size, String strategy, RunResult run) {
    public boolean refused() {
      return run.verdict() != RunResult.Verdict.KEPT && run.verdict() != RunResult.Verdict.BROKEN;
    }

    /** The upload's cost under {@code p}; only for a point that was not refused. */
    public double totalNs(PlatformProfile p) {
      return run.totalNs(p);
    }
  }

  public SweepResult {
    strategies = List.copyOf(strategies);
    profiles = List.copyOf(profiles);
    points = List.copyOf(points);
  }

  /** The sizes swept, smallest first. */
  public List<Long> sizes() {
    return points.stream().map(Point::size).distinct().toList();
  }

  public Point point(long size, String strategy) {
    for (Point p : points) {
      if (p.size() == size && p.strategy().equals(strategy)) {
        return p;
      }
    }
    throw new IllegalArgumentException("no point for " + strategy + " at " + size + " bytes");
  }

  /** For each profile and each strategy but the baseline: where it is cheaper than the baseline. */
  public List<Crossover> crossovers() {
    List<Crossover> out = new ArrayList<>();
    String base = strategies.get(0);
    List<Long> sizes = sizes();
    for (PlatformProfile p : profiles) {
      for (String s : strategies.subList(1, strategies.size())) {
        List<Long> cheaper = new ArrayList<>();
        List<Long> refused = new ArrayList<>();
        boolean[] wins = new boolean[sizes.size()];
        for (int i = 0; i < sizes.size(); i++) {
          Point b = point(sizes.get(i), base);
          Point c = point(sizes.get(i), s);
          if (b.refused() || c.refused()) {
            refused.add(sizes.get(i));
            continue;
          }
          wins[i] = c.totalNs(p) < b.totalNs(p);
          if (wins[i]) {
            cheaper.add(sizes.get(i));
          }
        }
        // "For good" looks past refused sizes, which compare nothing; it needs one comparable size.
        long from = 0;
        for (int i = sizes.size() - 1; i >= 0 && (wins[i] || refused.contains(sizes.get(i))); i--) {
          if (wins[i]) {
            from = sizes.get(i);
          }
        }
        out.add(new Crossover(p, base, s, from, cheaper, refused, sizes.get(0), sizes.get(sizes.size() - 1)));
      }
    }
    return out;
  }
}
