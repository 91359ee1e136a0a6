package org.userptrlab.lab.explore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.scenarios.TextScenario;
import org.userptrlab.mm.KernelConfig;

/** Random programs find the hazards of shared virtual memory from seed 1, within 400 programs, each shrunk to a few lines that replay it. */
class SvmExploreTest {
  @Test
  void eachHazardOfSharedVirtualMemoryIsFoundAndReplays() {
    List<KernelConfig> kernels = List.of(KernelConfig.linux("6.15"));
    Comparison cmp = new Comparison(LabOptions.builder().kernels(kernels).profiles(List.of(Profiles.all().get(0))).build());
    ExploreResult found = new Explorer(cmp, List.of("svm"), kernels).run(1, 400, 1, 1, n -> { });
    for (HazardKind kind : List.of(HazardKind.CHUNK_PULLED_BACK, HazardKind.MIGRATION_PING_PONG, HazardKind.COW_BROKEN_BY_GPU_READ,
        HazardKind.DEVICE_MEMORY_HELD)) {
      Finding f = found.findings().stream().filter(x -> x.signature().equals(new Signature("svm", "6.15", Signature.Kind.HAZARD,
          kind.name()))).findFirst().orElseThrow(() -> new AssertionError("no " + kind + " from seed 1"));
      assertThat(f.lines()).as("%s", kind).isLessThanOrEqualTo(12);
      Program p = Parser.parse(f.signature().slug(), f.minimal());
      assertThat(Signature.of(cmp.run(new TextScenario(p.name(), p), "svm", KernelConfig.linux("6.15")))).as("%s replays", kind)
          .contains(f.signature().shown());
    }
    assertThat(found.findings()).noneSatisfy(f -> assertThat(f.signature().kind()).isEqualTo(Signature.Kind.MODEL_BUG));
  }
}
