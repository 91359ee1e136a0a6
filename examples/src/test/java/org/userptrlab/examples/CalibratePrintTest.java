package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Parameter;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.lab.Calibration;

/** What calibrate prints of the profile it wrote: each figure a line, where and when it was timed said once. */
class CalibratePrintTest {
  @Test
  void theSourcesLeaveOutWhereAndWhenWhichTheHeaderSaysOnce() {
    String where = Calibration.where("6.18.44-test", "Test CPU", LocalDate.of(2026, 12, 6));
    PlatformProfile.Builder b = PlatformProfile.builder("host-test", "this machine (Test CPU)");
    Profiles.EPYC_GUEST.figures().forEach((q, f) -> b.set(q, f.value(), f.source()));
    b.set(Parameter.FAULT, 400, "derived " + where + ": a first write fault (measured " + where + ": median of 15 samples) less "
        + "a page populated");
    StringWriter out = new StringWriter();
    CalibrateCommand.printProfile(new PrintWriter(out, true), b.build(), where);
    assertThat(out.toString()).startsWith("profile host-test: this machine (Test CPU) (each figure's source below leaves out 'on "
        + "Linux 6.18.44-test, Test CPU, 2026-12-06', which the file keeps)\n")
        .contains("  FAULT                 400.0 ns    derived: a first write fault (measured: median of 15 samples) less a page "
            + "populated\n")
        .containsOnlyOnce("6.18.44-test")
        // A figure borrowed from another profile keeps its own source whole.
        .contains(Profiles.EPYC_GUEST.figures().get(Parameter.NOTIFIER).source());
  }
}
