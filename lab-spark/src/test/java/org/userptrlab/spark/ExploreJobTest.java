package org.userptrlab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.userptrlab.lab.explore.ExploreReport;
import org.userptrlab.lab.explore.ExploreResult;
import picocli.CommandLine;

/** The job as spark-submit starts it: the master from Spark's configuration, the output a file system URI. */
class ExploreJobTest {
  @Test
  void theJobTakesItsMasterFromSparkAndWritesItsOutputToTheUri(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("explore-1");
    PrintStream stdout = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // What spark-submit --master local[2] hands the driver.
    System.setProperty("spark.master", "local[2]");
    System.setProperty("spark.driver.host", "127.0.0.1");
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code = new CommandLine(new ExploreJob()).execute("--programs", "6", "--strategies", "copy,mlock", "--kernels", "6.12",
          "--out", "file://" + dir);
    } finally {
      System.setOut(stdout);
      System.clearProperty("spark.master");
      System.clearProperty("spark.driver.host");
    }
    assertThat(code).isZero();
    ExploreResult r = ExploreReport.read(dir);
    assertThat(r.programs()).isEqualTo(6);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(ExploreReport.summary(r));
  }

  @Test
  void anUnknownStrategyIsRefusedBeforeSparkStarts() {
    CommandLine cl = new CommandLine(new ExploreJob());
    java.io.StringWriter err = new java.io.StringWriter();
    cl.setErr(new java.io.PrintWriter(err));
    assertThat(cl.execute("--strategies", "nope", "--out", "file:///tmp/never")).isEqualTo(2);
    assertThat(err.toString()).contains("no strategy 'nope'");
  }
}
