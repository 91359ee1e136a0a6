package org.userptrlab.examples.real;

import java.util.ArrayList;
import java.util.List;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.spi.Contract;
import org.userptrlab.examples.lang.Program;
import org.userptrlab.examples.scenarios.Step;
import org.userptrlab.examples.scenarios.TextScenario;
import org.userptrlab.executor.NativeExecutor;
import org.userptrlab.executor.Session;
import org.userptrlab.mm.KernelConfig;

/**
 * One program under one strategy on the model (the host's kernel release) and on the real kernel,
 * step by step: the outcome of each operation (a check's truth, an errno, a signal) and the acting
 * process's VmLck and VmPin must agree.
 */
public final class Diff {
  /** How a program and strategy came out. */
  public enum Verdict {
    AGREE,
    DISAGREE,
    NOT_RUNNABLE
  }

  /** The comparison of one program under one strategy; for a disagreement, the first step that differs on each side. */
  public record Result(String program, String strategy, Verdict verdict, String detail, long modelNanos, long realNanos,
      double predictedNanos) {}

  private final Comparison model;
  private final KernelConfig kernel;
  private final int warmRuns;
  private final int timedRuns;

  public Diff(Comparison model, KernelConfig kernel) {
    this(model, kernel, 0, 1);
  }

  /**
   * A diff that runs each program {@code warmRuns} times on the model untimed, then
   * {@code timedRuns} times, and gives the median of those (machine set-up included): the JIT
   * compiles the model while it runs, and a real kernel is compiled already.
   */
  public Diff(Comparison model, KernelConfig kernel, int warmRuns, int timedRuns) {
    this.model = model;
    this.kernel = kernel;
    this.warmRuns = warmRuns;
    this.timedRuns = timedRuns;
  }

  /** A program's run on the real kernel, to be compared with the model's; {@code failure} when the executor failed. */
  public record RealRun(Program program, String strategy, Trace trace, String failure) {}

  /** Runs {@code program} under {@code strategy} on both sides and compares. */
  public Result run(Program program, String strategy, Contract contract) {
    return compare(onRealKernel(program, strategy, contract));
  }

  /** Runs {@code program} under {@code strategy} on the real kernel, in a session of its own. */
  public static RealRun onRealKernel(Program program, String strategy, Contract contract) {
    try (Session s = NativeExecutor.start()) {
      return new RealRun(program, strategy, RealProgram.run(program, strategy, contract, s), null);
    } catch (RuntimeException e) {
      return new RealRun(program, strategy, null, e.getMessage());
    }
  }

  /** Runs the program of {@code real} on the model and compares the two, step by step. */
  public Result compare(RealRun real) {
    Program program = real.program();
    String strategy = real.strategy();
    if (real.failure() != null) {
      return new Result(program.name(), strategy, Verdict.DISAGREE, "the executor failed: " + real.failure(), 0, 0, Double.NaN);
    }
    if (!real.trace().runnable()) {
      return new Result(program.name(), strategy, Verdict.NOT_RUNNABLE, real.trace().notRunnable(), 0, 0, Double.NaN);
    }
    for (int i = 0; i < warmRuns; i++) {
      model.run(new TextScenario(program.name() + ".scenario", program), strategy, kernel);
    }
    List<Step> steps = new ArrayList<>();
    long[] times = new long[Math.max(1, timedRuns)];
    double predicted = Double.NaN;
    for (int i = 0; i < times.length; i++) {
      List<Step> sink = i == 0 ? steps : new ArrayList<>();
      long start = System.nanoTime();
      org.userptrlab.core.harness.RunResult r = model.run(new TextScenario(program.name() + ".scenario", program, sink::add), strategy,
          kernel);
      times[i] = System.nanoTime() - start;
      // The cost the model predicts on the last profile it was given: a calibrated one, when there is one.
      predicted = r.costs().isEmpty() ? Double.NaN : r.costs().get(r.costs().size() - 1).totalNs();
    }
    java.util.Arrays.sort(times);
    long modelNanos = times[times.length / 2];
    String first = firstDifference(steps, real.trace().steps(), strategy);
    return new Result(program.name(), strategy, first == null ? Verdict.AGREE : Verdict.DISAGREE, first == null ? "" : first,
        modelNanos, real.trace().nanos(), predicted);
  }

  /** The first step where the two sides differ, said with both values; null if none does. */
  static String firstDifference(List<Step> model, List<Step> real, String strategy) {
    for (int i = 0; i < Math.max(model.size(), real.size()); i++) {
      if (i >= model.size() || i >= real.size()) {
        Step extra = i < model.size() ? model.get(i) : real.get(i);
        return String.format("line %d (%s): only the %s went on to it", extra.line(), extra.call(),
            i < model.size() ? "model" : "real kernel");
      }
      Step m = model.get(i);
      Step k = real.get(i);
      if (!m.outcome().equals(k.outcome())) {
        return String.format("line %d (%s): model %s, real kernel %s", m.line(), m.call(), m.outcome(), k.outcome());
      }
      // The mlock strategy's analogue is mlock(2), which charges locked_vm; the Exynos patch it stands for does not.
      if (!strategy.equals("mlock") && differ(m.vmlckKb(), k.vmlckKb())) {
        return String.format("line %d (%s): VmLck model %d kB, real kernel %d kB", m.line(), m.call(), m.vmlckKb(), k.vmlckKb());
      }
      if (differ(m.vmpinKb(), k.vmpinKb())) {
        return String.format("line %d (%s): VmPin model %d kB, real kernel %d kB", m.line(), m.call(), m.vmpinKb(), k.vmpinKb());
      }
    }
    return null;
  }

  private static boolean differ(long model, long real) {
    return model >= 0 && real >= 0 && model != real;
  }
}
