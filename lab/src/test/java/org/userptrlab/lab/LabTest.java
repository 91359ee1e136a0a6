package org.userptrlab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.executor.Availability;
import org.userptrlab.executor.NativeExecutor;
import org.userptrlab.lab.explore.ExploreResult;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.lang.ProgramError;
import org.userptrlab.lab.real.Diff;
import org.userptrlab.lab.report.Document;
import org.userptrlab.lab.report.Format;
import org.userptrlab.mm.KernelConfig;

/** The library's entry point does what the command line does with it: parse, run, refuse, explore, diff, write. */
class LabTest {
  private static final String FORK = "scenario my-fork \"import 16 KiB, fork, the parent writes\"\nmachine ram 64M swap 64M\nobserve\n\n"
      + "p = app my-app\nbuf = p.memalign 4K 16K\np.fill buf 16K 1\nobj = p.userptr buf 16K\nchild = p.fork\np.fill buf 16K 2\n"
      + "expect GPU_SEES_LATER_CPU_WRITES \"the GPU sees the parent's write\" gpu.sees obj 2\n";

  private final Lab lab = new Lab(LabOptions.builder().strategies("backed-pin", "backed-longterm").kernels(KernelConfig.LINUX_6_12)
      .profiles(List.of(Profiles.X86_DESKTOP_2012)).build());

  @Test
  void aProgramRunsUnderEveryStrategyOfTheOptionsAndAPlainReferenceLosesTheParentAfterFork() {
    List<RunResult> runs = lab.run("my-fork.scenario", Lab.parse("my-fork.scenario", FORK));
    assertThat(runs).extracting(RunResult::strategy, RunResult::verdict).containsExactly(
        org.assertj.core.groups.Tuple.tuple("backed-pin", RunResult.Verdict.BROKEN),
        org.assertj.core.groups.Tuple.tuple("backed-longterm", RunResult.Verdict.KEPT));
  }

  @Test
  void badBytesAndAProgramTooBigForTheMachineAreRefusedBeforeAnyRun() {
    assertThatThrownBy(() -> Lab.parse("bad.scenario", new byte[] {'s', (byte) 0xff})).isInstanceOfSatisfying(ProgramError.class,
        e -> assertThat(e.getMessage()).startsWith("bad.scenario:1:2: "));
    Program big = Lab.parse("big.scenario", "scenario big\np = app app\nbuf = p.malloc 1G\n".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> lab.run("big.scenario", big)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("asks for 1G");
  }

  @Test
  void exploringIsDeterministicForASeed() {
    ExploreResult a = lab.explore(7, 40);
    ExploreResult b = lab.explore(7, 40);
    assertThat(a.programs()).isEqualTo(40);
    assertThat(a.findings()).isEqualTo(b.findings());
  }

  @Test
  void theRealKernelAgreesWithTheModelOnTheReadmesProgram() {
    Availability here = NativeExecutor.availability();
    assumeTrue(here.available(), here.reason());
    List<Diff.Result> results = lab.diff(Lab.parse("my-fork.scenario", FORK));
    assertThat(results).extracting(Diff.Result::strategy).containsExactly("backed-pin", "backed-longterm");
    assertThat(results).allSatisfy(r -> assertThat(r.verdict()).as(r.detail()).isEqualTo(Diff.Verdict.AGREE));
  }

  @Test
  void aReportIsRenderedInEveryFormatWithoutWritingAnything() {
    LabReport report = new LabReport(LabReport.Command.RUN, "test", lab.options().machine(), List.of(), lab.options().kernels(),
        lab.options().profiles(), Lab.catalogue().subList(0, 1), lab.run(Lab.catalogue().subList(0, 1)), List.of(), TimelineResult.NONE,
        List.of());
    for (Format f : Format.values()) {
      List<Document> docs = Lab.write(report, f);
      assertThat(docs).as("%s", f).isNotEmpty();
      assertThat(docs.get(0).content()).as("%s", f).isNotBlank();
    }
  }
}
