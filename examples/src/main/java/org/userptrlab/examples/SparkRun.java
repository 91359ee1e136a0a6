package org.userptrlab.examples;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.function.LongConsumer;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.lab.explore.Deadline;
import org.userptrlab.lab.explore.ExploreResult;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.report.Document;
import org.userptrlab.spark.HadoopOutput;
import org.userptrlab.spark.SparkExplorer;

/**
 * {@code explore --engine spark}: the only class of the command line that names Spark's, so that
 * the other engines run without Spark on the class path (the launcher adds it for this one).
 */
final class SparkRun {
  private SparkRun() {}

  static ExploreResult explore(LabOptions options, String notifierPolicy, List<Program> corpus, String master, int partitions, long seed,
      long programs, LongConsumer progress, Deadline deadline) {
    return SparkExplorer.builder().master(master).partitions(partitions).strategies(options.strategies()).kernels(options.kernels())
        .machine(options.machine()).notifierPolicy(notifierPolicy).corpus(corpus).build().run(seed, programs, progress, deadline);
  }

  /** Writes {@code files} into the directory {@code dir} of a Hadoop file system. */
  static void write(URI dir, List<Document> files) throws IOException {
    HadoopOutput.write(dir, files);
  }

  /** Refuses, before the run, a directory of a Hadoop file system that {@link #write} would refuse. */
  static void check(URI dir) throws IOException {
    HadoopOutput.check(dir);
  }
}
