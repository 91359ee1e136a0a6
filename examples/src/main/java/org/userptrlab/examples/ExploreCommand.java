package org.userptrlab.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.lab.explore.Deadline;
import org.userptrlab.lab.explore.ExploreReport;
import org.userptrlab.lab.explore.ExploreResult;
import org.userptrlab.lab.explore.Explorer;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.lang.ProgramError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code explore}: random programs against every strategy and kernel, each new failure shrunk to a minimal program. */
@Command(name = "explore", mixinStandardHelpOptions = true, versionProvider = Version.class, resourceBundle = "org.userptrlab.examples.explore",
    description = "Generates random programs, runs them under every strategy and kernel with the harness watching, and shrinks "
        + "each new kind of failure to a minimal program that 'run' replays. Prints the findings in --format (json: the "
        + "explore.json shape); --out DIR writes explore.json and each minimal program, for 'merge' and 'run'.")
final class ExploreCommand implements Callable<Integer> {
  /** The shared options explore refuses, left out of its help. */
  static final java.util.List<String> REFUSED = java.util.List.of("--svg", "--profiles", "--profile-file");

  /** The longest --seconds: beyond it a time limit is no limit, and nanoseconds overflow. */
  static final long MAX_SECONDS = 1_000_000_000L;

  @CommandLine.Mixin
  CommonOptions common = new CommonOptions();

  @Spec
  CommandSpec spec;

  @Option(names = "--programs", paramLabel = "N", defaultValue = "400", description = "How many programs, over all shards (default: ${DEFAULT-VALUE}).")
  long programs;

  @Option(names = "--seconds", paramLabel = "N",
      description = "Stop after N seconds of exploring, counted from the first program, before the budget of programs is spent "
          + "(the result then depends on the machine's speed; the summary says how many programs ran).")
  Long seconds;

  @Option(names = "--shard", paramLabel = "K/N", defaultValue = "1/1",
      description = "Run only part K of N (program i is part (i mod N) + 1); 'merge' combines the parts (default: ${DEFAULT-VALUE}).")
  String shard;

  /** Where the programs run. */
  enum Engine {
    /** In this process, on --threads threads. */
    PLAIN,
    /** As an Apache Spark job, on --master. */
    SPARK
  }

