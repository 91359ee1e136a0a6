package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real {@code main} in a process of its own, as a user runs it: everything it prints reaches
 * standard output before the JVM exits, and its exit codes are the documented ones.
 */
class MainProcessTest {
  record Exit(int code, String out, String err) {}

  static Exit main(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Cli.class.getName()));
    cmd.addAll(List.of(args));
    java.lang.Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    var out = p.getInputStream().readAllBytes();
    var err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    return new Exit(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
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

  @Test
  void aBadValueExitsTwoWithOneLine() throws Exception {
    Exit e = main("sweep", "--from", "0");
    assertThat(e.code()).isEqualTo(2);
    assertThat(e.out()).isEmpty();
    assertThat(e.err().strip()).isEqualTo("userptr-lab: --from must be at least 1 byte, not 0");
  }
}
