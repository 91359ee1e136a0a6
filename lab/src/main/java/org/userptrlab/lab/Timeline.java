package org.userptrlab.lab;

import java.util.ArrayList;
import java.util.List;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.lab.TimelineResult.Flip;
import org.userptrlab.lab.TimelineResult.Outcome;
import org.userptrlab.lab.TimelineResult.Row;
import org.userptrlab.mm.KernelChange;
import org.userptrlab.mm.KernelConfig;

/**
 * The timeline: every scenario under every strategy on each kernel, oldest first; where the
 * outcome differs between two adjacent kernels, the changes merged between them are applied to
 * the older one in merge order, one at a time, and each change after which the outcome moves is
 * named. Two batches of runs, each spread over the comparison's threads.
 */
public final class Timeline {
  private Timeline() {}

  public static TimelineResult run(Comparison cmp, List<Scenario> scenarios, List<String> strategies, List<KernelConfig> kernels) {
    List<KernelConfig> sorted = new ArrayList<>(kernels);
    sorted.sort((a, b) -> a.release().compareTo(b.release()));
    List<Comparison.Run> runs = new ArrayList<>();
    for (Scenario s : scenarios) {
      for (String strategy : strategies) {
        for (KernelConfig k : sorted) {
          runs.add(new Comparison.Run(s, strategy, k));
        }
      }
    }
    List<RunResult> results = cmp.run(runs);
    List<List<Outcome>> outcomes = new ArrayList<>();
    for (int i = 0; i < results.size(); i += sorted.size()) {
      outcomes.add(results.subList(i, i + sorted.size()).stream().map(Outcome::of).toList());
    }

    // The older kernel of each differing pair, with the changes between merged one by one.
    List<Comparison.Run> bisect = new ArrayList<>();
    int row = 0;
    for (Scenario s : scenarios) {
      for (String strategy : strategies) {
        List<Outcome> o = outcomes.get(row++);
        for (int i = 1; i < sorted.size(); i++) {
          if (!o.get(i).equals(o.get(i - 1))) {
            for (KernelConfig step : steps(sorted.get(i - 1), sorted.get(i))) {
              bisect.add(new Comparison.Run(s, strategy, step));
            }
          }
        }
      }
    }
    List<RunResult> bisected = cmp.run(bisect);

    List<Row> rows = new ArrayList<>();
    int next = 0;
    row = 0;
    for (Scenario s : scenarios) {
      for (String strategy : strategies) {
        List<Outcome> o = outcomes.get(row++);
        List<Flip> flips = new ArrayList<>();
        for (int i = 1; i < sorted.size(); i++) {
          if (o.get(i).equals(o.get(i - 1))) {
            continue;
          }
          KernelConfig from = sorted.get(i - 1);
          List<KernelChange> between = changes(from, sorted.get(i));
          Outcome before = o.get(i - 1);
          for (KernelChange c : between) {
            Outcome after = Outcome.of(bisected.get(next++));
            if (!after.equals(before)) {
              flips.add(new Flip(from, sorted.get(i), c, before, after));
              before = after;
            }
          }
        }
        rows.add(new Row(s.name(), strategy, o, flips));
      }
    }
    return new TimelineResult(sorted, rows, KernelNotes.of(sorted, results));
  }

  /** The changes one of the two kernels has and the other lacks, in merge order. */
  static List<KernelChange> changes(KernelConfig from, KernelConfig to) {
    List<KernelChange> out = new ArrayList<>();
    for (KernelChange c : KernelChange.values()) {
      if (to.has(c) != from.has(c)) {
        out.add(c);
      }
    }
    return out;
  }

  /** {@code from} with the first one, two, ... of the changes towards {@code to} applied (merged, or taken out). */
  private static List<KernelConfig> steps(KernelConfig from, KernelConfig to) {
    List<KernelConfig> out = new ArrayList<>();
    KernelConfig k = from;
    for (KernelChange c : changes(from, to)) {
      k = to.has(c) ? k.with(c) : k.without(c);
      out.add(k);
    }
    return out;
  }
}
