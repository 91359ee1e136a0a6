package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The programs the README points at parse, and run under the strategies it names. */
class ExampleProgramsTest {
  private static final Path PROGRAMS = Path.of("programs");

  @Test
  void everyExampleProgramChecks() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(PROGRAMS)) {
      files = s.filter(p -> p.toString().endsWith(".scenario")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path f : files) {
      CliTest.Result r = CliTest.run("check", f.toString());
      assertThat(r.code()).as(f.toString()).isZero();
      assertThat(r.out()).contains(": ok");
    }
  }

  @Test
  void takingTurnsShowsThePingPongUnderSvm() {
    CliTest.Result r = CliTest.run("run", PROGRAMS.resolve("cpu-gpu-take-turns.scenario").toString(), "--strategies", "svm",
        "--kernels", "6.15");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("MIGRATION_PING_PONG");
    assertThat(r.out()).as("each write covers the whole range it pulls back").doesNotContain("CHUNK_PULLED_BACK");
  }
}
