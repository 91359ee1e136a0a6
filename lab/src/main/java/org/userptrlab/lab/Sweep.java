package org.userptrlab.lab;

import java.util.ArrayList;
import java.util.List;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.lab.scenarios.Upload;
import org.userptrlab.mm.KernelConfig;

/**
 * The size sweep: the cost of one steady-state upload ({@link Upload}) under each strategy for each
 * size of a range, under each profile of the comparison's options. A refused size is recorded as
 * a refused point; the sweep goes on.
 */
public final class Sweep {
  private Sweep() {}

  /** One sweep per kernel of {@code kernels}, each over {@code strategies} (the first is the baseline). */
  public static List<SweepResult> run(Comparison comparison, List<String> strategies, List<KernelConfig> kernels, SweepRange range) {
    List<Comparison.Run> runs = new ArrayList<>();
    for (KernelConfig kernel : kernels) {
      for (long size : range.sizes()) {
        for (String s : strategies) {
          runs.add(new Comparison.Run(new Upload(size), s, kernel));
        }
      }
    }
    List<RunResult> results = comparison.run(runs);
    List<SweepResult> out = new ArrayList<>();
    int i = 0;
    for (KernelConfig kernel : kernels) {
      List<SweepResult.Point> points = new ArrayList<>();
      for (long size : range.sizes()) {
        for (String s : strategies) {
          points.add(new SweepResult.Point(size, s, results.get(i++)));
        }
      }
      out.add(new SweepResult(kernel, strategies, comparison.options().profiles(), points));
    }
    return out;
  }
}
