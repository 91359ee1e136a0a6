package org.userptrlab.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The lab's side of the executor's protocol, against stand-ins that answer as a hung or a dying executor would. */
class SessionTest {
  /** A stand-in executor: says it is ready, then runs {@code then} (a shell command line) on its input. */
  private static java.lang.Process standIn(String then) throws IOException {
    return new ProcessBuilder("sh", "-c", "echo '{\"ok\":true}'; " + then).start();
  }

  @Test
  void aCommandLeftUnansweredEndsTheExecutorAtItsDeadline() throws Exception {
    java.lang.Process hung = standIn("read line; sleep 600");
    try (Session s = new Session(hung, TimeUnit.MILLISECONDS.toNanos(200))) {
      assertThatThrownBy(() -> s.send("0 status")).isInstanceOf(IllegalStateException.class)
          .hasMessage("the executor did not answer '0 status' within 200 ms: it was ended");
      assertThat(hung.waitFor(10, TimeUnit.SECONDS)).as("the hung executor was ended").isTrue();
    }
  }

  @Test
  void eachAnsweredCommandStartsItsOwnDeadline() throws Exception {
    // Each answer comes well within the deadline (a busy machine's sleep of 0.3 s may take several times that); together
    // they take longer than one deadline: only a command's own wait counts.
    java.lang.Process slow = standIn("while read line; do sleep 0.3; echo '{\"ok\":true,\"value\":7}'; done");
    try (Session s = new Session(slow, TimeUnit.SECONDS.toNanos(3))) {
      for (int i = 0; i < 11; i++) {
        assertThat(s.send("0 status").value()).isEqualTo(7);
      }
    }
  }

  @Test
  void anExecutorThatExitsUnderACommandIsReportedAsDied() throws Exception {
    try (Session s = new Session(standIn("read line; exit 2"))) {
      assertThatThrownBy(() -> s.send("0 status")).isInstanceOf(ExecutorDied.class);
    }
  }
}
