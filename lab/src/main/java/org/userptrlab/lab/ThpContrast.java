package org.userptrlab.lab;

import java.util.ArrayList;
import java.util.List;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;

/**
 * What {@code compare --thp never,always} found: the same runs under each mode of transparent huge
 * pages, and those whose outcome (verdict or hazards) is not the same under every mode: where large
 * folios change what a strategy does with a program's memory.
 *
 * @param modes the modes, in the order asked; the report's other tables are of the first
 * @param rows one per scenario, kernel and strategy whose outcome differs, in the comparison's order
 * @param others the runs under each mode but the first, in the comparison's order (for a run-by-run report: JUnit)
 */
public record ThpContrast(List<MachineConfig.Thp> modes, List<Row> rows, List<List<RunResult>> others) {
  /** No contrast: a report of one mode. */
  public static final ThpContrast NONE = new ThpContrast(List.of(), List.of(), List.of());

  public ThpContrast {
    modes = List.copyOf(modes);
    rows = List.copyOf(rows);
    others = others.stream().map(List::copyOf).toList();
  }

  /** A run whose outcome differs between modes: its outcome under each, in the order of {@link #modes}. */
  public record Row(String scenario, KernelConfig kernel, String strategy, List<TimelineResult.Outcome> outcomes) {
    public Row {
      outcomes = List.copyOf(outcomes);
    }
  }

  /**
   * The contrast of {@code runs}, the runs of each mode in the order of {@code modes}, each list the
   * same scenarios, kernels and strategies in the same order (one comparison's order).
   */
  public static ThpContrast of(List<MachineConfig.Thp> modes, List<List<RunResult>> runs) {
    if (modes.size() != runs.size() || runs.stream().anyMatch(r -> r.size() != runs.get(0).size())) {
      throw new IllegalArgumentException("one list of runs per mode, each of the same runs");
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < runs.get(0).size(); i++) {
      RunResult first = runs.get(0).get(i);
      List<TimelineResult.Outcome> outcomes = new ArrayList<>();
      for (List<RunResult> mode : runs) {
        RunResult r = mode.get(i);
        if (!r.scenario().equals(first.scenario()) || !r.strategy().equals(first.strategy()) || !r.kernel().equals(first.kernel())) {
          throw new IllegalArgumentException("run " + i + " is not the same under every mode: " + r.scenario() + " and " + first.scenario());
        }
        outcomes.add(TimelineResult.Outcome.of(r));
      }
      if (outcomes.stream().distinct().count() > 1) {
        rows.add(new Row(first.scenario(), first.kernel(), first.strategy(), outcomes));
      }
    }
    return new ThpContrast(modes, rows, runs.subList(1, runs.size()));
  }
}
