package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress bar: drawn on a terminal, with the steps done; nothing at all when the output is piped. */
class ProgressTest {
  @Test
  void aBarDrawsItsTaskAndItsSteps() {
    ByteArrayOutputStream to = new ByteArrayOutputStream();
    try (Progress p = Progress.start("explore", 8, new PrintStream(to, true, StandardCharsets.UTF_8), 100)) {
      assertThat(p.drawn()).isTrue();
      p.step(3);
      p.step(5);
    }
    assertThat(to.toString(StandardCharsets.UTF_8)).contains("explore", "8/8");
  }

  @Test
  void aBarOfUnknownLengthShowsTheStepsSoFar() {
    ByteArrayOutputStream to = new ByteArrayOutputStream();
    try (Progress p = Progress.start("compare", 0, new PrintStream(to, true, StandardCharsets.UTF_8), 100)) {
      p.step(2);
      p.max(4);
      p.step(2);
    }
    assertThat(to.toString(StandardCharsets.UTF_8)).contains("compare", "4/4");
  }

  @Test
  void withoutATerminalNothingIsDrawn() {
    // The tests' standard streams are pipes, as a script's are.
    assertThat(System.console()).isNull();
    try (Progress p = Progress.start("explore", 8)) {
      assertThat(p.drawn()).isFalse();
      p.step(8);
    }
    CliTest.Result r = CliTest.run("explore", "--programs", "2", "--strategies", "copy,mlock", "--kernels", "6.12");
    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
  }

  /** The launcher says whether standard error is a terminal, which Java cannot see: the bar goes there whatever standard output is. */
  @Test
  void theLaunchersWordOnStandardErrorDecides() {
    assertThat(Progress.stderrIsTerminal("terminal")).isTrue();
    assertThat(Progress.stderrIsTerminal("pipe")).isFalse();
    assertThat(Progress.stderrIsTerminal(null)).as("without the launcher, the console decides").isEqualTo(System.console() != null);
  }
}
