package org.userptrlab.examples;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.examples.lab.Kernels;
import org.userptrlab.examples.lab.LabReport;
import org.userptrlab.examples.lab.Sizes;
import org.userptrlab.examples.lab.Sweep;
import org.userptrlab.examples.lab.SweepRange;
import org.userptrlab.examples.lab.SweepResult;
import org.userptrlab.examples.report.Document;
import org.userptrlab.examples.report.Format;
import org.userptrlab.examples.report.SvgWriter;
import org.userptrlab.examples.scenarios.Catalogue;
import org.userptrlab.mm.KernelEra;
import org.userptrlab.mm.MachineConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The command line: {@code list}, {@code compare} and {@code sweep}. Every value is checked before
 * any work starts: a bad one prints one line, {@code userptr-lab: <what is wrong>}, and exits 2. A
 * failure during a run exits 1 (with a stack trace only under {@code --verbose}). Output is
 * rendered whole before a byte of it is written.
 */
@Command(name = "userptr-lab", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
    description = "Compares ways a GPU driver can use malloc()ed memory, on a simulated Linux memory manager.",
    subcommands = {Cli.ListCommand.class, Cli.Compare.class, Cli.SweepCommand.class})
public final class Cli implements Runnable {
  /** Exit code of a bad command line or value. */
  public static final int USAGE = 2;

