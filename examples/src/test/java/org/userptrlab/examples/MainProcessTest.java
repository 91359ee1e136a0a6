package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code main} in a process of its own, as a user runs it: everything it prints reaches
 * standard output before the JVM exits, and its exit codes are the documented ones.
 */
class MainProcessTest {
  record Exit(int code, String out, String err) {}

  static Exit main(String... args) throws Exception {
    // The launcher's JIT setting: these processes are as short-lived as a user's.
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Cli.class.getName()));
    cmd.addAll(List.of(args));
    java.lang.Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    var out = p.getInputStream().readAllBytes();
    var err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    return new Exit(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  /** A heap too small for a command is said as what to do about it, however the runs' threads hand the JVM's error on. */
  @Test
  void aHeapTooSmallIsSaidWithHowToGiveItMore() {
    assertThat(CommonOptions.outOfMemory(new IllegalStateException(new java.util.concurrent.ExecutionException(
        new OutOfMemoryError("Java heap space"))))).isTrue();
    assertThat(CommonOptions.outOfMemory(new OutOfMemoryError("Java heap space"))).isTrue();
    assertThat(CommonOptions.outOfMemory(new IllegalStateException("a bug"))).isFalse();
  }

  @Test
  void jsonOnStandardOutputIsWholeAndTheSameAsInProcess() throws Exception {
    String[] args = CliTest.with(CliTest.SMALL_COMPARE, "--format", "json");
    Exit e = main(args);
    assertThat(e.code()).as(e.err()).isZero();
    assertThat(e.out().length()).isGreaterThan(65536);
    new ObjectMapper().readTree(e.out());
    assertThat(e.out()).isEqualTo(CliTest.run(args).out());
  }

  /**
   * Every format, through main into files: the same bytes as in process. Each format is written on
   * one thread for one command and on four for the other (a JVM each); CliTest holds every format
   * to one thread against all in process.
   */
  @Test
  void everyFormatWrittenByMainIsByteIdenticalForAnyNumberOfThreads(@TempDir Path dir) throws Exception {
    int n = 0;
    for (String[] command : List.of(CliTest.SMALL_COMPARE, CliTest.SMALL_SWEEP)) {
      n++;
      for (String format : new String[] {"table", "markdown", "csv", "json"}) {
        Path inProcess = dir.resolve(command[0] + "-" + format + "-in-process");
        assertThat(CliTest.run(CliTest.with(command, "--format", format, "--out", inProcess.toString())).code()).isZero();
        String threads = n++ % 2 == 0 ? "1" : "4";
        Path out = dir.resolve(command[0] + "-" + format + "-" + threads);
        Exit e = main(CliTest.with(command, "--format", format, "--threads", threads, "--out", out.toString()));
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(e.out()).isEmpty();
        assertThat(CliTest.read(out)).as("%s %s on %s threads", command[0], format, threads).isEqualTo(CliTest.read(inProcess));
      }
    }
  }

  /** A reader that stops reading ({@code list | head -1}) leaves the command nothing to say: no error, exit 0. */
  @Test
  void aReaderThatStopsReadingIsNoError() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Cli.class.getName(), "compare", "--format", "json"));
    java.lang.Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    assertThat(p.getInputStream().read()).isEqualTo('{');
    p.getInputStream().close();
    var err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(new String(err, StandardCharsets.UTF_8)).isEmpty();
    assertThat(p.exitValue()).isZero();
  }

  @Test
  void aBadValueExitsTwoWithOneLine() throws Exception {
    Exit e = main("sweep", "--from", "0");
    assertThat(e.code()).isEqualTo(2);
    assertThat(e.out()).isEmpty();
    assertThat(e.err().strip()).isEqualTo("userptr-lab: --from must be at least 1 byte, not 0");
  }
}
