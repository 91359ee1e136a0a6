package org.userptrlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.scenarios.TextScenario;
import org.userptrlab.mm.KernelConfig;

/**
 * The virtual time of a 4 MiB buffer the GPU reads N times, and of N turns where the program writes
 * it and the GPU reads it, on a current discrete GPU (the EPYC guest's profile: PCIe 4, 25 GB/s to
 * system memory, 500 GB/s to its own): svm pays one migration, then reads at the GPU's memory's
 * bandwidth, so it overtakes copy, the long-term pin and the notifier mirror after a few reads;
 * taking turns it pays two migrations a turn and stays the dearest.
 */
class SvmCostSweepTest {
  static final List<String> STRATEGIES = List.of("copy", "backed-longterm", "backed-notifier", "svm");
  static final KernelConfig LINUX_6_15 = KernelConfig.linux("6.15");
  private final Comparison cmp = new Comparison(LabOptions.builder().strategies(STRATEGIES).kernels(LINUX_6_15)
      .profiles(List.of(Profiles.EPYC_GUEST)).build());

  /** The program: fill, import, then {@code n} GPU reads, each after a fresh write of the program when {@code turns}. */
  static String program(int n, boolean turns) {
    StringBuilder sb = new StringBuilder("scenario sweep \"" + n + (turns ? " turns" : " reads") + "\"\n\np = app cl-app\n"
        + "buf = p.memalign 2M 4M\np.fill buf 4M 1\nobj = p.userptr buf 4M\n");
    for (int i = 0; i < n; i++) {
      if (turns) {
        sb.append("p.fill buf 4M ").append(i + 2).append('\n');
      }
      sb.append("gpu.sees obj ").append(turns ? i + 2 : 1).append('\n');
    }
    return sb.append("p.close obj\n").toString();
  }

  private Map<String, Long> totalNs(int n, boolean turns) {
    Map<String, Long> out = new LinkedHashMap<>();
    TextScenario s = new TextScenario("sweep.scenario", Parser.parse("sweep.scenario", program(n, turns)));
    for (String strategy : STRATEGIES) {
      RunResult r = cmp.run(s, strategy, LINUX_6_15);
      assertThat(r.verdict()).as("%s, %d", strategy, n).isEqualTo(RunResult.Verdict.KEPT);
      out.put(strategy, r.timing().totalNs());
    }
    return out;
  }

  @Test
  void aGpuThatReadsItsBufferOftenIsFasterUnderSvmOnceTheMigrationIsPaidFor() {
    Map<String, Long> once = totalNs(1, false);
    assertThat(once.get("svm")).as("one read: the migration costs more than the read saves")
        .isGreaterThan(once.get("backed-notifier")).isGreaterThan(once.get("backed-longterm"));
    Map<String, Long> often = totalNs(64, false);
    for (String s : List.of("copy", "backed-longterm", "backed-notifier")) {
      assertThat(often.get("svm")).as("64 reads, against %s", s).isLessThan(often.get(s) / 2);
    }
  }

  @Test
  void takingTurnsIsDearerUnderSvmAtEveryCount() {
    for (int n : new int[] {1, 4, 16}) {
      Map<String, Long> t = totalNs(n, true);
      for (String s : List.of("copy", "backed-longterm", "backed-notifier")) {
        assertThat(t.get("svm")).as("%d turns, against %s", n, s).isGreaterThan(t.get(s));
      }
    }
  }
}
