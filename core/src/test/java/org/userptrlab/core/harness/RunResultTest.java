package org.userptrlab.core.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.driver.DriverStats;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.mm.KernelChange;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;

/**
 * What a run's result says: a broken promise is the strategy's fault, an unmet need only means the
 * strategy does not serve the program; a scenario that needs CMA on a kernel without it runs with
 * CMA added and says so; a machine the model cannot build, or a strategy it does not know, fails
 * before anything runs.
 */
class RunResultTest {
  private final Comparison cmp = new Comparison(LabOptions.builder().strategies("copy").kernels(KernelConfig.LINUX_6_12).build());

  /** A scenario made of a lambda, needing {@code needs}, on the machine {@code machine} makes of the defaults. */
  record Program(String name, Set<Promise> needs, java.util.function.UnaryOperator<MachineConfig.Builder> machine,
      Consumer<ScenarioRun> body) implements Scenario {
    Program(String name, Set<Promise> needs, Consumer<ScenarioRun> body) {
      this(name, needs, b -> b, body);
    }

    @Override
    public String description() {
      return name;
    }

    @Override
    public MachineConfig.Builder machine(MachineConfig.Builder defaults) {
      return machine.apply(defaults);
    }

    @Override
    public void run(ScenarioRun run) {
      body.accept(run);
    }
  }

  @Test
  void aCheckOfAPromiseTheContractMakesBreaksItAndOneItDoesNotMakeIsAnUnmetNeed() {
    RunResult broken = cmp.run(new Program("snapshot-lost", Set.of(Promise.GPU_KEEPS_SNAPSHOT),
        run -> run.expect(Promise.GPU_KEEPS_SNAPSHOT, "the GPU kept the bytes", false)), "copy", KernelConfig.LINUX_6_12);
    assertThat(broken.verdict()).isEqualTo(RunResult.Verdict.BROKEN);
    assertThat(broken.brokenPromises()).extracting(Check::what).containsExactly("the GPU kept the bytes");
    assertThat(broken.unmetNeeds()).extracting(Check::what).containsExactly("the GPU kept the bytes");
    assertThat(broken.serves()).isFalse();
    assertThat(broken.summary()).as("no stray ';' at the end").isEqualTo("BROKEN: the GPU kept the bytes");

    RunResult twice = cmp.run(new Program("two-lost", Set.of(Promise.GPU_KEEPS_SNAPSHOT), run -> {
      run.expect(Promise.GPU_KEEPS_SNAPSHOT, "the GPU kept the bytes", false);
      run.expect(Promise.GPU_KEEPS_SNAPSHOT, "the GPU kept the others", false);
    }), "copy", KernelConfig.LINUX_6_12);
    assertThat(twice.summary()).isEqualTo("BROKEN: the GPU kept the bytes; the GPU kept the others");

    RunResult unmet = cmp.run(new Program("wants-coherence", Set.of(Promise.GPU_SEES_LATER_CPU_WRITES),
        run -> run.expect(Promise.GPU_SEES_LATER_CPU_WRITES, "the GPU saw the later write", false)), "copy",
        KernelConfig.LINUX_6_12);
    assertThat(unmet.verdict()).as("copy never promised coherence").isEqualTo(RunResult.Verdict.KEPT);
    assertThat(unmet.brokenPromises()).isEmpty();
    assertThat(unmet.unmetNeeds()).hasSize(1);
    assertThat(unmet.serves()).isFalse();
    assertThat(unmet.summary()).isEqualTo("kept");

    RunResult served = cmp.run(new Program("fine", Set.of(Promise.GPU_SEES_LATER_CPU_WRITES),
        run -> run.expect(Promise.GPU_KEEPS_SNAPSHOT, "not needed and kept", true)), "copy", KernelConfig.LINUX_6_12);
    assertThat(served.serves()).isTrue();
    assertThat(served.unmetNeeds()).isEmpty();
  }

  @Test
  void aHazardIsFoundByItsKind() {
    RunResult r = cmp.run(new Program("leaky", Set.of(), run -> run.hazard(HazardKind.PAGES_LEAKED, "4 pages")), "copy",
        KernelConfig.LINUX_6_12);
    assertThat(r.has(HazardKind.PAGES_LEAKED)).isTrue();
    assertThat(r.has(HazardKind.RLIMIT_MEMLOCK_BYPASS)).isFalse();
  }

