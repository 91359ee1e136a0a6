package org.userptrlab.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.lab.scenarios.Catalogue;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.lab.Kernels;
import org.userptrlab.lab.LabReport;
import org.userptrlab.lab.report.Document;
import org.userptrlab.lab.report.Format;
import org.userptrlab.lab.report.SvgWriter;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The options {@code compare} and {@code sweep} share, their checks, and how a report is written. */
class CommonOptions {
  /**
   * How a list option's value is split: at each comma but a last one, so that a value ending in a
   * comma keeps it, and is refused as a list with an empty item (a plain split drops it silently).
   */
  static final String LIST = ",(?=.)";

  // --strategies, --kernels and --format have per-command defaults: each command's resource bundle
  // (compare.properties, ...) holds the description that is true for it; these are the fallbacks.
  @Option(names = "--strategies", split = CommonOptions.LIST, splitSynopsisLabel = ",", paramLabel = "NAME", descriptionKey = "strategies",
      description = "Strategies to run, comma-separated (default: every one on the class path; copy always comes first).")
  List<String> strategies;

  @Option(names = "--kernels", split = CommonOptions.LIST, splitSynopsisLabel = ",", paramLabel = "KERNEL", converter = Converters.KernelConverter.class,
      descriptionKey = "kernels", description = "Kernels: a release (5.10; any from 3.0), or host, each optionally with +change or -change "
          + "(3.4+foll-pin, 6.12-anon-exclusive; 'list' shows the changes). " + ERAS
          + " (default: 3.4,6.12).")
  List<KernelConfig> kernels;

  /** What --kernels says of its other names. */
  static final String ERAS = "--kernel and --eras (an older name) are other names of --kernels, hidden from the usage line but kept "
      + "for scripts.";

  @Option(names = {"--eras", "--kernel"}, split = CommonOptions.LIST, splitSynopsisLabel = ",", paramLabel = "KERNEL", converter = Converters.KernelConverter.class, hidden = true,
      description = "Other names of --kernels, kept so that scripts written for them go on working.")
  List<KernelConfig> eras;

  @Option(names = "--profiles", split = CommonOptions.LIST, splitSynopsisLabel = ",", paramLabel = "NAME", description = "Platform profiles (default: all: exynos4-2012, x86-desktop-2012, epyc-guest-2026, pcie5-dgpu-2026).")
  List<String> profiles;

  @Option(names = "--profile-file", paramLabel = "FILE", description = "A platform profile from a file (as calibrate writes), "
      + "used beside the --profiles ones, which may name it; without --profiles it comes first, and the runs' clocks are priced "
      + "on it.")
  List<java.nio.file.Path> profileFiles;

