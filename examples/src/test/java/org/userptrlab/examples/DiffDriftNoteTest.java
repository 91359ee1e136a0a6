package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.lab.real.Diff;

/** What a timed diff with a profile says of the machine's drift: the reference program's runs before and after, or why not. */
class DiffDriftNoteTest {
  private static Diff.Result timed(long predicted, long real) {
    return new Diff.Result("reference", "copy", Diff.Verdict.AGREE, "", 1, real, predicted);
  }

  private static final Diff.Result LOST = new Diff.Result("reference", "copy", Diff.Verdict.NOT_RUN,
      "the executor died of signal 9 (SIGKILL) at line 3 (p.fill buf 4M 1): the program did not finish on the real kernel", 0, 0,
      Double.NaN);

  @Test
  void theDriftIsTheReferenceProgramsPredictionOverItsRealTimeBeforeAndAfter() {
    assertThat(DiffCommand.driftNote(List.of(timed(90, 100), timed(110, 100)), List.of(timed(1, 1))))
        .hasValue("the machine's drift: the prediction for a reference program (4 MiB written and read back) was 0.90 of its real "
            + "time before the runs and 1.10 after them (below 1 the machine ran slower than when it was calibrated, above 1 "
            + "quicker; no prediction is adjusted for it)");
  }

  /** A machine whose speed moved by more than the runs' 25% while they ran: their count may move as much next time. */
  @Test
  void aDriftThatMovedMoreThanAQuarterIsSaid() {
    assertThat(DiffCommand.driftNote(List.of(timed(88, 100), timed(144, 100)), List.of(timed(1, 1)))).get().asString()
        .endsWith("quicker; no prediction is adjusted for it); the machine's speed moved by more than the 25% the runs are "
            + "judged by while they ran, so how many come within it may move as much from one diff to the next");
    assertThat(DiffCommand.driftNote(List.of(timed(100, 100), timed(124, 100)), List.of(timed(1, 1)))).get().asString()
        .endsWith("no prediction is adjusted for it)");
  }

  /** The reference program is the lab's, not the user's: a line the executor died at is its own. The other side is said. */
  @Test
  void aReferenceRunThatDidNotRunIsSaidWithWhyBesideTheOther() {
    assertThat(DiffCommand.driftNote(List.of(LOST, timed(110, 100)), List.of(timed(1, 1))))
        .hasValue("the machine's drift is not known: the lab's own reference program (4 MiB written and read back, not one of "
            + "yours): before the runs it did not run (" + LOST.detail() + "); after them its prediction was 1.10 of its real time");
    assertThat(DiffCommand.driftNote(List.of(timed(90, 100), LOST), List.of(timed(1, 1)))).get().asString()
        .contains("before the runs its prediction was 0.90 of its real time; after them it did not run (the executor died");
  }

  @Test
  void withNoRunThatRanOnBothSidesThereIsNothingToSay() {
    Diff.Result notRunnable = new Diff.Result("p", "copy", Diff.Verdict.NOT_RUNNABLE, "why", 0, 0, Double.NaN);
    assertThat(DiffCommand.driftNote(List.of(LOST, LOST), List.of(notRunnable))).isEmpty();
  }
}
