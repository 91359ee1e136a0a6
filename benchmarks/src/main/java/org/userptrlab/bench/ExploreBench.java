package org.userptrlab.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.lab.explore.Explorer;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.scenarios.TextScenario;
import org.userptrlab.mm.KernelConfig;

/**
 * The explorer's speed: generated programs (buffers of up to 64 pages, and 2 MiB ones on one machine in four with THP always, as {@code explore} makes
 * them) run one after another on one thread, each on a fresh machine with the harness watching.
 * The score is program lines executed per second on one core, machine set-up included. The JIT
 * settles only after about 15 seconds of this mix on a quiet machine (most deoptimizations are over
 * by then, as -XX:+PrintCompilation shows), and after about 40 when the host is busy: there,
 * 2-second slices climbed from 3,000 to 33,000 lines a second over the first 40 seconds. So the
 * warm-up is 40 seconds.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 20, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class ExploreBench {
  /** Programs per invocation; the operations are their lines. */
  static final int PROGRAMS = 32;
  /** The lines of {@link #PROGRAMS} generated programs from seed 1 (checked in setup). */
  static final int LINES = 461;

  @Param({"backed-pin", "copy"})
  public String strategy;

  private Comparison cmp;
  private final List<TextScenario> programs = new ArrayList<>();

  @Setup
  public void generate() {
    cmp = new Comparison(LabOptions.builder().strategies(strategy).kernels(KernelConfig.LINUX_6_12)
        .profiles(List.of(Profiles.all().get(0))).threads(1).build());
    int lines = 0;
    for (int i = 0; i < PROGRAMS; i++) {
      Program p = Parser.parse("bench-" + i, Explorer.program(1, i));
      lines += (int) p.body().stream().filter(s -> !(s instanceof Program.Comment)).count();
      programs.add(new TextScenario(p.name(), p));
    }
    if (lines != LINES) {
      throw new IllegalStateException("the generator changed: " + lines + " lines, not " + LINES + "; update LINES");
    }
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public void runPrograms(Blackhole bh) {
    for (TextScenario s : programs) {
      bh.consume(cmp.run(s, strategy, KernelConfig.LINUX_6_12));
    }
  }
}
