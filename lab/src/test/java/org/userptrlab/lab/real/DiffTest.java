package org.userptrlab.lab.real;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.lab.explore.Explorer;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.scenarios.Catalogue;
import org.userptrlab.lab.scenarios.Step;
import org.userptrlab.lab.scenarios.TextScenario;
import org.userptrlab.executor.Availability;
import org.userptrlab.executor.NativeExecutor;
import org.userptrlab.mm.KernelConfig;

/**
 * The model against the kernel of the machine the build runs on: every catalogue program and a
 * seeded set of random ones that can run on a real kernel agree with the model under every
 * strategy that has a userspace analogue. Skipped, with the reason, where the executor cannot run.
 */
class DiffTest {
  static Diff diff;

  @BeforeAll
  static void here() {
    Availability a = NativeExecutor.availability();
    assumeTrue(a.available(), a.reason());
    KernelConfig host = KernelConfig.host();
    diff = new Diff(Diff.model(LabOptions.builder().profiles(List.of(Profiles.all().get(0))).build(), host), host);
  }

  @org.junit.jupiter.api.AfterAll
  static void swapFileGone() {
    if (diff != null) {
      diff.close();
    }
  }

  private static List<Diff.Result> runAll(List<Program> programs) {
    List<Diff.Result> out = new ArrayList<>();
    for (Program p : programs) {
      for (String s : Strategies.names()) {
        out.add(diff.run(p, s, Strategies.contract(s)));
      }
    }
    return out;
  }

  @Test
  void theCatalogueAgreesWithThisKernelWhereverItCanRun() {
    List<Program> programs = new ArrayList<>();
    for (Scenario s : Catalogue.all()) {
      programs.add(((TextScenario) s).program());
    }
    List<Diff.Result> results = runAll(programs);
    assertThat(results).filteredOn(r -> r.verdict() == Diff.Verdict.DISAGREE).isEmpty();
    assertThat(results).filteredOn(r -> r.verdict() == Diff.Verdict.AGREE).as("the fork, free and exit programs run here")
        .hasSizeGreaterThanOrEqualTo(30);
  }

  @Test
  void seededRandomProgramsAgreeWithThisKernelWhereverTheyCanRun() {
    List<Program> programs = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      programs.add(Parser.parse("explore-1-" + i, Explorer.program(1, i)));
    }
    List<Diff.Result> results = runAll(programs);
    assertThat(results).filteredOn(r -> r.verdict() == Diff.Verdict.DISAGREE).isEmpty();
    assertThat(results).filteredOn(r -> r.verdict() == Diff.Verdict.AGREE).isNotEmpty();
  }

  /** A difference is found and said with both values: the comparison can fail. */
  @Test
  void aDifferenceIsReportedAtItsFirstStepWithBothValues() {
    List<Step> model = List.of(new Step(3, "p.sees buf 4K 1", "true", 0, 16), new Step(4, "gpu.sees obj 2", "true", 0, 16));
    List<Step> real = List.of(new Step(3, "p.sees buf 4K 1", "true", 0, 16), new Step(4, "gpu.sees obj 2", "false", 0, 16));
    assertThat(Diff.firstDifference(model, real, "backed-longterm")).isEqualTo("line 4 (gpu.sees obj 2): model true, real kernel false");
    List<Step> pinned = List.of(new Step(3, "p.sees buf 4K 1", "true", 0, 0), new Step(4, "gpu.sees obj 2", "true", 0, 16));
    assertThat(Diff.firstDifference(model, pinned, "backed-longterm")).isEqualTo("line 3 (p.sees buf 4K 1): VmPin model 16 kB, real kernel 0 kB");
    assertThat(Diff.firstDifference(model, model, "copy")).isNull();
  }
}