  @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "plain",
      description = "plain: in this process (the default); spark: as an Apache Spark job on --master, the same result for a seed "
          + "(Spark embedded: no cluster needed).")
  Engine engine;

  @Option(names = "--master", paramLabel = "URL",
      description = "With --engine spark: the Spark master, such as local[*], local[2,4] (two cores, a failed task tried up "
          + "to four times) or spark://host:7077 (default: local[*]).")
  String master;

  @Option(names = "--partitions", paramLabel = "N",
      description = "With --engine spark: how many partitions each round's programs are split into (default: Spark's default "
          + "parallelism); the result does not depend on it.")
  Integer partitions;

  @Option(names = "--corpus", paramLabel = "DIR",
      description = "Also start the corpus from every .scenario file in DIR: your own programs, or an earlier run's --out "
          + "(its kept programs and findings), so that exploring goes on around them.")
  Path corpus;

  @Override
  public Integer call() {
    return common.guarded(spec, () -> {
      refuseWhatExploreDoesNotTake();
      int[] kn = shard();
      if (programs < 1) {
        throw new BadValue("--programs must be at least 1: " + programs);
      }
      if (seconds != null && (seconds < 1 || seconds > MAX_SECONDS)) {
        throw new BadValue("--seconds must be 1.." + MAX_SECONDS + ": " + seconds);
      }
      refuseWhatTheEngineDoesNotTake(kn);
      LabOptions options = common.options(null);
      URI remote = remoteOut();
      OutputDirectory out = common.out == null || remote != null ? null : OutputDirectory.ofExploreRun("--out", common.out);
      if (remote != null) {
        // Refused now, as a local directory is, rather than after the run.
        remote(() -> SparkRun.check(remote));
      }
      if (out != null && corpus != null && out.holds(corpus)) {
        throw new BadValue("explore: --out " + common.out + " would replace the corpus " + corpus + " it reads; give a directory "
            + "of its own");
      }
      List<Program> users = corpusPrograms(options.machine());
      long mine = (programs - kn[0] + kn[1]) / kn[1];
      Deadline deadline = seconds == null ? Deadline.NONE : Deadline.after(Duration.ofSeconds(seconds));
      ExploreResult r;
      try (Progress bar = Progress.start("explore", mine)) {
        r = engine == Engine.SPARK ? spark(options, users, bar::step, deadline)
            : new Explorer(new Comparison(options), options.strategies(), options.kernels(), users)
                .run(common.seed, programs, kn[0], kn[1], bar::step, deadline);
      }
      PrintWriter err = spec.commandLine().getErr();
      if (out != null) {
        out.write(ExploreReport.files(r), err);
      } else if (remote != null) {
        List<org.userptrlab.lab.report.Document> files = ExploreReport.files(r);
        remote(() -> SparkRun.write(remote, files));
        String dir = rawOut().replaceAll("(.)/+$", "$1");
        files.forEach(d -> err.println("wrote " + dir + "/" + d.name()));
      }
      spec.commandLine().getOut().print(ExploreReport.render(r, common.format));
      spec.commandLine().getOut().flush();
      return 0;
    });
  }

  /** The shared options that mean nothing to the explorer: refused rather than ignored. */
  private void refuseWhatExploreDoesNotTake() {
    ReportFormats.noJunit(common.format, "explore");
    if (common.svg != null) {
      throw new BadValue("explore does not take --svg: it draws no charts");
    }
    if (common.profiles != null) {
      throw new BadValue("explore does not take --profiles: it looks for broken promises and hazards, which no platform's costs change");
    }
    if (common.profileFiles != null) {
      throw new BadValue("explore does not take --profile-file: it looks for broken promises and hazards, which no platform's costs change");
    }
  }

  /** The options that belong to the other engine: refused rather than ignored. */
  private void refuseWhatTheEngineDoesNotTake(int[] kn) {
    if (engine != Engine.SPARK) {
      if (master != null || partitions != null) {
        throw new BadValue((master != null ? "--master" : "--partitions") + " is for --engine spark");
      }
      if (remoteOut() != null) {
        throw new BadValue("--out " + rawOut() + ": a file system URI is for --engine spark; the plain engine writes a local directory");
      }
      return;
    }
    if (kn[1] != 1) {
      throw new BadValue("--shard is for the plain engine: --engine spark spreads the programs over its executors itself");
    }
    if (spec.commandLine().getParseResult().hasMatchedOption("--threads")) {
      throw new BadValue("--threads is for the plain engine: --engine spark runs as many programs at once as its master has cores");
    }
    if (partitions != null && partitions < 1) {
      throw new BadValue("--partitions must be at least 1: " + partitions);
    }
    if (master != null && master.isBlank()) {
      throw new BadValue("--master needs a Spark master URL, such as local[*] or spark://host:7077");
    }
  }

  private ExploreResult spark(LabOptions options, List<Program> users, java.util.function.LongConsumer progress, Deadline deadline) {
    try {
      return SparkRun.explore(options, common.notifierPolicy, users, master == null ? "local[*]" : master,
          partitions == null ? 0 : partitions, common.seed, programs, progress, deadline);
    } catch (NoClassDefFoundError e) {
      throw new BadValue("--engine spark: Spark is not on the class path (" + e.getMessage() + "); run through the ./userptr-lab "
          + "launcher after the README's build, which puts lab-spark/target/spark-lib on it");
    } catch (IllegalArgumentException e) {
      throw new BadValue("--engine spark: " + e.getMessage());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      // A Spark job that failed (SparkException, checked only in Scala's eyes): said as the run's failure.
      throw new IllegalStateException("the Spark job failed: " + e.getMessage(), e);
    }
  }

  /** A step on a Hadoop file system: what it refuses is the user's --out. */
  private interface RemoteStep {
    void run() throws IOException;
  }

  private void remote(RemoteStep step) {
    try {
      step.run();
    } catch (IOException e) {
      throw new BadValue("--out " + rawOut() + ": " + e.getMessage());
    } catch (NoClassDefFoundError e) {
      throw new BadValue("--out " + rawOut() + ": a file system URI needs Spark's Hadoop client on the class path (" + e.getMessage()
          + "); run through the ./userptr-lab launcher, which adds it for --engine spark");
    } catch (RuntimeException e) {
      throw new BadValue("--out " + rawOut() + ": " + hadoopCause(e));
    }
  }

  /**
   * What Hadoop's FileSystem.get wrapped in a RuntimeException, as a person reads it: a host name that does not resolve,
   * or a scheme whose file system is not on the class path.
   */
  static String hadoopCause(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.UnknownHostException) {
        return "the host " + t.getMessage() + " is not known here";
      }
      if (t instanceof ClassNotFoundException) {
        return "no file system for its scheme on the class path (" + t.getMessage() + "): add the Hadoop connector that has it "
            + "(hadoop-aws for s3a://) to USERPTR_LAB_CLASSPATH";
      }
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  /** --out as given on the command line (a Path would fold a URI's '//'), or null. */
  private String rawOut() {
    CommandLine.Model.OptionSpec o = spec.commandLine().getParseResult().matchedOption("--out");
    return o == null ? null : o.stringValues().get(o.stringValues().size() - 1);
  }

  /** --out as a directory of a Hadoop file system (a URI with a scheme of two letters or more, such as hdfs://), or null. */
  private URI remoteOut() {
    String raw = rawOut();
    if (raw == null || !raw.matches("[A-Za-z][A-Za-z0-9+.-]+:.*")) {
      return null;
    }
    try {
      return new URI(raw);
    } catch (java.net.URISyntaxException e) {
      throw new BadValue("--out " + raw + " is not a URI: " + e.getReason());
    }
  }

  /** The programs of --corpus, each read as 'run' reads a file; none without it. */
  private List<Program> corpusPrograms(org.userptrlab.mm.MachineConfig machine) {
    if (corpus == null) {
      return List.of();
    }
    if (corpus.toString().isEmpty()) {
      throw new BadValue("--corpus needs a directory name, not ''");
    }
    if (!Files.isDirectory(corpus)) {
      throw new BadValue("--corpus: " + corpus + " is not a directory");
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(corpus)) {
      files = list.filter(f -> f.getFileName().toString().endsWith(".scenario")).sorted().toList();
    } catch (IOException e) {
      throw new BadValue("--corpus: cannot list " + corpus + ": " + e.getMessage());
    }
    if (files.isEmpty()) {
      throw new BadValue("--corpus: " + corpus + " holds no .scenario file");
    }
    List<Program> out = new ArrayList<>();
    for (Path f : files) {
      // Read as 'run' reads a file, and refused as 'run' refuses one too large for the machine.
      Program p = CommonOptions.program(f);
      String tooBig = org.userptrlab.lab.lang.Programs.cannotRun(p, machine);
      if (tooBig != null) {
        throw new BadValue("--corpus: " + f + ": " + tooBig);
      }
      out.add(p);
    }
    return out;
  }

  private int[] shard() {
    String[] p = shard.split("/", -1);
    try {
      int k = Integer.parseInt(p[0]);
      int n = Integer.parseInt(p[1]);
      if (p.length == 2 && n >= 1 && k >= 1 && k <= n) {
        return new int[] {k, n};
      }
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      // said below
    }
    throw new BadValue("--shard must be K/N with 1 <= K <= N, such as 2/8: " + shard);
  }
}