  @Option(names = "--format", paramLabel = "FORMAT", descriptionKey = "format",
      description = "table, markdown, csv or json (default: ${DEFAULT-VALUE}). csv prints the main table; --out writes every table.",
      defaultValue = "table")
  Format format;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Write the report into DIR (report.txt, report.md, report.json, junit.xml, or one .csv per table) instead of "
          + "standard output. explore writes explore.json, coverage.csv, its minimal programs and its corpus there and still "
          + "prints its summary (with --engine spark, DIR may be a Hadoop file system URI: hdfs://, s3a://, file://); shrink writes "
          + "the minimal program there and still prints it.")
  Path out;

  @Option(names = "--svg", paramLabel = "DIR", description = "Also draw the charts as SVG files into DIR, whatever the format.")
  Path svg;

  @Option(names = "--ram", paramLabel = "SIZE", converter = Converters.SizeConverter.class,
      description = "RAM of each machine (default: 64M; a scenario may ask for more).")
  Long ram;

  @Option(names = "--swap", paramLabel = "SIZE", converter = Converters.SizeConverter.class,
      description = "Swap of each machine (default: none; a scenario may add its own).")
  Long swap;

  @Option(names = "--cpus", paramLabel = "N", description = "CPUs of each machine, 1 to 64 (default: 4).")
  Integer cpus;

  @Option(names = "--memlock", paramLabel = "SIZE", converter = Converters.SizeConverter.class,
      description = "RLIMIT_MEMLOCK each program starts with (default: the kernel's, 64K on 3.4, 8M on 6.12). An 'app' "
          + "raises its own to 1 GiB where it is lower, as GPU users are set up (ulimit -l); a program made with 'spawn' keeps this one.")
  Long memlock;

  @Option(names = "--thp", paramLabel = "MODE", split = LIST, splitSynopsisLabel = ",", description = "Transparent huge pages for "
      + "anonymous memory, as /sys/kernel/mm/transparent_hugepage/enabled: always, madvise or never (default: madvise; a scenario "
      + "may set its own); compare takes several (never,always) and shows where they differ.")
  List<String> thp;

  /** Whether the command takes several THP modes ({@code compare}); any other takes one. */
  boolean severalThpModes;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", descriptionKey = "seed",
      description = "Seed of every machine; it moves addresses only with --aslr (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--aslr", description = "Randomize each process's heap and mmap base from the seed.")
  boolean aslr;

  @Option(names = "--notifier-policy", paramLabel = "POLICY", description = "What backed-notifier's invalidation does about a "
      + "GPU job still running on the pages: i915 (waits for it, as i915_gem_userptr_invalidate and amdgpu's graphics path "
      + "do; the default) or xe-lr (preempts its queue, as xe does for a VM in long-running mode).")
  String notifierPolicy;

  @Option(names = "--threads", paramLabel = "N",
      description = "Threads to run on (default: every core, here ${DEFAULT-VALUE}); the output is the same for any number.")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--verbose", description = "Print the stack trace of a failure.")
  boolean verbose;

  private static MachineConfig.Thp thpMode(String value) {
    for (MachineConfig.Thp mode : MachineConfig.Thp.values()) {
      // As picocli takes --format and --fail-on in any case.
      if (mode.sysfsName().equalsIgnoreCase(value) && mode != MachineConfig.Thp.INHERIT) {
        return mode;
      }
    }
    throw new BadValue("--thp: '" + value + "' is not a THP mode; the modes are always, madvise and never");
  }

  /** The THP modes of {@code --thp}, in its order; empty when it is not given. */
  List<MachineConfig.Thp> thpModes() {
    if (thp == null) {
      return List.of();
    }
    List<MachineConfig.Thp> modes = new java.util.ArrayList<>();
    for (String value : thp) {
      MachineConfig.Thp mode = thpMode(value);
      if (modes.contains(mode)) {
        throw new BadValue("--thp: '" + value + "' is given twice");
      }
      modes.add(mode);
    }
    if (modes.size() > 1 && !severalThpModes) {
      throw new BadValue("--thp: this command runs under one mode of transparent huge pages; several (" + String.join(",", thp)
          + ") are for compare");
    }
    return modes;
  }

  /** The suite {@code --suite} names, or the suites there are. */
  static org.userptrlab.lab.scenarios.Suite suite(String id) {
    try {
      return org.userptrlab.lab.scenarios.Suite.of(id);
    } catch (IllegalArgumentException e) {
      throw new BadValue("--suite: " + e.getMessage());
    }
  }

  LabOptions options(List<String> defaultStrategies) {
    return options(defaultStrategies, null);
  }

  /** The options of the command line, with the command's own defaults where it has them (null: LabOptions's). */
  LabOptions options(List<String> defaultStrategies, List<KernelConfig> defaultKernels) {
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
    List<MachineConfig.Thp> modes = thpModes();
    if (!modes.isEmpty()) {
      m.thp(modes.get(0));
    }
    LabOptions.Builder b = LabOptions.builder().threads(threads).spans(gantt && svg != null);
    if (notifierPolicy != null) {
      org.userptrlab.strategy.backed.NotifierPolicy policy = org.userptrlab.strategy.backed.NotifierPolicy.byShortName(
          notifierPolicy.toLowerCase(java.util.Locale.ROOT)).orElseThrow(() -> new BadValue(
          "no notifier policy '" + notifierPolicy + "'; there are i915 (wait for the job) and xe-lr (preempt it)"));
      // i915's is backed-notifier's own default: naming it changes nothing, and a run that names it is the same run.
      if (policy != org.userptrlab.strategy.backed.NotifierPolicy.I915_GEM_USERPTR_INVALIDATE) {
        b.modules(List.of(policy.binding()));
      }
    }
    try {
      b.machine(m.build());
    } catch (RuntimeException e) {
      // MachineConfig names the setting (ram, swap, cpus, memlock): say it as the option that set it.
      throw new BadValue(e.getMessage().replaceFirst("^EINVAL: ", "").replaceFirst("^(ram|swap|cpus|memlock) ", "--$1 "));
    }
    if (strategies != null) {
      b.strategies(givenStrategies());
    } else if (defaultStrategies != null) {
      b.strategies(defaultStrategies);
    }
    List<KernelConfig> kernels = this.kernels == null ? eras : eras == null ? this.kernels
        : java.util.stream.Stream.concat(this.kernels.stream(), eras.stream()).toList();
    if (kernels != null) {
      if (kernels.isEmpty()) {
        throw new BadValue("--kernels needs at least one kernel, such as 3.4 or 5.10");
      }
      b.kernels(kernels);
    } else if (defaultKernels != null) {
      b.kernels(defaultKernels);
    }
    if (profiles != null || profileFiles != null) {
      java.util.Map<String, PlatformProfile> fromFiles = new java.util.LinkedHashMap<>();
      java.util.Map<String, String> fileOf = new java.util.HashMap<>();
      java.util.Set<Path> files = new java.util.HashSet<>();
      for (java.nio.file.Path f : profileFiles == null ? List.<java.nio.file.Path>of() : profileFiles) {
        if (!files.add(sameFile(f))) {
          throw new BadValue(f + " is given twice to --profile-file; give each file once");
        }
        PlatformProfile read;
        try {
          read = org.userptrlab.lab.ProfileFile.read(f);
        } catch (java.io.IOException e) {
          throw new BadValue("cannot read the profile " + f + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
          throw new BadValue(e.getMessage());
        }
        fromFiles.putIfAbsent(read.name(), read);
        String before = fileOf.putIfAbsent(read.name(), f.toString());
        if (before != null) {
          throw new BadValue(named(f, read, before));
        }
        // With --profiles naming it, the file's figures would stand under the built-in's name.
        java.util.Optional<String> clash = org.userptrlab.lab.ProfileFile.nameClash(f, read);
        if (clash.isPresent()) {
          throw new BadValue(clash.get());
        }
        org.userptrlab.lab.ProfileFile.borrowed(f, read).ifPresent(note -> {
          if (notes != null) {
            // A warning, not an error: the run goes on, priced as the file was.
            notes.println("userptr-lab: warning: " + note);
          }
        });
      }
      List<PlatformProfile> ps = new ArrayList<>();
      if (profiles == null) {
        // A profile given in a file (this machine's, as calibrate writes it) comes first: the runs' clocks are priced on it.
        ps.addAll(fromFiles.values());
        ps.addAll(Profiles.all());
      } else {
        for (String name : names("--profiles", profiles)) {
          PlatformProfile given = fromFiles.remove(name);
          ps.add(given != null ? given : Profiles.byName(name).orElseThrow(() -> new BadValue("no platform profile '" + name
              + "'; there are " + String.join(", ", java.util.stream.Stream.concat(Profiles.names().stream(),
                  fileOf.keySet().stream().sorted()).toList()))));
        }
        ps.addAll(fromFiles.values());
      }
      // Each profile's name is its own: reports and the JSON tell the profiles apart by it. Two files were told apart
      // above; a built-in profile named twice in --profiles is LabOptions' to refuse.
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (PlatformProfile p : ps) {
        if (!seen.add(p.name()) && fileOf.containsKey(p.name())) {
          throw new BadValue(named(java.nio.file.Path.of(fileOf.get(p.name())), p, "the built-in profile of that name"));
        }
      }
      b.profiles(ps);
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new BadValue(e.getMessage());
    }
  }

  /** Why the profile {@code read} from {@code f} cannot be told apart from the one {@code before} names. */
  private static String named(java.nio.file.Path f, PlatformProfile read, String before) {
    return String.format("%s names its profile %s, as %s does: give each profile a name of its own (the \"name\" in the file)", f,
        read.name(), before);
  }

  /** The catalogue scenarios {@code --scenarios} names, in its order; the whole catalogue when not given. */
  static List<Scenario> scenarios(List<String> given) {
    if (given == null) {
      return Catalogue.all();
    }
    List<Scenario> chosen = new ArrayList<>();
    for (String name : names("--scenarios", given)) {
      try {
        chosen.add(Catalogue.byName(name));
      } catch (IllegalArgumentException e) {
        throw new BadValue(e.getMessage());
      }
    }
    if (chosen.stream().map(Scenario::name).distinct().count() != chosen.size()) {
      throw new BadValue("--scenarios names a scenario twice; name each once");
    }
    return chosen;
  }

  /** The strategies --strategies names, in its order, or null where it is not given (see {@link #strategyNames}). */
  List<String> givenStrategies() {
    return strategies == null ? null : strategyNames(strategies);
  }

  /**
   * A --strategies list as names, in its order: COPY is copy, as --format takes JSON (a strategy's name is lower case,
   * and none differs from another by case alone).
   */
  static List<String> strategyNames(List<String> given) {
    return names("--strategies", given).stream()
        .map(n -> !Strategies.exists(n) && Strategies.exists(n.toLowerCase(java.util.Locale.ROOT)) ? n.toLowerCase(java.util.Locale.ROOT)
            : n)
        .toList();
  }

  /** What tells two names of one file apart from two files: its real path (links followed) where it has one. */
  static Path sameFile(Path f) {
    try {
      return f.toRealPath();
    } catch (IOException e) {
      return f.toAbsolutePath().normalize();
    }
  }

  /** Refuses a program whose scenario name an earlier one has (reports and outputs are named by it), and a file given twice. */
  static void distinctNames(List<org.userptrlab.lab.lang.Program> programs, List<Path> sources) {
    java.util.Set<String> names = new java.util.HashSet<>();
    java.util.Set<Path> files = new java.util.HashSet<>();
    for (int i = 0; i < programs.size(); i++) {
      if (!files.add(sameFile(sources.get(i)))) {
        throw new BadValue(sources.get(i) + " is given twice; give each file once");
      }
      if (!names.add(programs.get(i).name())) {
        throw new BadValue(sources.get(i) + ": scenario " + programs.get(i).name()
            + " has the name of an earlier program; give each its own 'scenario' name");
      }
    }
  }

  /**
   * The program files as scenarios, each read, named apart from the others and able to run on {@code machine}
   * (what run says where one cannot).
   */
  static List<org.userptrlab.lab.scenarios.TextScenario> programs(List<Path> files, MachineConfig machine) {
    List<org.userptrlab.lab.lang.Program> read = new ArrayList<>();
    for (Path f : files) {
      read.add(program(f));
    }
    distinctNames(read, files);
    List<org.userptrlab.lab.scenarios.TextScenario> out = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      String why = org.userptrlab.lab.lang.Programs.cannotRun(read.get(i), machine);
      if (why != null) {
        throw new BadValue(why);
      }
      out.add(new org.userptrlab.lab.scenarios.TextScenario(files.get(i).toString(), read.get(i)));
    }
    return out;
  }

  /** The program in {@code file}, read and checked; a {@link BadValue} saying what is wrong with the file and where. */
  static org.userptrlab.lab.lang.Program program(Path file) {
    if (file.toString().isEmpty()) {
      throw new BadValue("'' is not a file name; give a program's file");
    }
    if (Files.isDirectory(file)) {
      throw new BadValue(file + " is a directory; give a program's file");
    }
    try {
      return org.userptrlab.lab.lang.Programs.read(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new BadValue("no file " + file + shippedAs(file.toString()));
    } catch (IOException e) {
      throw new BadValue("cannot read " + file + ": " + e.getMessage());
    } catch (org.userptrlab.lab.lang.ProgramError e) {
      throw new BadValue(e.getMessage());
    }
  }

  /**
   * Where a file that is not there is named as a program the lab ships: how to run it or have it as a file; else "".
   */
  private static String shippedAs(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    if (Catalogue.all().stream().anyMatch(s -> s.name().equals(lower))) {
      return String.format("; %s is a scenario of the catalogue: 'compare --scenarios %s' runs it, and 'show %s > %s.scenario' "
          + "writes its program to a file", lower, lower, lower, lower);
    }
    for (org.userptrlab.lab.scenarios.Suite suite : org.userptrlab.lab.scenarios.Suite.values()) {
      if (suite.names().contains(lower)) {
        return String.format("; %s is a case of the suite %s: 'show %s > %s.scenario' writes its program to a file", lower,
            suite.id(), lower, lower);
      }
    }
    return "";
  }

  /** Refuses the empty names {@code --x ,} leaves. */
  static List<String> names(String option, List<String> given) {
    List<String> out = new ArrayList<>();
    for (String s : given) {
      if (!s.isBlank() && !s.endsWith(",")) {
        out.add(s.strip());
      }
    }
    if (out.isEmpty() || out.size() != given.size()) {
      throw new BadValue(option + " needs a comma-separated list of names, without empty ones");
    }
    return out;
  }

  /** Whether the command draws each run's time as a Gantt chart under --svg (run does). */
  boolean gantt;

  /** Where --out and --svg write, once checked; the progress bar while the command works. */
  private OutputDirectory outDir;
  private OutputDirectory svgDir;
  private Progress progress = Progress.NONE;
  private String task = "userptr-lab";

  /**
   * Checks the output directories before any work (nothing is written: each is made whole when the
   * output is ready), then starts the progress bar, since the work starts next.
   */
  void checkOutputs() {
    outDir = out == null ? null : OutputDirectory.of("--out", out);
    svgDir = svg == null ? null : OutputDirectory.of("--svg", svg);
    if (outDir != null && svgDir != null && !outDir.absolute().equals(svgDir.absolute())
        && (outDir.absolute().startsWith(svgDir.absolute()) || svgDir.absolute().startsWith(outDir.absolute()))) {
      throw new BadValue("--out " + out + " and --svg " + svg + " must be one directory or two apart, not one inside the other");
    }
    progress = Progress.start(task, 0);
  }

  /** The progress bar of the command's work (one that draws nothing before {@link #checkOutputs()} or when piped). */
  Progress progress() {
    return progress;
  }

  /** The comparison of {@code options}, stepping the progress bar as each of its runs ends. */
  org.userptrlab.core.harness.Comparison comparison(LabOptions options) {
    return new org.userptrlab.core.harness.Comparison(options, run -> progress.step(1));
  }

  /** Renders the report whole, then writes it: to standard output, or every document under --out; charts under --svg. */
  void emit(LabReport report, PrintWriter stdout, PrintWriter stderr) throws IOException {
    List<Document> docs = format.writer().write(report);
    List<Document> charts = svg == null ? List.of() : new SvgWriter().write(report);
    progress.close();
    if (out == null) {
      stdout.print(docs.get(0).content());
      stdout.flush();
    }
    OutputDirectory o = out == null ? null : outDir != null ? outDir : OutputDirectory.of("--out", out);
    OutputDirectory s = svg == null ? null : svgDir != null ? svgDir : OutputDirectory.of("--svg", svg);
    if (o != null && s != null && o.absolute().equals(s.absolute())) {
      List<Document> all = new ArrayList<>(docs);
      all.addAll(charts);
      o.write(all, stderr);
      return;
    }
    if (o != null) {
      o.write(docs, stderr);
    }
    if (s != null) {
      s.write(charts, stderr);
    }
  }

  /** What a person can do about a heap too small for the command: its size, and how to give it more. */
  private static int outOfHeap(PrintWriter err, CommandSpec spec) {
    err.println("userptr-lab: " + spec.name() + " ran out of Java heap (" + Runtime.getRuntime().maxMemory() / (1 << 20)
        + " MiB); give it more with USERPTR_LAB_JAVA_OPTS=-Xmx2g, or fewer --threads");
    return Cli.FAILURE;
  }

  /** Whether {@code e} is, or was caused by, the JVM running out of heap. */
  static boolean outOfMemory(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return true;
      }
    }
    return false;
  }

  /** Where a note to the user goes (standard error) while a command runs; null outside one. */
  private PrintWriter notes;

  /** Runs {@code body} with the exit-code rules of the command line. */
  int guarded(CommandSpec spec, Body body) {
    PrintWriter err = spec.commandLine().getErr();
    notes = err;
    task = spec.name();
    try {
      return body.run();
    } catch (BadValue e) {
      err.println("userptr-lab: " + e.getMessage());
      return Cli.USAGE;
    } catch (OutOfMemoryError e) {
      return outOfHeap(err, spec);
    } catch (IOException | RuntimeException e) {
      if (outOfMemory(e)) {
        // The runs' threads hand the JVM's error on wrapped.
        return outOfHeap(err, spec);
      }
      // An I/O failure's message names the file; anything else is a bug, named by its class.
      err.println("userptr-lab: " + spec.name() + " failed: " + (e instanceof IOException && e.getMessage() != null ? e.getMessage() : e));
      if (verbose) {
        e.printStackTrace(err);
      }
      return Cli.FAILURE;
    } finally {
      progress.close();
    }
  }

  /** A command's work. */
  interface Body {
    int run() throws IOException;
  }

  /** The strategies of the options, with their contracts, in the options' order. */
  static List<Strategies.Info> infos(LabOptions options) {
    List<Strategies.Info> out = new ArrayList<>();
    for (String name : options.strategies()) {
      Strategies.all().stream().filter(i -> i.name().equals(name)).forEach(out::add);
    }
    return out;
  }

  /**
   * Leaves the shared options {@code names} out of {@code command}'s help and usage line: the command
   * refuses them, each with its reason, so they still parse, but a person reading its help is not
   * offered them.
   */
  static void hideRefused(picocli.CommandLine command, List<String> names) {
    CommandSpec spec = command.getCommandSpec();
    for (String name : names) {
      picocli.CommandLine.Model.OptionSpec shown = spec.findOption(name);
      spec.remove(shown);
      spec.addOption(picocli.CommandLine.Model.OptionSpec.builder(shown).hidden(true).build());
    }
  }
}
