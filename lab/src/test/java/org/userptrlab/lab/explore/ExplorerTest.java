package org.userptrlab.lab.explore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.scenarios.TextScenario;
import org.userptrlab.mm.KernelConfig;

/** What random programs find, from seed 1 with a budget of programs (not seconds), and that shards add up to one run. */
class ExplorerTest {
  static final List<KernelConfig> KERNELS = List.of(KernelConfig.LINUX_3_4, KernelConfig.LINUX_6_12);
  static Comparison cmp;
  static ExploreResult found;

  @BeforeAll
  static void explore() {
    cmp = new Comparison(LabOptions.builder().kernels(KERNELS).profiles(List.of(Profiles.all().get(0))).build());
    found = new Explorer(cmp, Strategies.names(), KERNELS).run(1, 400, 1, 1, n -> { });
  }

  private static Optional<Finding> finding(String strategy, String kernel, Signature.Kind kind, String what) {
    return found.findings().stream().filter(f -> f.signature().equals(new Signature(strategy, kernel, kind, what))).findFirst();
  }

  @Test
  void theForkBreakOfReferencesToday_AndOfLongTermPinsOn34_IsFoundAndShrunkToAFewLines() {
    for (String[] sk : new String[][] {{"backed-pin", "6.12"}, {"mlock", "6.12"}, {"backed-longterm", "3.4"}}) {
      Finding f = finding(sk[0], sk[1], Signature.Kind.BROKEN, "GPU_SEES_LATER_CPU_WRITES").orElseThrow(
          () -> new AssertionError("no fork break under " + sk[0] + " on " + sk[1]));
      assertThat(f.lines()).as("%s on %s", sk[0], sk[1]).isLessThanOrEqualTo(12);
      assertThat(f.events()).as("%s on %s", sk[0], sk[1]).contains("fork");
    }
    // Fixed by 70e806e4e645 (5.9): the fork program that breaks a long-term pin on 3.4 keeps it on 6.12, and no break found
    // on 6.12 involves fork (a program that frees an imported buffer and imports its reuse may still alias two objects).
    Finding on34 = finding("backed-longterm", "3.4", Signature.Kind.BROKEN, "GPU_SEES_LATER_CPU_WRITES").orElseThrow();
    Program fork = Parser.parse("fork.scenario", on34.minimal());
    assertThat(cmp.run(new TextScenario("fork.scenario", fork), "backed-longterm", KernelConfig.LINUX_6_12).verdict())
        .as("fixed by 70e806e4e645").isEqualTo(org.userptrlab.core.harness.RunResult.Verdict.KEPT);
    finding("backed-longterm", "6.12", Signature.Kind.BROKEN, "GPU_SEES_LATER_CPU_WRITES")
        .ifPresent(f -> assertThat(f.events()).as("a break on 6.12 that fork makes").doesNotContain("fork"));
  }

  @Test
  void theHazardsOfTheThreadAreFoundAsWell() {
    assertThat(finding("mlock", "6.12", Signature.Kind.HAZARD, "RLIMIT_MEMLOCK_BYPASS")).hasValueSatisfying(f ->
        assertThat(f.lines()).isLessThanOrEqualTo(12));
    assertThat(finding("mlock", "6.12", Signature.Kind.HAZARD, "SWAPPED_WHILE_HELD")).as("munlock behind the driver")
        .hasValueSatisfying(f -> {
          assertThat(f.events()).contains("munlock", "pressure");
          assertThat(f.lines()).isLessThanOrEqualTo(12);
        });
    assertThat(found.findings()).anySatisfy(f -> {
      assertThat(f.signature().what()).isEqualTo("CMA_ALLOC_FAILED");
      assertThat(f.events()).contains("cma_alloc", "userptr");
    });
    assertThat(found.findings()).as("signatures cover hazards as well as contract breaks")
        .extracting(f -> f.signature().kind()).contains(Signature.Kind.BROKEN, Signature.Kind.HAZARD);
  }

  @Test
  void noExploredProgramBreaksTheMemoryManager() {
    assertThat(found.findings()).noneSatisfy(f -> assertThat(f.signature().kind()).isEqualTo(Signature.Kind.MODEL_BUG));
  }

  @Test
  void everyMinimalProgramReplaysToItsSignature() {
    for (Finding f : found.findings()) {
      Program p = Parser.parse(f.signature().slug(), f.minimal());
      KernelConfig k = KernelConfig.parse(f.signature().kernel());
      // A race replays as the failure it names, in the order its minimal program writes: its schedule.
      assertThat(Signature.of(cmp.run(new TextScenario(p.name(), p), f.signature().strategy(), k))).as("%s", f.signature())
          .contains(f.signature().shown());
    }
  }

  /**
   * Some failures need an interleaving of a program's threads other than the order its lines were
   * written in: each is found, as a race, and shrunk to a program whose lines, threads and all, are
   * in the order that shows it.
   */
  @Test
  void aFailureOnlySomeInterleavingsShowIsFoundWithItsSchedule() {
    List<Finding> races = found.findings().stream().filter(f -> f.signature().kind() == Signature.Kind.RACE).toList();
    assertThat(races).isNotEmpty();
    for (Finding f : races) {
      Program p = Parser.parse(f.signature().slug(), f.minimal());
      assertThat(p.body()).as(f.minimal()).anyMatch(s -> s instanceof Program.On);
    }
  }

