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

  /**
   * What "one upload" is for a strategy where the sweep's figure leaves something out, one line per
   * such strategy of {@code strategies}. For backed-notifier the GPU job's hmm_range_fault finds every
   * page of the reused buffer present and faults none in, and the model counts no event for its
   * page-table walk: the figure is the import and the job's ioctls, no more.
   */
  public static List<String> notes(List<String> strategies) {
    List<String> out = new ArrayList<>();
    if (strategies.contains(BACKED_NOTIFIER)) {
      out.add(BACKED_NOTIFIER_UPLOAD);
    }
    return out;
  }

  /** The mirroring strategy, whose upload the sweep prices differently (see {@link #notes}). */
  static final String BACKED_NOTIFIER = "backed-notifier";

  /** What an upload under backed-notifier is, in the sweep. */
  public static final String BACKED_NOTIFIER_UPLOAD = "An upload under backed-notifier is the import, one GPU job and the "
      + "program's next fill of the buffer: the job's hmm_range_fault finds every page of the reused buffer present and faults "
      + "none in, and no fault is taken later since nothing invalidates the mirror, so its cost is the ioctls alone, flat in the "
      + "size; the page-table walk of hmm_range_fault is not priced. The faults a job takes after an invalidation (fork, "
      + "reclaim, munmap) are in the scenarios' costs (compare, run), not here.";

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
