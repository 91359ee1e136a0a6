package org.userptrlab.spark;

import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.lab.explore.Deadline;
import org.userptrlab.lab.explore.ExploreReport;
import org.userptrlab.lab.explore.ExploreResult;
import org.userptrlab.mm.KernelConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The explorer for {@code spark-submit}: the master and the executors are the cluster's, the
 * output a directory on any Hadoop file system; the summary goes to standard output.
 *
 * <pre>
 * spark-submit --class org.userptrlab.spark.ExploreJob lab-spark/target/userptr-lab-spark.jar \
 *     --programs 100000000 --seed 1 --out hdfs:///user/me/explore-1
 * </pre>
 */
@Command(name = "explore-job", mixinStandardHelpOptions = true,
    description = "Explores programs as a Spark job and writes what it found into --out (explore.json and each minimal program).")
public final class ExploreJob implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--programs", paramLabel = "N", defaultValue = "400", description = "How many programs (default: ${DEFAULT-VALUE}).")
  long programs;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "The seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--strategies", split = ",", paramLabel = "NAME", description = "The strategies (default: all).")
  List<String> strategies;

  @Option(names = "--kernels", split = ",", paramLabel = "KERNEL", description = "The kernels (default: 3.4,6.12).")
  List<String> kernels;

  @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
      description = "Partitions of each round's programs (default: the cluster's default parallelism).")
  int partitions;

  @Option(names = "--out", paramLabel = "URI", required = true, description = "The output directory, on any Hadoop file system.")
  URI out;

  @Override
  public Integer call() throws Exception {
    if (programs < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--programs must be at least 1: " + programs);
    }
    SparkExplorer.Builder b = SparkExplorer.builder().partitions(partitions);
    if (strategies != null) {
      for (String s : strategies) {
        if (!Strategies.exists(s)) {
          throw new CommandLine.ParameterException(spec.commandLine(), Strategies.unknown(s));
        }
      }
      b.strategies(strategies);
    }
    if (kernels != null) {
      b.kernels(kernels.stream().map(KernelConfig::parse).toList());
    }
    // The context spark-submit configured, started here so that the explorer joins it and the output uses its file systems.
    SparkContext sc = SparkContext.getOrCreate(new SparkConf().setAppName("userptr-lab explore"));
    try {
      // A directory the output could not go to is refused now, not after the run.
      HadoopOutput.check(out, sc.hadoopConfiguration());
      ExploreResult r = b.build().run(seed, programs, n -> { }, Deadline.NONE);
      String where = HadoopOutput.write(out, ExploreReport.files(r), sc.hadoopConfiguration());
      System.out.print(ExploreReport.summary(r));
      System.err.println("wrote " + where);
      return 0;
    } finally {
      sc.stop();
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ExploreJob()).execute(args));
  }
}
