package org.userptrlab.lab.real;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Parameter;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.lab.lang.Op;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.scenarios.Step;
import org.userptrlab.lab.scenarios.TextScenario;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.VmEvent;

/**
 * Where a timed diff's time goes: each step carries what it took (on the model its virtual time,
 * waits included), and the steps both sides took are summed per operation of the language.
 */
class DiffOpsTest {
  private static final Program PROGRAM = Parser.parse("t.scenario", """
      scenario t "where the time goes"
      machine ram 64M

      p = app app
      buf = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS
      p.fill buf 64K 7
      obj = p.userptr buf 64K
      job = gpu.submit obj read 5ms
      p.munmap buf 64K
      check "the GPU saw the bytes" gpu.sees obj 7
      """);

  /** A kernel worker's reclaim of the program's pages, which it then reads back. */
  private static final Program RECLAIMED = Parser.parse("r.scenario", """
      scenario r "reclaim, then the program reads its pages back"
      machine ram 64M swap 64M

      p = app app
      buf = p.malloc 1M
      p.fill buf 1M 3
      reclaim
      back = p.sees buf 1M 3
      p.exit
      """);

  private static List<Step> onModel() {
    List<Step> steps = new ArrayList<>();
    new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12).profiles(List.of(Profiles.EPYC_GUEST)).build())
        .run(new TextScenario("t.scenario", PROGRAM, steps::add), "backed-notifier", KernelConfig.LINUX_6_12);
    return steps;
  }

  /**
   * A timed diff's real time is its median run, and each real run after a program's first takes the frames the run
   * before it freed: the model's run follows one as they do, its first 4 MiB of frames new to it recent.
   */
  @Test
  void theModelsRunFollowsARunOfTheProgramAsTheRealRunsAfterTheFirstDo() {
    Program fill = Parser.parse("f.scenario", """
        scenario f "8 MiB filled"
        p = app app
        buf = p.malloc 8M
        p.fill buf 8M 1
        """);
    LabOptions options = LabOptions.builder().profiles(List.of(Profiles.EPYC_GUEST)).build();
    var inDiff = Diff.model(options, KernelConfig.LINUX_6_12).run(new TextScenario("f.scenario", fill, s -> { }), "copy",
        KernelConfig.LINUX_6_12);
    assertThat(inDiff.counters().get(VmEvent.PGALLOC_RECENT)).as("4 MiB of the 8").isEqualTo(1024);
    var alone = new Comparison(options).run(new TextScenario("f.scenario", fill, s -> { }), "copy", KernelConfig.LINUX_6_12);
    assertThat(alone.counters().getOrDefault(VmEvent.PGALLOC_RECENT, 0L)).as("a run of its own").isZero();
  }

  @Test
  void aModelStepTakesItsPricedWorkAndItsWaits() {
    List<Step> steps = onModel();
    Step fill = steps.stream().filter(s -> s.call().startsWith("p.fill")).findFirst().orElseThrow();
    assertThat(fill.nanos()).as("16 faults at least").isGreaterThanOrEqualTo(Math.round(16 * Profiles.EPYC_GUEST.get(Parameter.FAULT)));
    Step munmap = steps.stream().filter(s -> s.call().startsWith("p.munmap")).findFirst().orElseThrow();
    assertThat(munmap.nanos()).as("i915's invalidation waits for the rest of the 5 ms job").isGreaterThan(4_000_000);
  }

  @Test
  void theStepsAreSummedPerOperationAndACheckHasNoTimeOfItsOwn() {
    List<Step> model = onModel();
    List<Step> real = new ArrayList<>();
    for (Step s : model) {
      real.add(new Step(s.line(), s.call(), s.outcome(), s.vmlckKb(), s.vmpinKb(), 1000, s.call().startsWith("p.userptr") ? 70 : 0));
    }
    List<Diff.OpTime> ops = Diff.ops(PROGRAM, model, real);
    assertThat(ops).extracting(Diff.OpTime::op).containsExactlyInAnyOrder(Op.APP, Op.MMAP, Op.FILL, Op.USERPTR, Op.MUNMAP, Op.GPU_SUBMIT,
        Op.GPU_SEES);
    Diff.OpTime sees = ops.stream().filter(t -> t.op() == Op.GPU_SEES).findFirst().orElseThrow();
    assertThat(sees.steps()).isEqualTo(1);
    assertThat(sees.realNanos()).isEqualTo(1000);
    assertThat(ops).filteredOn(t -> t.op() == Op.USERPTR).extracting(Diff.OpTime::scaffoldNanos).as("the analogue's, said apart")
        .containsExactly(70L);
    assertThat(sees.scaffoldNanos()).isZero();
    assertThat(ops.stream().mapToInt(Diff.OpTime::steps).sum()).as("every step but the check's own").isEqualTo(model.size() - 1);
  }

  /** A look at the kernel's state (pagemap) is the lab's, no program's: its real time is all scaffolding, and it is listed. */
  @Test
  void aLookIsListedWithItsTimeLeftOut() {
    Program looked = Parser.parse("l.scenario", "scenario l\np = app app\nbuf = p.malloc 64K\np.fill buf 64K 1\n"
        + "out = p.swapped buf 64K\n");
    List<Step> model = new ArrayList<>();
    new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12).profiles(List.of(Profiles.EPYC_GUEST)).build())
        .run(new TextScenario("l.scenario", looked, model::add), "copy", KernelConfig.LINUX_6_12);
    List<Step> real = new ArrayList<>();
    for (Step s : model) {
      boolean look = s.call().startsWith("p.swapped");
      real.add(new Step(s.line(), s.call(), s.outcome(), s.vmlckKb(), s.vmpinKb(), look ? 0 : 1000, look ? 2_500_000 : 0));
    }
    Diff.OpTime swapped = Diff.ops(looked, model, real).stream().filter(t -> t.op() == Op.SWAPPED).findFirst().orElseThrow();
    assertThat(swapped.realNanos()).isZero();
    assertThat(swapped.scaffoldNanos()).isEqualTo(2_500_000);
  }

  @Test
  void thePredictionIsTheStepsOneAfterAnotherAsTheExecutorRunsThemWithoutWhatItDoesNotTime() {
    // A kernel worker's reclaim runs beside the program in the model; the executor waits for its analogue.
    Program program = RECLAIMED;
    List<Step> model = new ArrayList<>();
    new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12).profiles(List.of(Profiles.EPYC_GUEST)).build())
        .run(new TextScenario("r.scenario", program, model::add), "copy", KernelConfig.LINUX_6_12);
    List<Step> real = new ArrayList<>();
    long sum = 0;
    for (Step s : model) {
      boolean exit = s.call().startsWith("p.exit");
      real.add(new Step(s.line(), s.call(), s.outcome(), s.vmlckKb(), s.vmpinKb(), exit ? 0 : 1000));
      sum += exit ? 0 : s.nanos();
    }
    Step reclaim = model.stream().filter(s -> s.call().equals("reclaim")).findFirst().orElseThrow();
    Step exit = model.stream().filter(s -> s.call().startsWith("p.exit")).findFirst().orElseThrow();
    assertThat(reclaim.nanos()).as("the reclaim takes time of its own").isPositive();
    assertThat(exit.nanos()).as("the model prices the teardown").isPositive();
    assertThat(Diff.predicted(model, real)).isEqualTo((double) sum);
    assertThat(Diff.ops(program, model, real)).extracting(Diff.OpTime::op).doesNotContain(Op.EXIT).contains(Op.RECLAIM);
  }

  @Test
  void aDiffsModelRunsGiveEachAppItsMainThreadAloneAsTheExecutorsProcessesHave() {
    Program program = RECLAIMED;
    LabOptions options = LabOptions.builder().profiles(List.of(Profiles.EPYC_GUEST)).build();
    org.userptrlab.core.harness.RunResult byDefault = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12)
        .profiles(List.of(Profiles.EPYC_GUEST)).build()).run(new TextScenario("r.scenario", program), "copy", KernelConfig.LINUX_6_12);
    org.userptrlab.core.harness.RunResult inADiff = Diff.model(options, KernelConfig.LINUX_6_12)
        .run(new TextScenario("r.scenario", program), "copy", KernelConfig.LINUX_6_12);
    assertThat(byDefault.counters().getOrDefault(org.userptrlab.mm.VmEvent.NR_TLB_REMOTE_FLUSH, 0L)).as("the render thread").isPositive();
    assertThat(inADiff.counters().getOrDefault(org.userptrlab.mm.VmEvent.NR_TLB_REMOTE_FLUSH, 0L)).isZero();
  }
}
