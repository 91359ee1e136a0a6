package org.userptrlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Check;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.lab.scenarios.Catalogue;
import org.userptrlab.mm.KernelConfig;

class CatalogueTest {
  private final Comparison cmp = new Comparison(LabOptions.builder().kernels(KernelConfig.presets()).build());

  @Test
  void everyScenarioRunsUnderEveryStrategyAndEraWithoutBreakingTheMemoryManager() {
    List<RunResult> results = cmp.runAll(Catalogue.all());
    assertThat(results).hasSize(Catalogue.all().size() * Strategies.names().size() * KernelConfig.presets().size());
    for (RunResult r : results) {
      assertThat(r.hazards()).as("%s/%s/%s", r.scenario(), r.strategy(), r.kernel())
          .noneMatch(h -> h.kind() == HazardKind.INVARIANT_BROKEN);
      assertThat(r.verdict()).as("%s/%s/%s: %s", r.scenario(), r.strategy(), r.kernel(), r.summary())
          .isNotEqualTo(RunResult.Verdict.ERROR);
      if (r.verdict() != RunResult.Verdict.REFUSED) {
        assertThat(r.checks()).as("%s/%s checked something", r.scenario(), r.strategy()).isNotEmpty();
      }
      for (PlatformProfile profile : Profiles.all()) {
        assertThat(r.totalNs(profile)).isPositive();
      }
    }
  }

  @Test
  void copyAndStealKeepTheirContractsInTheThreadsScenarios() {
    List<RunResult> results = new Comparison(LabOptions.builder().strategies("copy", "steal").build()).runAll(Catalogue.all());
    for (RunResult r : results) {
      assertThat(r.verdict()).as("%s under %s on %s: %s", r.scenario(), r.strategy(), r.kernel(), r.summary())
          .isEqualTo(RunResult.Verdict.KEPT);
    }
  }

  @Test
  void stealLeavesTheScratchBufferEmptyWhileCopyLeavesItAlone() {
    for (RunResult r : new Comparison(LabOptions.builder().strategies("copy", "steal").kernels(KernelConfig.LINUX_3_4).build())
        .runAll(List.of(Catalogue.all().get(0)))) {
      Check kept = r.checks().stream().filter(c -> c.promise() == Promise.PROGRAM_KEEPS_ITS_BYTES).findFirst().orElseThrow();
      assertThat(kept.held()).as(r.strategy()).isEqualTo(r.strategy().equals("copy"));
    }
  }

  @Test
  void aForkAfterAStealDoesNotReachTheGpu() {
    RunResult r = cmp.run(Catalogue.all().get(2), "steal", KernelConfig.LINUX_3_4);
    assertThat(r.checks()).filteredOn(c -> c.promise() == Promise.GPU_SEES_IMPORTED_BYTES).allMatch(Check::held);
    assertThat(r.hazards()).isEmpty();
  }
}
