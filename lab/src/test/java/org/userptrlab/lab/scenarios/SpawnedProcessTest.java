package org.userptrlab.lab.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.RunResult.CheckOutcome;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.mm.KernelConfig;

/**
 * A process made by {@code spawn} is a plain program with no DRM file: it frees what it mallocs, the
 * machine's events run around it as around a graphics program, and its reports find no import of
 * its own; one sent a DRM file reports through the imports made with that file.
 */
class SpawnedProcessTest {
  private static final Comparison CMP = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12)
      .profiles(List.of(Profiles.all().get(0))).build());

  private static RunResult run(String body, String strategy) {
    String text = "scenario spawned\nmachine ram 64M swap 64M\n\n" + body;
    return CMP.run(new TextScenario("spawned.scenario", Parser.parse("spawned.scenario", text)), strategy, KernelConfig.LINUX_6_12);
  }

  @Test
  void aSpawnedProcessFreesWhatItMallocsAndTheMachinesEventsRunAroundIt() {
    RunResult r = run("p = spawn p\nbuf = p.malloc 64K\np.fill buf 64K 3\nreclaim\ncompact\npressure 1M\n"
        + "p.report_resident buf 64K\np.report_swapped buf 64K\np.report_held buf 64K\n"
        + "check \"its bytes came back from swap\" p.sees buf 64K 3\nok = p.free buf\ncheck \"free(3) worked\" ok\n", "backed-pin");
    assertThat(r.error()).as(r.summary()).isNull();
    assertThat(r.checkOutcome()).as(r.summary()).isEqualTo(CheckOutcome.PASS);
    assertThat(r.hazards()).as(r.summary()).isEmpty();
  }

  @Test
  void aFreeThatGlibcAbortsInASpawnedProcessIsAHazardAsInAGraphicsProgram() {
    RunResult r = run("p = spawn p\nbuf = p.malloc 64K\np.fill buf-16 16 9\nok = p.free buf\ncheck \"free(3) aborted\" not ok\n", "copy");
    assertThat(r.checkOutcome()).as(r.summary()).isEqualTo(CheckOutcome.PASS);
    assertThat(r.has(HazardKind.FREE_ABORTED)).as(r.summary()).isTrue();
  }

  @Test
  void aSpawnedProcessSentADrmFileReportsThroughItsImports() {
    RunResult r = run("a = app gl\nq = spawn q\na.send_drm q\nbuf = q.memalign 4K 128K\nq.fill buf 128K 1\n"
        + "obj = q.userptr buf 128K\nreclaim\nq.report_swapped buf 128K\n", "backed-pin");
    assertThat(r.error()).as(r.summary()).isNull();
    assertThat(r.has(HazardKind.SWAPPED_WHILE_HELD)).as("a page the object holds a reference on went to swap: %s", r.summary())
        .isTrue();
  }

  /** Pages in memory before reclaim was asked for any are not pages it could not take: no PAGES_UNRECLAIMABLE until it was. */
  @Test
  void residentPagesAreUnreclaimableOnlyOnceReclaimWasAsked() {
    String body = "a = app gl\nbuf = a.memalign 4K 128K\na.fill buf 128K 1\nobj = a.userptr buf 128K\na.report_resident buf 128K\n";
    RunResult before = run(body, "mlock");
    assertThat(before.has(HazardKind.PAGES_UNRECLAIMABLE)).as(before.summary()).isFalse();
    RunResult after = run(body + "reclaim\na.report_resident buf 128K\n", "mlock");
    assertThat(after.has(HazardKind.PAGES_UNRECLAIMABLE)).as(after.summary()).isTrue();
  }
}
