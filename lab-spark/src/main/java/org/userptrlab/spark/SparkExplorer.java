package org.userptrlab.spark;

import java.util.List;
import java.util.function.LongConsumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.lab.explore.Deadline;
import org.userptrlab.lab.explore.ExploreResult;
import org.userptrlab.lab.explore.Explorer;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;

/**
 * The explorer as a Spark job. The driver keeps the corpus and the findings, as {@link Explorer}
 * does on one machine; each round's programs run on the executors, and each signature's first
 * program is shrunk there. For a seed and a number of programs the result is the one
 * {@code new Explorer(...).run(seed, programs, 1, 1, ...)} gives, whatever the number of
 * partitions and whichever tasks Spark had to run again.
 *
 * <pre>{@code
 * ExploreResult r = SparkExplorer.builder().master("local[2]").strategies(names).kernels(kernels).build()
 *     .run(1, 10_000, n -> { }, Deadline.NONE);
 * }</pre>
 */
public final class SparkExplorer {
  private final String master;
  private final int partitions;
  private final ExploreSpec spec;
  private final TaskFault fault;

  private SparkExplorer(Builder b) {
    this.master = b.master;
    this.partitions = b.partitions;
    this.spec = ExploreSpec.of(b.strategies, b.kernels, b.machine, b.notifierPolicy, b.corpus);
    this.fault = b.fault;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Explores programs {@code 0 .. programs-1} of {@code seed}, telling {@code progress} of each round's
   * programs as the round ends, stopping between rounds once {@code deadline} has passed. With a
   * master, starts a Spark context of its own and stops it at the end; without one, joins the
   * context running or the one {@code spark-submit} configured, and leaves it running.
   */
  public ExploreResult run(long seed, long programs, LongConsumer progress, Deadline deadline) {
    if (programs < 1) {
      throw new IllegalArgumentException("EINVAL: the number of programs must be at least 1: " + programs);
    }
    SparkConf conf = new SparkConf().setAppName("userptr-lab explore").set("spark.ui.showConsoleProgress", "false");
    if (master != null) {
      conf.setMaster(master);
      if (master.startsWith("local")) {
        // One machine: no web UI to serve, and the loopback address whatever the host's name resolves to.
        conf.set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
      }
    }
    JavaSparkContext sc = context(conf);
    try {
      int slices = partitions > 0 ? partitions : sc.defaultParallelism();
      Explorer driver = spec.explorer(LabOptions.builder().build().threads());
      return driver.run(seed, programs, 1, 1, progress, deadline, new SparkEngine(sc, spec, slices, fault));
    } finally {
      if (master != null) {
        sc.stop();
      }
    }
  }

  /** A context of its own for a master given, else the one running or configured; a master Spark cannot use is EINVAL. */
  private JavaSparkContext context(SparkConf conf) {
    try {
      return master != null ? new JavaSparkContext(conf)
          : JavaSparkContext.fromSparkContext(org.apache.spark.SparkContext.getOrCreate(conf));
    } catch (Exception e) {
      // SparkException is checked in Scala's eyes only: Java sees it here as any exception.
      if (e instanceof RuntimeException && !e.getClass().getName().startsWith("org.apache.spark")) {
        throw (RuntimeException) e;
      }
      String named = master != null ? master : conf.get("spark.master", "(none)");
      throw new IllegalArgumentException("EINVAL: Spark cannot start on master '" + named + "': " + e.getMessage(), e);
    }
  }

  /** What the job explores and where: the strategies, kernels and machine of the runs, the Spark master and partitions. */
  public static final class Builder {
    private String master;
    private int partitions;
    private List<String> strategies = org.userptrlab.core.inject.Strategies.names();
    private List<KernelConfig> kernels = LabOptions.builder().build().kernels();
    private MachineConfig machine = LabOptions.DEFAULT_MACHINE;
    private String notifierPolicy;
    private List<Program> corpus = List.of();
    private TaskFault fault = TaskFault.NONE;

    private Builder() {}

    /** The Spark master ({@code local[2]}, {@code spark://host:7077}, {@code yarn}); none: the one {@code spark-submit} set. */
    public Builder master(String master) {
      this.master = master;
      return this;
    }

    /** How many partitions each round's programs are split into; 0 (the default): Spark's default parallelism. */
    public Builder partitions(int partitions) {
      if (partitions < 0) {
        throw new IllegalArgumentException("EINVAL: partitions must be 0 (Spark's default) or more: " + partitions);
      }
      this.partitions = partitions;
      return this;
    }

    public Builder strategies(List<String> strategies) {
      this.strategies = List.copyOf(strategies);
      return this;
    }

    public Builder kernels(List<KernelConfig> kernels) {
      this.kernels = List.copyOf(kernels);
      return this;
    }

    /** The machine each program starts on (its seed included), as {@link LabOptions#machine()}. */
    public Builder machine(MachineConfig machine) {
      this.machine = machine;
      return this;
    }

    /** backed-notifier's invalidation policy by its short name ({@code i915}, {@code xe-lr}); null: its default. */
    public Builder notifierPolicy(String name) {
      this.notifierPolicy = name;
      return this;
    }

    /** The user's programs the corpus starts from as well ({@code explore --corpus}). */
    public Builder corpus(List<Program> programs) {
      this.corpus = List.copyOf(programs);
      return this;
    }

    Builder fault(TaskFault fault) {
      this.fault = fault;
      return this;
    }

    public SparkExplorer build() {
      return new SparkExplorer(this);
    }
  }
}