  @Test
  void aCostIsAskedForByAProfileTheRunWasPricedUnder() {
    RunResult r = cmp.run(new Program("idle", Set.of(), run -> { }), "copy", KernelConfig.LINUX_6_12);
    String name = Profiles.all().get(0).name();
    assertThat(r.cost(name)).isSameAs(r.cost(Profiles.all().get(0)));
    assertThatThrownBy(() -> r.cost("no-such-box")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'no-such-box'").hasMessageContaining(name);
  }

  @Test
  void aScenarioThatNeedsCmaOnAKernelBeforeItRunsWithCmaAddedAndSaysSo() {
    Program cma = new Program("cma", Set.of(), b -> b.cma(4L << 20), run -> { });
    RunResult old = cmp.run(cma, "copy", KernelConfig.LINUX_3_4);
    assertThat(old.kernel()).isEqualTo(KernelConfig.LINUX_3_4);
    assertThat(old.ranOn()).isEqualTo(KernelConfig.LINUX_3_4.with(KernelChange.CMA));
    assertThat(old.remarks()).singleElement().asString().startsWith("ran on 3.4+cma: the scenario needs cma, which came in 3.5");
    RunResult modern = cmp.run(cma, "copy", KernelConfig.LINUX_6_12);
    assertThat(modern.ranOn()).isEqualTo(KernelConfig.LINUX_6_12);
    assertThat(modern.remarks()).isEmpty();
    RunResult noCma = cmp.run(new Program("plain", Set.of(), run -> { }), "copy", KernelConfig.LINUX_3_4);
    assertThat(noCma.ranOn()).as("without a CMA region nothing is added").isEqualTo(KernelConfig.LINUX_3_4);
  }

  @Test
  void aMachineTheModelCannotBuildIsAScenarioErrorWithNothingRun() {
    boolean[] ran = {false};
    RunResult r = cmp.run(new Program("tiny", Set.of(Promise.GPU_KEEPS_SNAPSHOT), b -> b.ram(1L << 20), run -> ran[0] = true), "copy",
        KernelConfig.LINUX_6_12);
    assertThat(ran[0]).isFalse();
    assertThat(r.verdict()).isEqualTo(RunResult.Verdict.ERROR);
    assertThat(r.error().errno()).isEqualTo(org.userptrlab.mm.Errno.EINVAL);
    assertThat(r.error().message()).contains("at least 4 MiB");
    assertThat(r.needs()).containsExactly(Promise.GPU_KEEPS_SNAPSHOT);
    assertThat(r.costs()).isEmpty();
    assertThat(r.checks()).isEmpty();
    assertThat(r.serves()).isFalse();
  }

  @Test
  void anUnknownStrategyIsRefusedBeforeAnyRun() {
    int[] runs = {0};
    Program counted = new Program("counted", Set.of(), run -> runs[0]++);
    assertThatThrownBy(() -> cmp.run(counted, "no-such-strategy", KernelConfig.LINUX_6_12))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-strategy");
    assertThatThrownBy(() -> cmp.run(List.of(new Comparison.Run(counted, "copy", KernelConfig.LINUX_6_12),
        new Comparison.Run(counted, "no-such-strategy", KernelConfig.LINUX_6_12))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(runs[0]).as("the good run before the bad one did not run either").isZero();
  }

  @Test
  void ioctlsAreCountedInTheMeasuredWindowOrToTheEnd() {
    Consumer<ScenarioRun> three = run -> {
      DriverStats stats = run.get(DriverStats.class);
      stats.ioctl();
      run.startMeasuring();
      stats.ioctl();
      stats.ioctl();
    };
    assertThat(cmp.run(new Program("to-the-end", Set.of(), three), "copy", KernelConfig.LINUX_6_12).ioctls()).isEqualTo(2);
    RunResult windowed = cmp.run(new Program("windowed", Set.of(), three.andThen(run -> {
      run.stopMeasuring();
      run.get(DriverStats.class).ioctl();
    })), "copy", KernelConfig.LINUX_6_12);
    assertThat(windowed.ioctls()).isEqualTo(2);
  }

  @Test
  void optionsNameEachStrategyKernelAndProfileOnceAndRunOnAtLeastOneThread() {
    assertThatThrownBy(() -> LabOptions.builder().strategies("nope").build()).hasMessageContaining("nope");
    assertThatThrownBy(() -> LabOptions.builder().strategies("copy", "copy").build())
        .hasMessage("strategy copy is named twice; name each strategy once");
    assertThatThrownBy(() -> LabOptions.builder().kernels(List.of()).build()).hasMessageStartingWith("no kernel given");
    assertThatThrownBy(() -> LabOptions.builder().kernels(KernelConfig.LINUX_3_4, KernelConfig.LINUX_3_4).build())
        .hasMessageContaining("is named twice");
    assertThatThrownBy(() -> LabOptions.builder().profiles(List.of()).build()).hasMessageStartingWith("no platform profile given");
    assertThatThrownBy(() -> LabOptions.builder().profiles(List.of(Profiles.all().get(0), Profiles.all().get(0))).build())
        .hasMessageContaining("is named twice");
    assertThatThrownBy(() -> LabOptions.builder().threads(0).build()).hasMessage("threads must be at least 1, not 0");
    com.google.inject.Module extra = binder -> { };
    LabOptions o = LabOptions.builder().strategies("copy").threads(3).modules(List.of(extra)).build();
    assertThat(o.threads()).isEqualTo(3);
    assertThat(o.modules()).containsExactly(extra);
  }
}
