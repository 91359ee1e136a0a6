package org.userptrlab.examples;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.userptrlab.core.DriverLimits;
import org.userptrlab.core.Strategies;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.examples.scenarios.Catalogue;
import org.userptrlab.mm.KernelEra;
import org.userptrlab.mm.MachineConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The command-line front end: {@code compare} and {@code sweep}. */
@Command(name = "userptr-lab", mixinStandardHelpOptions = true, version = "userptr-lab 0.1.0",
    description = "Compares ways a GPU driver can use malloc()ed memory, on a simulated Linux memory manager.",
    subcommands = {Cli.Compare.class, Cli.SweepCommand.class})
public final class Cli implements Runnable {
  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs the command line with the given streams; the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new Cli());
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** What both commands share: the machine, the strategies, the eras, the profiles, the format. */
  static class Common {
    @Option(names = "--strategies", split = ",", description = "Strategies to compare (default: every one on the class path, copy first).")
    List<String> strategies;

    @Option(names = "--eras", split = ",", description = "Kernel eras (default: ${DEFAULT-VALUE}).", defaultValue = "LINUX_3_4,LINUX_6_12")
    List<KernelEra> eras;

    @Option(names = "--profiles", split = ",", description = "Platform profiles (default: all).")
    List<String> profiles;

    @Option(names = "--format", description = "table, markdown, csv or json (default: ${DEFAULT-VALUE}).", defaultValue = "table")
    Report.Format format;

    @Option(names = "--seed", description = "Seed of every machine (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;

    @Option(names = "--aslr", description = "Randomize each process's heap and mmap base from the seed.")
    boolean aslr;

    List<String> strategies() {
      List<String> all = new ArrayList<>(strategies != null ? strategies : Strategies.names());
      if (all.remove("copy")) {
        all.add(0, "copy");
      }
      return all;
    }

    List<PlatformProfile> profiles() {
      return profiles == null ? Profiles.all() : profiles.stream().map(Profiles::byName).toList();
    }

    Comparison comparison() {
      MachineConfig defaults = MachineConfig.builder().ram(256L << 20).cpus(4).seed(seed).aslr(aslr).build();
      return new Comparison(defaults, DriverLimits.DEFAULT, profiles(), List.of());
    }
  }

  @Command(name = "compare", mixinStandardHelpOptions = true,
      description = "Runs the scenario catalogue under every strategy and era; prints the verdicts, the costs and the copy/steal crossovers.")
  static final class Compare implements Callable<Integer> {
    @CommandLine.Mixin
    Common common = new Common();

    @Spec
    CommandSpec spec;

    @Option(names = "--no-sweep", description = "Skip the size sweep behind the crossover lines.")
    boolean noSweep;

    @Option(names = "--svg", description = "Also draw the verdict matrix and the sweep as SVG files into this directory.")
    java.nio.file.Path svg;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Comparison cmp = common.comparison();
      List<Scenario> scenarios = Catalogue.all();
      List<RunResult> results = cmp.runAll(scenarios, common.strategies(), common.eras);
      boolean human = common.format == Report.Format.TABLE || common.format == Report.Format.MARKDOWN;
      if (human) {
        out.println(heading("Scenarios", common.format));
        for (Scenario s : scenarios) {
          out.println("  " + s.name() + ": " + s.description());
        }
        out.println();
      }
      if (human) {
        out.println(heading("Use cases: does the program get what it needs?", common.format));
        out.print(Report.fit(results, common.format));
        out.println();
        out.println(heading("Verdicts: does each strategy keep its contract?", common.format));
      }
      out.print(Report.verdicts(results, common.format));
      if (common.format == Report.Format.JSON) {
        return 0;
      }
      for (PlatformProfile p : common.profiles()) {
        if (human) {
          out.println();
          out.println(heading("Cost in microseconds on " + p.name() + " (" + p.description() + ")", common.format));
        }
        out.print(Report.costs(results, p, common.format));
      }
      if (!noSweep && human && common.strategies().contains("copy") && common.strategies().contains("steal")) {
        out.println();
        out.println(heading("Where stealing gets cheaper than copying (one upload; run `sweep` for the curves)", common.format));
        Sweep sweep = Sweep.run(cmp, List.of("copy", "steal"), common.profiles(), common.eras.get(0), 4096, 256L << 20);
        out.print(Report.crossoverText(sweep));
        writeSvg(svg, "sweep.svg", Charts.sweep(sweep), out);
      }
      writeSvg(svg, "verdicts.svg", Charts.matrix(results), out);
      out.flush();
      return 0;
    }
  }

  @Command(name = "sweep", mixinStandardHelpOptions = true,
      description = "The cost of one upload under each strategy for sizes doubling from --from to --to, and the crossovers.")
  static final class SweepCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Common common = new Common();

    @Spec
    CommandSpec spec;

    @Option(names = "--from", description = "Smallest size in bytes (default: ${DEFAULT-VALUE}).", defaultValue = "4096")
    long from;

    @Option(names = "--to", description = "Largest size in bytes (default: ${DEFAULT-VALUE}).", defaultValue = "268435456")
    long to;

    @Option(names = "--svg", description = "Also draw the curves as SVG files (sweep-<kernel>.svg) into this directory.")
    java.nio.file.Path svg;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<String> strategies = common.strategies == null ? List.of("copy", "steal") : common.strategies();
      Comparison cmp = common.comparison();
      for (KernelEra era : common.eras) {
        Sweep sweep = Sweep.run(cmp, strategies, common.profiles(), era, from, to);
        out.print(Report.sweep(sweep, common.format));
        out.println();
        writeSvg(svg, "sweep-" + era.release() + ".svg", Charts.sweep(sweep), out);
      }
      out.flush();
      return 0;
    }
  }

  private static void writeSvg(java.nio.file.Path dir, String name, String svg, PrintWriter out) {
    if (dir == null) {
      return;
    }
    try {
      java.nio.file.Files.createDirectories(dir);
      java.nio.file.Files.writeString(dir.resolve(name), svg);
      out.println("wrote " + dir.resolve(name));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + dir.resolve(name), e);
    }
  }

  private static String heading(String text, Report.Format format) {
    return format == Report.Format.MARKDOWN ? "## " + text : text + "\n" + "=".repeat(text.length());
  }
}
