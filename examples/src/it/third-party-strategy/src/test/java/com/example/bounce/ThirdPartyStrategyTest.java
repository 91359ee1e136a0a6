package com.example.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.lab.scenarios.Catalogue;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;

/** A strategy added by a jar on the class path, named nowhere in this repository's code, is found and compared. */
class ThirdPartyStrategyTest {

  @Test
  void aStrategyOnTheClassPathIsDiscoveredAndRunsInTheComparison() {
    assertThat(Strategies.names()).contains(BounceStrategy.NAME, "copy", "steal");
    Comparison cmp = new Comparison(LabOptions.builder().machine(MachineConfig.builder().ram(128L << 20).build())
        .profiles(List.of(Profiles.X86_DESKTOP_2012)).build());
    RunResult r = cmp.run(Catalogue.byName("texture-upload-loop"), BounceStrategy.NAME, KernelConfig.LINUX_6_12);
    assertThat(r.verdict()).isEqualTo(RunResult.Verdict.KEPT);
    assertThat(r.serves()).isTrue();
  }
}
