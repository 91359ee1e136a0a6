package org.userptrlab.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.executor.Availability;
import org.userptrlab.executor.NativeExecutor;
import org.userptrlab.lab.explore.ExploreResult;
import org.userptrlab.lab.explore.Explorer;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.lang.ProgramError;
import org.userptrlab.lab.lang.Programs;
import org.userptrlab.lab.real.Diff;
import org.userptrlab.lab.report.Document;
import org.userptrlab.lab.report.Format;
import org.userptrlab.lab.scenarios.Catalogue;
import org.userptrlab.lab.scenarios.TextScenario;
import org.userptrlab.mm.KernelConfig;

/**
 * The lab as a library, in one place: read a program, run programs or the catalogue under the
 * strategies, kernels and profiles of a {@link LabOptions}, explore, diff a program against this
 * machine's real kernel, and write a report in any {@link Format}. Results are typed ({@link RunResult}, {@link ExploreResult}, {@link LabReport});
 * a bad program is a {@link ProgramError} naming its file, line and column, and a bad option an
 * {@link IllegalArgumentException} saying what would do. The command line is a client of this class
 * and the packages it names.
 */
public final class Lab {
  private final Comparison comparison;

  /** A lab that runs under {@code options}: its strategies, kernels, platform profiles and machine. */
  public Lab(LabOptions options) {
    this.comparison = new Comparison(Objects.requireNonNull(options, "options"));
  }

  public LabOptions options() {
    return comparison.options();
  }

  /** Reads and checks the program in {@code file}; throws {@link ProgramError} for a bad one. */
  public static Program read(Path file) throws IOException {
    return Programs.read(file);
  }

  /** Parses and checks a program's text; {@code file} names it in errors. */
  public static Program parse(String file, String text) {
    return Parser.parse(file, text);
  }

  /**
   * Parses and checks a program's bytes as a file holds them: UTF-8, a byte-order mark and CRLF line
   * ends accepted, at most {@link Programs#MAX_BYTES}; anything else is a {@link ProgramError} with its position.
   */
  public static Program parse(String file, byte[] bytes) {
    return Programs.parse(file, bytes);
  }

  /** A program as a scenario the harness runs; {@code file} names it in reports. */
  public static Scenario scenario(String file, Program program) {
    return new TextScenario(file, program);
  }

  /** The catalogue: a scenario per use case and hazard of the 2012 thread. */
  public static List<Scenario> catalogue() {
    return Catalogue.all();
  }

  /**
   * Runs {@code program} under every strategy on every kernel of the options, in that order. A
   * program that asks for more memory than the options' machine and its own settings give is
   * refused before it runs, as {@code userptr-lab run} refuses it.
   */
  public List<RunResult> run(String file, Program program) {
    Scenario s = scenario(file, program);
    String why = Programs.cannotRun(program, options().machine());
    if (why != null) {
      throw new IllegalArgumentException(why);
    }
    return comparison.runAll(List.of(s));
  }

  /** Runs every scenario under every strategy on every kernel of the options; the same for any number of threads. */
  public List<RunResult> run(List<Scenario> scenarios) {
    return comparison.runAll(scenarios);
  }

  /** One scenario under one strategy on one kernel. */
  public RunResult run(Scenario scenario, String strategy, KernelConfig kernel) {
    return comparison.run(scenario, strategy, kernel);
  }

  /** {@code programs} generated programs from {@code seed}, each failure shrunk to a minimal program; deterministic for a seed. */
  public ExploreResult explore(long seed, long programs) {
    return new Explorer(comparison, options().strategies(), options().kernels()).run(seed, programs, 1, 1, n -> { });
  }

  /**
   * Runs {@code program} under each strategy of the options on this machine's real kernel, through
   * the native executor, and on the model of its release, and says per strategy whether they agree
   * operation by operation (or why the run cannot be compared). The options' kernels are not used:
   * the kernel is this machine's ({@link org.userptrlab.mm.KernelConfig#host()}). Throws
   * {@link IllegalStateException} with the reason where the executor cannot run here.
   */
  public List<Diff.Result> diff(Program program) {
    Availability here = NativeExecutor.availability();
    if (!here.available()) {
      throw new IllegalStateException("the real-kernel diff needs the native executor: " + here.reason());
    }
    KernelConfig host = KernelConfig.host();
    LabOptions o = options();
    try (Diff diff = new Diff(Diff.model(o, host), host)) {
      return o.strategies().stream().map(s -> diff.run(program, s, Strategies.contract(s))).toList();
    }
  }

  /** The documents of {@code report} in {@code format}, the main one first; nothing is written anywhere. */
  public static List<Document> write(LabReport report, Format format) {
    return format.writer().write(report);
  }
}
