package org.userptrlab.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.lab.explore.Explorer;
import org.userptrlab.lab.lang.Op;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.real.Diff;
import org.userptrlab.lab.real.DiffJson;
import org.userptrlab.lab.report.TextTable;
import org.userptrlab.lab.scenarios.Catalogue;
import org.userptrlab.lab.scenarios.TextScenario;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code diff}: programs on the model and on this machine's kernel, operation by operation. */
@Command(name = "diff", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Runs programs on the model (kernel preset: this machine's release) and on the real kernel through the "
        + "native executor, and says per program and strategy whether they agree, where they first differ, why a "
        + "program cannot run on a real kernel or cannot be compared there, or that the executor died under it. Exits 1 "
        + "if any disagree or did not run (the executor died under it); one that is not runnable, or not comparable, "
        + "says why and leaves the exit at 0.")
final class DiffCommand implements Callable<Integer> {
  /** Untimed runs of each program on the model before the timed ones, at least: the JIT's warm-up, as a benchmark harness does it. */
  private static final int WARM_RUNS = 300;
  /** Timed runs of each program on the real kernel; the median is printed. */
  private static final int REAL_RUNS = 5;
  /** Timed runs of each program on the model; the median is printed. */
  private static final int MODEL_RUNS = 15;

  @Spec
  CommandSpec spec;

  static final class Programs {
    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Program files.")
    List<Path> files;

    @Option(names = "--catalogue", description = "The catalogue's programs.")
    boolean catalogue;

    @Option(names = "--explore", paramLabel = "N", description = "N random programs of the explorer.")
    Integer explore;

    @Option(names = "--suite", paramLabel = "NAME", description = "The programs of a suite shipped with the lab: "
        + "kernel-selftests (the cases of the kernel's mm selftests cow.c and gup_longterm.c); under the baseline strategy only, "
        + "unless --strategies says otherwise, since they import nothing.")
    String suite;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Programs programs;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "The explorer's seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--strategies", split = CommonOptions.LIST, splitSynopsisLabel = ",", paramLabel = "NAME", description = "Strategies to compare (default: all).")
  List<String> strategies;

  @Option(names = "--profile-file", paramLabel = "FILE", description = "With --timing: a platform profile (as calibrate "
      + "writes) whose predicted cost of each run is printed beside the real kernel's time.")
  Path profileFile;

  /** What the results are written as on standard output. */
  enum Output {
    TABLE,
    JSON
  }

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table (the default) or json "
      + "(in the shape of the schema userptr-lab-diff.schema.json in the jar).")
  Output format;

  @Option(names = "--timing", description = "Also print, for each run, the real kernel's time (what the program's system "
      + "calls and memory accesses took in the executor's processes, summed; the median of 5 runs), the model's (machine "
      + "set-up included; the median of 15 runs, after the real ones, once at least 300 untimed runs of the same "
      + "program have left the JIT nothing to compile), and their ratio.")
  boolean timing;

  @Override
  public Integer call() {
    try {
      return diff();
    } catch (RuntimeException e) {
      // A failure of the lab's own, during the run: one line, as every command says it.
      spec.commandLine().getErr().println("userptr-lab: diff failed: " + e);
      return Cli.FAILURE;
    }
  }

  private int diff() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Program> list;
    List<String> names;
    List<PlatformProfile> profiles = List.of(Profiles.all().get(0));
    KernelConfig host = KernelConfig.host();
    LabOptions.Builder options = LabOptions.builder().kernels(host).threads(1);
    try {
      if (profileFile != null && !timing) {
        throw new BadValue("--profile-file prints each run's predicted cost beside the times of --timing: give --timing too");
      }
      if (programs.explore == null && spec.commandLine().getParseResult().hasMatchedOption("--seed")) {
        throw new BadValue("--seed is the seed of the explorer's programs: give --explore N too");
      }
      list = load();
      names = strategies != null ? CommonOptions.strategyNames(strategies)
          : programs.suite != null ? List.of(org.userptrlab.lab.scenarios.Suite.STRATEGY) : Strategies.names();
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (String s : names) {
        if (!Strategies.exists(s)) {
          throw new BadValue(Strategies.unknown(s));
        }
        if (!seen.add(s)) {
          throw new BadValue("strategy " + s + " is named twice; name each strategy once");
        }
      }
      // The user's own programs are refused as run refuses them; the explorer's that cannot fit are each not runnable.
      MachineConfig machine = options.build().machine();
      for (Program p : programs.files == null ? List.<Program>of() : list) {
        String why = doesNotFit(p, machine);
        if (why != null) {
          throw new BadValue(why);
        }
      }
      if (profileFile != null) {
        try {
          profiles = List.of(org.userptrlab.lab.ProfileFile.read(profileFile));
          // The report names the profile it predicted under: a file that changed a built-in's figures needs a name of its own.
          java.util.Optional<String> clash = org.userptrlab.lab.ProfileFile.nameClash(profileFile, profiles.get(0));
          if (clash.isPresent()) {
            throw new BadValue(clash.get());
          }
          org.userptrlab.lab.ProfileFile.borrowed(profileFile, profiles.get(0))
              .ifPresent(note -> err.println("userptr-lab: warning: " + note));
        } catch (IOException | IllegalArgumentException e) {
          throw new BadValue(e.getMessage());
        }
      }
    } catch (BadValue e) {
      err.println("userptr-lab: " + e.getMessage());
      return Cli.USAGE;
    }
    if (!Cli.executorHere("diff", err)) {
      return Cli.FAILURE;
    }
    org.userptrlab.executor.NativeExecutor.removeStaleCalibrationSwap();
    Comparison model = Diff.model(options.profiles(profiles).build(), host);
    Diff diff = timing ? new Diff(model, host, WARM_RUNS, REAL_RUNS, MODEL_RUNS) : new Diff(model, host);
    List<Diff.Result> results = new ArrayList<>();
    // With a profile, the machine's own drift: a reference program timed on both sides before the runs and after them.
    boolean drift = timing && profileFile != null;
    List<Diff.Result> reference = new ArrayList<>();
    try (diff; Progress bar = Progress.start("diff", (long) list.size() * names.size())) {
      if (drift) {
        reference.add(diff.run(REFERENCE, "copy", Strategies.contract("copy")));
      }
      for (Program p : list) {
        for (String s : names) {
          results.add(diff.run(p, s, Strategies.contract(s)));
          bar.step(1);
        }
      }
      if (drift) {
        reference.add(diff.run(REFERENCE, "copy", Strategies.contract("copy")));
      }
    }
    List<String> notes = new ArrayList<>(diff.notes());
    for (Program p : list) {
      if (p.kernel() != null && !p.kernel().equals(host) && !p.kernel().name().equals(host.name())) {
        notes.add(String.format(Locale.ROOT, "program %s names kernel %s: the model runs it as this machine's kernel (%s), which "
            + "is the one it is compared with, so its 'kernel' line is not used", p.name(), p.kernel().name(), host.name()));
      }
    }
    if (drift) {
      driftNote(reference, results).ifPresent(note -> {
        notes.add(0, note);
        if (note.startsWith(DRIFT_UNKNOWN)) {
          err.println("userptr-lab: " + note);
        }
      });
    }
    if (drift) {
      List<String> lacked = lacked(profiles.get(0));
      notes.add(0, String.format(Locale.ROOT, "predicted under the profile %s, read from %s%s", profiles.get(0).name(), profileFile,
          lacked.isEmpty() ? "" : ", which lacked " + String.join(", ", lacked) + ": "
              + org.userptrlab.lab.ProfileFile.standIns(profiles.get(0)) + " (calibrate again to time "
              + (lacked.size() == 1 ? "it" : "them") + " here)"));
    }
    if (timing && profileFile == null) {
      notes.add(0, "with --profile-file FILE (calibrate writes one), each run's predicted time is printed beside its real one, "
          + "and where the time goes");
    }
    if (format == Output.JSON) {
      out.print(DiffJson.write(new DiffJson.Report(Version.get(), host.name(), System.getProperty("os.version"), timing, results,
          drift ? new DiffJson.Prediction(profiles.get(0).name(), drift(reference, results, 0), drift(reference, results, 1),
              lacked(profiles.get(0))) : null, notes, runsAs(host))));
    } else {
      table(out, host, results, notes);
    }
    out.flush();
    return results.stream().anyMatch(r -> r.verdict() == Diff.Verdict.DISAGREE || r.verdict() == Diff.Verdict.NOT_RUN)
        ? Cli.FAILURE : 0;
  }

  /** The release the model runs {@code host} as, where it is past the newest release the model follows; else null. */
  private static String runsAs(KernelConfig host) {
    org.userptrlab.mm.KernelRelease newest = org.userptrlab.lab.Kernels.newest();
    return host.release().compareTo(newest) > 0 ? newest.toString() : null;
  }

  /** How a note says that the drift could not be measured. */
  static final String DRIFT_UNKNOWN = "the machine's drift is not known";

  /**
   * The drift's note, where one of the runs ran on both sides (only then does it say something of them): the reference
   * program's predicted/real before the runs and after them, or why that is not known (a reference run that did not run).
   */
  static java.util.Optional<String> driftNote(List<Diff.Result> reference, List<Diff.Result> results) {
    if (results.stream().noneMatch(Diff.Result::ran)) {
      return java.util.Optional.empty();
    }
    if (!reference.stream().allMatch(DiffCommand::timedRun)) {
      List<String> sides = new ArrayList<>();
      for (int i = 0; i < reference.size(); i++) {
        String when = i == 0 ? "before the runs" : "after them";
        sides.add(timedRun(reference.get(i)) ? String.format(Locale.ROOT, "%s its prediction was %.2f of its real time", when,
            drift(reference, results, i)) : String.format(Locale.ROOT, "%s it did not run (%s)", when, reference.get(i).detail()));
      }
      return java.util.Optional.of(String.format(Locale.ROOT, "%s: the lab's own reference program (%s, not one of yours): %s",
          DRIFT_UNKNOWN, REFERENCE.description(), String.join("; ", sides)));
    }
    double before = drift(reference, results, 0);
    double after = drift(reference, results, 1);
    // The runs are judged to 25%: a machine whose speed moved more than that while they ran may count otherwise next time.
    String moved = Math.max(before, after) / Math.min(before, after) > 1.25 ? "; the machine's speed moved by more than the 25% "
        + "the runs are judged by while they ran, so how many come within it may move as much from one diff to the next" : "";
    return java.util.Optional.of(String.format(Locale.ROOT, "the machine's drift: the prediction for a reference program (%s) "
        + "was %.2f of its real time before the runs and %.2f after them (below 1 the machine ran slower than when it was "
        + "calibrated, above 1 quicker; no prediction is adjusted for it)%s", REFERENCE.description(), before, after, moved));
  }

  private static boolean timedRun(Diff.Result r) {
    return r.ran() && r.realNanos() > 0;
  }

  /** The reference run {@code i}'s predicted/real where it and one of the runs ran on both sides, else NaN. */
  private static double drift(List<Diff.Result> reference, List<Diff.Result> results, int i) {
    return i < reference.size() && timedRun(reference.get(i)) && results.stream().anyMatch(Diff.Result::ran)
        ? reference.get(i).predictedNanos() / reference.get(i).realNanos() : Double.NaN;
  }

  /** What a timed diff with a profile runs before and after the programs: the machine's speed against its calibration. */
  static final Program REFERENCE = org.userptrlab.lab.lang.Parser.parse("reference.scenario", """
      scenario reference "4 MiB written and read back"
      p = app app
      buf = p.malloc 4M
      p.fill buf 4M 1
      back = p.sees buf 4M 1
      p.free buf
      """);

  /** Why {@code p} cannot run on the model's machine, as {@code run} says it; null if it can. */
  private static String doesNotFit(Program p, MachineConfig defaults) {
    String why = org.userptrlab.lab.lang.Programs.cannotRun(p, defaults);
    // diff has no --ram or --swap: the program's own machine line is the way.
    return why == null ? null : why.replace(" or run it with --ram/--swap", "");
  }

  private void table(PrintWriter out, KernelConfig host, List<Diff.Result> results, List<String> notes) {
    boolean predicted = timing && profileFile != null;
    TextTable table = predicted ? new TextTable(List.of("program", "strategy", "result", "model ms", "real ms", "real/model",
        "predicted ms", "predicted/real", "detail"), 3)
        : timing ? new TextTable(List.of("program", "strategy", "result", "model ms", "real ms", "real/model", "detail"), 3)
        : new TextTable(List.of("program", "strategy", "result", "detail"), 4);
    Map<Diff.Verdict, Integer> counts = new EnumMap<>(Diff.Verdict.class);
    for (Diff.Result r : results) {
      counts.merge(r.verdict(), 1, Integer::sum);
      if (timing) {
        boolean ran = r.ran();
        List<String> row = new ArrayList<>(List.of(r.program(), r.strategy(), r.verdict().label(), ran ? ms(r.modelNanos()) : "",
            ran ? ms(r.realNanos()) : "",
            ran ? String.format(Locale.ROOT, "%.1f", (double) r.realNanos() / Math.max(1, r.modelNanos())) : ""));
        if (predicted) {
          row.add(ran ? ms((long) r.predictedNanos()) : "");
          boolean miss = r.realNanos() > 0 && !Diff.withinQuarter(r);
          row.add(ran ? runRatio(r.predictedNanos() / Math.max(1, r.realNanos()), miss) + (miss ? " *" : "") : "");
        }
        row.add(r.detail());
        table.row(row);
      } else {
        table.row(List.of(r.program(), r.strategy(), r.verdict().label(), r.detail()));
      }
    }
    // A release past the newest the model follows runs as that one, which the header says, as run says it.
    String runsAs = runsAs(host);
    out.println("userptr-lab diff: the model on " + host.name() + (runsAs != null ? " (run as " + runsAs
        + ", the newest release the model follows)" : "") + " against this machine's kernel, " + System.getProperty("os.version"));
    out.println();
    out.print(table.plain());
    out.println();
    List<String> summary = new ArrayList<>();
    for (Diff.Verdict v : Diff.Verdict.values()) {
      int n = counts.getOrDefault(v, 0);
      // The first three always, as before; the others only when they happened.
      if (n > 0 || v.ordinal() <= Diff.Verdict.NOT_RUNNABLE.ordinal()) {
        summary.add(n + " " + v.label());
      }
    }
    out.println(String.join(", ", summary));
    if (timing) {
      out.println();
      out.println("model ms: the model's own running time (the median of " + MODEL_RUNS + " runs); real ms: the real kernel's (the "
          + "median of " + REAL_RUNS + "); real/model: how many times faster the model ran" + (profileFile == null ? "."
          : "; predicted ms: the model's virtual time for the run under the profile, what it says the real kernel takes, and "
          + "predicted/real how near that came."));
    }
    String times = timing && profileFile != null ? whereTheTimeGoes(results) : "";
    if (!times.isEmpty()) {
      out.println();
      out.print(times);
      if (!notes.isEmpty()) {
        out.println();
      }
    }
    notes.forEach(out::println);
  }

  /**
   * The runs' times summed per operation of the language, real against predicted, dearest first:
   * where a prediction goes wrong; empty when no run ran on both sides.
   */
  private static String whereTheTimeGoes(List<Diff.Result> results) {
    Map<Op, long[]> by = new EnumMap<>(Op.class);
    for (Diff.Result r : results) {
      for (Diff.OpTime t : r.ran() ? r.ops() : List.<Diff.OpTime>of()) {
        long[] sum = by.computeIfAbsent(t.op(), o -> new long[4]);
        sum[0] += t.steps();
        sum[1] += t.realNanos();
        sum[2] += t.predictedNanos();
        sum[3] += t.scaffoldNanos();
      }
    }
    if (by.isEmpty()) {
      return "";
    }
    TextTable table = new TextTable(List.of("operation", "steps", "real ms", "predicted ms", "predicted/real", "left out ms"), 1);
    List<Map.Entry<Op, long[]>> rows = new ArrayList<>(by.entrySet());
    rows.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
    long[] all = new long[4];
    for (Map.Entry<Op, long[]> e : rows) {
      long[] t = e.getValue();
      table.row(List.of(e.getKey().written(), Long.toString(t[0]), ms(t[1]), ms(t[2]), ratio(t[2], t[1]), ms(t[3])));
      for (int i = 0; i < 4; i++) {
        all[i] += t[i];
      }
    }
    table.row(List.of("all", Long.toString(all[0]), ms(all[1]), ms(all[2]), ratio(all[2], all[1]), ms(all[3])));
    int timed = Diff.timedRuns(results);
    int within = Diff.withinQuarter(results);
    return String.format(Locale.ROOT, "predicted within 25%% of the real time: %d of the %d %s%s%n%n", within, timed,
        timed == 1 ? "run that ran on both sides" : "runs that ran on both sides",
        within < timed ? " (the others' predicted/real marked *)" : "") + "where the time goes, per operation (P.fill: a process's fill, whatever the program calls it; steps: how many "
        + "times the runs made it; real ms: the steps' times in each run's median run), over the runs that ran on both "
        + "sides:\n\n" + table.plain()
        + "\nHow to read it:\n"
        + "- The executor runs each step to its end before the next, a kernel worker's (reclaim, compaction) too, so a run's "
        + "prediction is its steps' virtual times one after another.\n"
        + "- A run's prediction is the sum of its operations': one priced low and another priced high can leave the run within "
        + "25%, which the rows above show apart.\n"
        + "- A step the executor does not time (a process's teardown at exit or exec) counts on neither side.\n"
        + "- An operation the model takes no time for (starting a program, a report, a look at /proc) predicts none: "
        + "predicted/real 0.00, or blank where the real side took no time either.\n"
        + (by.containsKey(Op.FILE_SEES) ? "- file_sees writes the file back (fdatasync) before it reads it, as its meaning asks: a "
            + "disk's time, in real ms, which the model, having no disk, does not predict.\n" : "")
        + "- left out ms: what a step's real time leaves out:\n"
        + "  what the executor does only because it has no driver, which no driver spends (its analogue's memfd, pipes and "
        + "io_uring ring, made and torn down, a second pass over an object's bytes, the buffer a disk file is written from, "
        + "the mlock analogue's munlock of pages the patch leaves locked, a GPU job's own memory, the flush of its object's "
        + "bytes from the CPU's caches and the check of what it read);\n"
        + "  the lab's looks at the kernel's state (pagemap, /proc/self/status and smaps), which no program makes.\n";
  }

  private static String ratio(long predicted, long real) {
    return real <= 0 ? "" : String.format(Locale.ROOT, "%.2f", (double) predicted / real);
  }

  private List<Program> load() {
    List<Program> out = new ArrayList<>();
    if (programs.catalogue) {
      for (Scenario s : Catalogue.all()) {
        out.add(((TextScenario) s).program());
      }
    } else if (programs.explore != null) {
      if (programs.explore < 1) {
        throw new BadValue("--explore takes a number of programs of at least 1, not " + programs.explore);
      }
      for (int i = 0; i < programs.explore; i++) {
        out.add(Parser.parse("explore-" + seed + "-" + i, Explorer.program(seed, i)));
      }
    } else if (programs.suite != null) {
      for (TextScenario s : CommonOptions.suite(programs.suite).programs()) {
        out.add(s.program());
      }
    } else {
      for (Path f : programs.files) {
        out.add(CommonOptions.program(f));
      }
      // Results are named by scenario, as run's are: two of one name, or one file twice, could not be told apart.
      CommonOptions.distinctNames(out, programs.files);
    }
    return out;
  }

  /** The figures a profile's file lacked, which others stood in for, by name. */
  private static List<String> lacked(org.userptrlab.core.cost.PlatformProfile p) {
    return p.filledIn().stream().map(Enum::name).toList();
  }

  /**
   * A predicted/real ratio as the table prints it: two decimals, more where two would round a miss onto the bound it
   * missed (0.7496 is "0.7496", not "0.75").
   */
  static String runRatio(double q, boolean miss) {
    for (int decimals = 2; ; decimals++) {
      String shown = String.format(Locale.ROOT, "%." + decimals + "f", q);
      double back = Double.parseDouble(shown);
      if (!miss || decimals == 6 || back < 0.75 || back > 1.25) {
        return shown;
      }
    }
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
  }
}