  /**
   * shrink of a race the explorer wrote out keeps the failure the file names, of all it shows, and
   * keeps it a race: the smaller program still needs its schedule.
   */
  @Test
  void aRaceFileShrinksAgainAsARace() {
    Finding race = found.findings().stream().filter(f -> f.signature().kind() == Signature.Kind.RACE).findFirst().orElseThrow();
    Program p = Parser.parse("race.scenario", race.minimal());
    Explorer e = new Explorer(cmp, Strategies.names(), KERNELS);
    Signature shown = Explorer.named(p, e.signatures(p)).orElseThrow();
    assertThat(Signature.race(shown)).as("the failure the file names, of those it shows").isEqualTo(race.signature());
    Finding again = e.shrink(p, shown, "race.scenario");
    assertThat(again.signature()).isEqualTo(race.signature());
    assertThat(Parser.parse("again.scenario", again.minimal()).body()).as(again.minimal()).anyMatch(s -> s instanceof Program.On);
  }

  /**
   * Each shard evolves a corpus of its own, so a shard is the same for the same seed however often it runs, and
   * shards merged hold every program and each finding's first program over all of them.
   */
  @Test
  void aShardIsTheSameEveryTimeAndShardsMergeIntoOneResult() {
    Explorer e = new Explorer(cmp, List.of("backed-pin", "mlock", "steal"), KERNELS);
    ExploreResult two = e.run(7, 60, 2, 3, n -> { });
    assertThat(ExploreReport.json(e.run(7, 60, 2, 3, n -> { }))).isEqualTo(ExploreReport.json(two));
    List<ExploreResult> parts = List.of(two, e.run(7, 60, 1, 3, n -> { }), e.run(7, 60, 3, 3, n -> { }));
    ExploreResult merged = Explorer.merge(parts);
    assertThat(merged.programs()).isEqualTo(60);
    for (ExploreResult part : parts) {
      for (Finding f : part.findings()) {
        assertThat(merged.findings()).anySatisfy(m -> {
          assertThat(m.signature()).isEqualTo(f.signature());
          assertThat(m.first()).isLessThanOrEqualTo(f.first());
        });
      }
      assertThat(merged.coverage().paths()).containsAll(part.coverage().paths());
      assertThat(merged.corpus()).containsAll(part.corpus());
    }
  }

  /** The corpus seeded from the catalogue: what the catalogue shows is found near it, and what no catalogue scenario shows too. */
  @Test
  void everySignatureOfTheCatalogueIsFoundAndMoreBesides() {
    assertThat(found.missed()).isEmpty();
    assertThat(found.findings()).filteredOn(f -> !f.inCatalogue()).isNotEmpty();
    assertThat(found.kept()).isPositive();
    assertThat(found.coverage().paths()).contains(org.userptrlab.mm.ModelPath.GUP_LONGTERM_MIGRATED,
        org.userptrlab.mm.ModelPath.RECLAIM_SKIPPED_PINNED);
  }

  /**
   * Every hazard kind a catalogue scenario shows is reached from seed 1 within the 400 programs, under every strategy
   * and kernel the catalogue shows it under.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(org.userptrlab.core.harness.HazardKind.class)
  void eachHazardKindTheCatalogueShowsIsReached(org.userptrlab.core.harness.HazardKind kind) {
    List<Signature> shown = found.catalogue().stream().filter(s -> s.kind() == Signature.Kind.HAZARD && s.what().equals(kind.name()))
        .toList();
    org.junit.jupiter.api.Assumptions.assumeFalse(shown.isEmpty(), kind + " is shown by no catalogue scenario");
    assertThat(found.findings()).extracting(Finding::signature).containsAll(shown);
  }

  /** Shards of runs over other strategies or kernels are not one run's: merge refuses them. */
  @Test
  void shardsOfDifferentStrategiesDoNotMerge() {
    ExploreResult one = new Explorer(cmp, List.of("backed-pin"), KERNELS).run(3, 4, 1, 2, n -> { });
    ExploreResult two = new Explorer(cmp, List.of("mlock"), KERNELS).run(3, 4, 2, 2, n -> { });
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Explorer.merge(List.of(one, two)))
        .hasMessage("these results come from different runs: shards [2] ran with --strategies mlock, not backed-pin");
  }

  /**
   * A round's programs are made from the corpus as the round began, so an engine may run them in any order, and
   * shrink in any order, and the result is the one the explorer gives running them itself.
   */
  @Test
  void aRoundsProgramsRunInAnyOrderGiveTheSameResult() {
    Explorer e = new Explorer(cmp, List.of("backed-pin", "mlock", "copy"), KERNELS);
    ExploreEngine backwards = new ExploreEngine() {
      @Override
      public List<Outcome> run(Round round, long[] indices, java.util.function.LongConsumer progress, Deadline deadline) {
        Outcome[] out = new Outcome[indices.length];
        for (int k = indices.length - 1; k >= 0; k--) {
          out[k] = e.explore(round, indices[k]);
        }
        return List.of(out);
      }

      @Override
      public List<Finding> shrink(List<Candidate> candidates) {
        List<Finding> out = new java.util.ArrayList<>();
        for (int k = candidates.size() - 1; k >= 0; k--) {
          out.add(0, e.shrink(candidates.get(k)));
        }
        return out;
      }
    };
    ExploreResult mine = e.run(9, 140, 1, 1, n -> { });
    assertThat(mine.kept()).as("the corpus grew between rounds").isPositive();
    assertThat(ExploreReport.files(e.run(9, 140, 1, 1, n -> { }, Deadline.NONE, backwards))).isEqualTo(ExploreReport.files(mine));
  }

  /**
   * A broken promise counts only where another strategy that makes the promise keeps it: explored under the baseline
   * alone, a check of bytes no line wrote is no finding of copy's.
   */
  @Test
  void underOneStrategyAloneNoBrokenPromiseCounts() {
    ExploreResult alone = new Explorer(cmp, List.of("copy"), KERNELS).run(1, 150, 1, 1, n -> { });
    assertThat(alone.findings()).noneMatch(f -> f.signature().kind() == Signature.Kind.BROKEN);
  }
}