  /** Exit code of a failure during a run. */
  public static final int FAILURE = 1;

  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    // Discovery builds the first injector, the slowest step of start-up: overlap it with parsing.
    Thread discovery = new Thread(Strategies::names, "userptr-lab-discovery");
    discovery.setDaemon(true);
    // A failing discovery is reported by the command that needs it, in one line.
    discovery.setUncaughtExceptionHandler((t, e) -> { });
    discovery.start();
    PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
    PrintWriter err = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8)));
    int code = run(out, err, args);
    out.flush();
    err.flush();
    if (out.checkError() && code == 0) {
      code = FAILURE;
    }
    System.exit(code);
  }

  /** Runs the command line with the given streams and returns the exit code; flushes both streams. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new Cli());
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler((ex, a) -> {
      err.println("userptr-lab: " + ex.getMessage().replace(System.lineSeparator(), " ").strip());
      err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for the options.");
      return USAGE;
    });
    try {
      return cl.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The build's own version, from the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    static String get() {
      Properties p = new Properties();
      try (InputStream in = Cli.class.getResourceAsStream("/org/userptrlab/examples/version.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return p.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
      return new String[] {"userptr-lab " + get()};
    }
  }

  /** A converter whose parser's IllegalArgumentException becomes picocli's one-line error. */
  abstract static class Checked<T> implements CommandLine.ITypeConverter<T> {
    abstract T parse(String value);

    @Override
    public final T convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** A size with an optional K, M, G or T suffix. */
  static final class SizeConverter extends Checked<Long> {
    @Override
    Long parse(String value) {
      return Sizes.parse(value);
    }
  }

  /** A kernel by release (3.4) or name (LINUX_3_4). */
  static final class KernelConverter extends Checked<KernelEra> {
    @Override
    KernelEra parse(String value) {
      return Kernels.parse(value);
    }
  }

  /** A semantic check failed: the message says what is wrong and what would be accepted. */
  static final class BadValue extends RuntimeException {
    BadValue(String message) {
      super(message);
    }
  }

  /** What compare and sweep share: the machine, strategies, kernels, profiles, output and threads. */
  static class Common {
    @Option(names = "--strategies", split = ",", paramLabel = "NAME",
        description = "Strategies to run, comma-separated (default: compare runs every one on the class path, sweep copy,steal; copy always comes first).")
    List<String> strategies;

    @Option(names = {"--kernels", "--eras"}, split = ",", paramLabel = "KERNEL", converter = KernelConverter.class,
        description = "Kernels, by release (default: 3.4,6.12).")
    List<KernelEra> kernels;

    @Option(names = "--profiles", split = ",", paramLabel = "NAME", description = "Platform profiles (default: all: exynos4-2012, x86-desktop-2012, epyc-guest-2026).")
    List<String> profiles;

    @Option(names = "--format", paramLabel = "FORMAT",
        description = "table, markdown, csv or json (default: ${DEFAULT-VALUE}). csv prints the main table; --out writes every table.",
        defaultValue = "table")
    Format format;

    @Option(names = "--out", paramLabel = "DIR",
        description = "Write the report into DIR (report.txt, report.md, report.json, or one .csv per table) instead of standard output.")
    Path out;

    @Option(names = "--svg", paramLabel = "DIR", description = "Also draw the charts as SVG files into DIR, whatever the format.")
    Path svg;

    @Option(names = "--ram", paramLabel = "SIZE", converter = SizeConverter.class,
        description = "RAM of each machine (default: 64M; a scenario may ask for more).")
    Long ram;

    @Option(names = "--swap", paramLabel = "SIZE", converter = SizeConverter.class,
        description = "Swap of each machine (default: none; a scenario may add its own).")
    Long swap;

    @Option(names = "--cpus", paramLabel = "N", description = "CPUs of each machine (default: 4).")
    Integer cpus;

    @Option(names = "--memlock", paramLabel = "SIZE", converter = SizeConverter.class,
        description = "RLIMIT_MEMLOCK each program starts with (default: the kernel's, 64K on 3.4, 8M on 6.12).")
    Long memlock;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
        description = "Seed of every machine; it moves addresses only with --aslr (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--aslr", description = "Randomize each process's heap and mmap base from the seed.")
    boolean aslr;

    @Option(names = "--threads", paramLabel = "N",
        description = "Threads to run on (default: every core, here ${DEFAULT-VALUE}); the output is the same for any number.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--verbose", description = "Print the stack trace of a failure.")
    boolean verbose;

    LabOptions options(List<String> defaultStrategies) {
      MachineConfig.Builder m = LabOptions.DEFAULT_MACHINE.toBuilder().seed(seed).aslr(aslr);
      if (ram != null) {
        m.ram(ram);
      }
      if (swap != null) {
        m.swap(swap);
      }
      if (cpus != null) {
        m.cpus(cpus);
      }
      if (memlock != null) {
        m.memlock(memlock);
      }
      LabOptions.Builder b = LabOptions.builder().threads(threads);
      try {
        b.machine(m.build());
      } catch (RuntimeException e) {
        throw new BadValue(e.getMessage().replaceFirst("^EINVAL: ", ""));
      }
      if (strategies != null) {
        b.strategies(names("--strategies", strategies));
      } else if (defaultStrategies != null) {
        b.strategies(defaultStrategies);
      }
      if (kernels != null) {
        if (kernels.isEmpty()) {
          throw new BadValue("--kernels needs at least one kernel: 3.4 or 6.12");
        }
        b.eras(kernels);
      }
      if (profiles != null) {
        List<PlatformProfile> ps = new ArrayList<>();
        for (String name : names("--profiles", profiles)) {
          ps.add(Profiles.byName(name).orElseThrow(() -> new BadValue("no platform profile '" + name + "'; there are "
              + String.join(", ", Profiles.names()))));
        }
        b.profiles(ps);
      }
      try {
        return b.build();
      } catch (IllegalArgumentException e) {
        throw new BadValue(e.getMessage());
      }
    }

    /** Refuses the empty names {@code --x ,} leaves. */
    static List<String> names(String option, List<String> given) {
      List<String> out = new ArrayList<>();
      for (String s : given) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
      if (out.isEmpty() || out.size() != given.size()) {
        throw new BadValue(option + " needs a comma-separated list of names, without empty ones");
      }
      return out;
    }

    /** Makes the output directories now, so that an unwritable one fails before any work. */
    void checkOutputs() {
      for (Path dir : new Path[] {out, svg}) {
        if (dir == null) {
          continue;
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
          throw new BadValue("cannot create the directory " + dir + ": a file of that name is in the way");
        }
        try {
          Files.createDirectories(dir);
        } catch (java.nio.file.FileSystemException e) {
          throw new BadValue("cannot create the directory " + dir + ": " + (e.getReason() != null ? e.getReason() : "refused"));
        } catch (IOException e) {
          throw new BadValue("cannot create the directory " + dir + ": " + e.getMessage());
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
          throw new BadValue(dir + " is not a writable directory");
        }
      }
    }

    /** Renders the report whole, then writes it: to standard output, or every document under --out; charts under --svg. */
    void emit(LabReport report, PrintWriter stdout, PrintWriter stderr) throws IOException {
      List<Document> docs = format.writer().write(report);
      List<Document> charts = svg == null ? List.of() : new SvgWriter().write(report);
      if (out == null) {
        stdout.print(docs.get(0).content());
        stdout.flush();
      } else {
        for (Document d : docs) {
          write(out, d, stderr);
        }
      }
      for (Document d : charts) {
        write(svg, d, stderr);
      }
    }

    private static void write(Path dir, Document d, PrintWriter stderr) throws IOException {
      Path tmp = Files.createTempFile(dir, "." + d.name(), ".tmp");
      Files.writeString(tmp, d.content(), StandardCharsets.UTF_8);
      Files.move(tmp, dir.resolve(d.name()), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      stderr.println("wrote " + dir.resolve(d.name()));
    }

    /** Runs {@code body} with the exit-code rules of the command line. */
    int guarded(CommandSpec spec, Body body) {
      PrintWriter err = spec.commandLine().getErr();
      try {
        return body.run();
      } catch (BadValue e) {
        err.println("userptr-lab: " + e.getMessage());
        return USAGE;
      } catch (IOException | RuntimeException e) {
        err.println("userptr-lab: " + spec.name() + " failed: " + e);
        if (verbose) {
          e.printStackTrace(err);
        }
        return FAILURE;
      }
    }
  }

  /** A command's work. */
  interface Body {
    int run() throws IOException;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Lists the strategies on the class path, the scenarios, the platform profiles and the kernels.")
  static final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      out.println("Strategies:");
      for (Strategies.Info s : Strategies.all()) {
        out.printf(Locale.ROOT, "  %-16s %-9s %s%n", s.name(), s.contract(), s.provider());
      }
      out.println("Scenarios:");
      for (Scenario s : Catalogue.all()) {
        out.printf(Locale.ROOT, "  %-26s %s%n", s.name(), s.description());
      }
      out.println("Profiles:");
      for (PlatformProfile p : Profiles.all()) {
        out.printf(Locale.ROOT, "  %-16s %s%n", p.name(), p.description());
      }
      out.println("Kernels:");
      for (KernelEra k : KernelEra.values()) {
        out.printf(Locale.ROOT, "  %s%n", k.release());
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "compare", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "Runs the scenario catalogue under every strategy and kernel; prints the verdicts, the costs and where stealing gets cheaper than copying.")
  static final class Compare implements Callable<Integer> {
    @CommandLine.Mixin
    Common common = new Common();

    @Spec
    CommandSpec spec;

    @Option(names = "--scenarios", split = ",", paramLabel = "NAME", description = "Scenarios to run (default: the whole catalogue; see list).")
    List<String> scenarios;

    @Option(names = "--no-sweep", description = "Skip the copy-against-steal sweep behind the crossover lines.")
    boolean noSweep;

    @Option(names = "--sweep-from", paramLabel = "SIZE", converter = SizeConverter.class, defaultValue = "4K",
        description = "Smallest upload of that sweep (default: ${DEFAULT-VALUE}).")
    long sweepFrom;

    @Option(names = "--sweep-to", paramLabel = "SIZE", converter = SizeConverter.class, defaultValue = "256M",
        description = "Largest upload of that sweep, at most 1G (default: ${DEFAULT-VALUE}).")
    long sweepTo;

    @Override
    public Integer call() {
      return common.guarded(spec, () -> {
        LabOptions options = common.options(null);
        List<Scenario> chosen = new ArrayList<>();
        if (scenarios == null) {
          chosen.addAll(Catalogue.all());
        } else {
          for (String name : Common.names("--scenarios", scenarios)) {
            try {
              chosen.add(Catalogue.byName(name));
            } catch (IllegalArgumentException e) {
              throw new BadValue(e.getMessage());
            }
          }
          if (chosen.stream().map(Scenario::name).distinct().count() != chosen.size()) {
            throw new BadValue("--scenarios names a scenario twice; name each once");
          }
        }
        SweepRange range;
        try {
          range = new SweepRange(sweepFrom, sweepTo);
        } catch (IllegalArgumentException e) {
          throw new BadValue(e.getMessage().replace("--from", "--sweep-from").replace("--to", "--sweep-to"));
        }
        List<String> notes = new ArrayList<>();
        boolean sweep = !noSweep && Strategies.exists("copy") && Strategies.exists("steal");
        if (noSweep) {
          notes.add("The copy-against-steal sweep was skipped (--no-sweep): no crossover lines" + (common.svg != null ? " and no sweep chart." : "."));
        } else if (!sweep) {
          notes.add("No crossover lines: the sweep needs the copy and steal strategies on the class path.");
        }
        common.checkOutputs();
        Comparison cmp = new Comparison(options);
        List<RunResult> runs = cmp.runAll(chosen);
        List<SweepResult> sweeps = List.of();
        if (sweep) {
          Comparison first = new Comparison(LabOptions.builder().machine(options.machine()).limits(options.limits())
              .strategies("copy", "steal").eras(options.eras().get(0)).profiles(options.profiles()).threads(options.threads())
              .modules(options.modules()).build());
          sweeps = Sweep.run(first, List.of("copy", "steal"), range);
        }
        LabReport report = new LabReport(LabReport.Command.COMPARE, Version.get(), options.machine(), infos(options),
            options.eras(), options.profiles(), chosen, runs, sweeps, notes);
        common.emit(report, spec.commandLine().getOut(), spec.commandLine().getErr());
        return 0;
      });
    }
  }

  @Command(name = "sweep", mixinStandardHelpOptions = true, versionProvider = Version.class,
      description = "The cost of one upload under each strategy for sizes doubling from --from to --to, and the crossovers.")
  static final class SweepCommand implements Callable<Integer> {
    @CommandLine.Mixin
    Common common = new Common();

    @Spec
    CommandSpec spec;

    @Option(names = "--from", paramLabel = "SIZE", converter = SizeConverter.class, defaultValue = "4K",
        description = "Smallest upload (default: ${DEFAULT-VALUE}).")
    long from;

    @Option(names = "--to", paramLabel = "SIZE", converter = SizeConverter.class, defaultValue = "256M",
        description = "Largest upload, at most 1G, the driver's limit (default: ${DEFAULT-VALUE}).")
    long to;

    @Override
    public Integer call() {
      return common.guarded(spec, () -> {
        LabOptions options = common.options(List.of("copy", "steal"));
        SweepRange range;
        try {
          range = new SweepRange(from, to);
        } catch (IllegalArgumentException e) {
          throw new BadValue(e.getMessage());
        }
        if (options.strategies().size() < 2) {
          throw new BadValue("a sweep compares strategies with the first: give at least two to --strategies");
        }
        common.checkOutputs();
        List<SweepResult> sweeps = Sweep.run(new Comparison(options), options.strategies(), range);
        LabReport report = new LabReport(LabReport.Command.SWEEP, Version.get(), options.machine(), infos(options),
            options.eras(), options.profiles(), List.of(), List.of(), sweeps, List.of());
        common.emit(report, spec.commandLine().getOut(), spec.commandLine().getErr());
        return 0;
      });
    }
  }

  private static List<Strategies.Info> infos(LabOptions options) {
    List<Strategies.Info> out = new ArrayList<>();
    for (String name : options.strategies()) {
      Strategies.all().stream().filter(i -> i.name().equals(name)).forEach(out::add);
    }
    return out;
  }
}
