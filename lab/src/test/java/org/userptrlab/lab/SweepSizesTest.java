package org.userptrlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.mm.KernelConfig;

/** A sweep's sizes need not be whole pages: a 1000-byte upload runs as a 4 KiB one does, its machine sized in whole pages. */
class SweepSizesTest {
  @Test
  void sizesThatAreNotWholePagesRun() {
    Comparison cmp = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12).profiles(List.of(Profiles.X86_DESKTOP_2012))
        .build());
    List<SweepResult> sweeps = Sweep.run(cmp, List.of("copy", "steal"), List.of(KernelConfig.LINUX_6_12), new SweepRange(1000, 4096));
    assertThat(sweeps).singleElement().satisfies(s -> {
      assertThat(s.points()).extracting(SweepResult.Point::size).contains(1000L, 2000L, 4000L);
      assertThat(s.points()).allSatisfy(p -> assertThat(p.run().verdict()).as("%d bytes under %s: %s", p.size(), p.strategy(),
          p.run().summary()).isNotEqualTo(RunResult.Verdict.ERROR));
    });
  }
}
