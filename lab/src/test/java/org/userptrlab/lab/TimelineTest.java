package org.userptrlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult.Verdict;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.lab.Timeline;
import org.userptrlab.lab.TimelineResult;
import org.userptrlab.lab.TimelineResult.Flip;
import org.userptrlab.lab.TimelineResult.Row;
import org.userptrlab.lab.scenarios.Catalogue;
import org.userptrlab.mm.KernelChange;
import org.userptrlab.mm.KernelConfig;

/** The kernel's history, told by the lab: which change made each outcome flip, found by applying them one by one. */
class TimelineTest {
  static TimelineResult tl;

  @BeforeAll
  static void runTheTimeline() {
    Comparison cmp = new Comparison(LabOptions.builder().kernels(KernelConfig.presets()).profiles(List.of(Profiles.all().get(0))).build());
    tl = Timeline.run(cmp, List.of(Catalogue.byName("fork-then-parent-writes"), Catalogue.byName("rlimit-memlock"),
        Catalogue.byName("memory-pressure"), Catalogue.byName("munlock-behind-driver"), Catalogue.byName("file-backed-range")),
        Strategies.names(), KernelConfig.presets());
  }

  private static Row row(String scenario, String strategy) {
    return tl.row(scenario, strategy);
  }

  private static int at(String release) {
    return tl.kernels().indexOf(KernelConfig.linux(release));
  }

  @Test
  void longTermPinsSurviveForkFromTheReleaseOfTheEarlyCowForPinnedPages() {
    Row r = row("fork-then-parent-writes", "backed-longterm");
    assertThat(r.flips()).singleElement().satisfies(f -> {
      assertThat(f.change()).isEqualTo(KernelChange.FORK_COPY_PINNED);
      assertThat(f.change().commit()).isEqualTo("70e806e4e645");
      assertThat(f.from()).isEqualTo(KernelConfig.linux("5.4"));
      assertThat(f.to()).isEqualTo(KernelConfig.linux("5.10"));
      assertThat(f.before().verdict()).isEqualTo(Verdict.BROKEN);
      assertThat(f.after().verdict()).isEqualTo(Verdict.KEPT);
    });
    for (int i = 0; i < tl.kernels().size(); i++) {
      assertThat(r.outcomes().get(i).verdict()).as("%s", tl.kernels().get(i)).isEqualTo(i < at("5.10") ? Verdict.BROKEN : Verdict.KEPT);
    }
  }

  @Test
  void theCowTrickStopsFallingBackToCopyingWhenDoWpPageLooksAtReferences() {
    Row r = row("fork-then-parent-writes", "cow");
    assertThat(r.flips()).singleElement().satisfies(f -> {
      assertThat(f.change()).isEqualTo(KernelChange.WP_PAGE_COUNT);
      assertThat(f.change().commit()).isEqualTo("09854ba94c6a");
      assertThat(f.before().hazards()).contains(HazardKind.FELL_BACK_TO_COPY);
      assertThat(f.after().hazards()).doesNotContain(HazardKind.FELL_BACK_TO_COPY);
      assertThat(f.after().verdict()).isEqualTo(Verdict.KEPT);
    });
  }

  @Test
  void underSwapTheCowTrickBreaksFromPageCountReuseUntilDoSwapPageCountsReferencesToo() {
    // 5.9 to 5.17: do_wp_page copies a page the object holds, but a page coming back from swap is
    // reused in place by reuse_swap_page, which ignores the object's reference, so the program's
    // write lands in the snapshot; c145e0b47c77 (5.18) has do_swap_page look at page_count too.
    for (String scenario : List.of("memory-pressure", "munlock-behind-driver")) {
      assertThat(row(scenario, "cow").flips()).as(scenario).extracting(Flip::change, f -> f.after().verdict())
          .containsExactly(org.assertj.core.groups.Tuple.tuple(KernelChange.WP_PAGE_COUNT, Verdict.BROKEN),
              org.assertj.core.groups.Tuple.tuple(KernelChange.SWAP_PAGE_COUNT, Verdict.KEPT));
    }
  }

  @Test
  void aPlainReferenceLosesThePagesItHoldsToSwapInOnlyIn518() {
    // c145e0b47c77 (5.18) copies a swapped-out page someone holds on the program's write, so a
    // FOLL_GET holder no longer sees it; from 5.19 the page was exclusive when it went out, its swap
    // entry says so, and it comes back the program's own, the holder's page still.
    Row r = row("memory-pressure", "backed-pin");
    assertThat(r.flips()).extracting(Flip::change, f -> f.after().verdict())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(KernelChange.SWAP_PAGE_COUNT, Verdict.BROKEN),
            org.assertj.core.groups.Tuple.tuple(KernelChange.ANON_EXCLUSIVE, Verdict.KEPT));
    for (int i = 0; i < tl.kernels().size(); i++) {
      assertThat(r.outcomes().get(i).verdict()).as("%s", tl.kernels().get(i))
          .isEqualTo(i == at("5.18") ? Verdict.BROKEN : Verdict.KEPT);
    }
  }

  @Test
  void theExynosPatchBypassesRlimitMemlockOnEveryKernel() {
    Row r = row("rlimit-memlock", "mlock");
    assertThat(r.flips()).isEmpty();
    assertThat(r.outcomes()).hasSize(KernelConfig.presets().size())
        .allSatisfy(o -> assertThat(o.hazards()).contains(HazardKind.RLIMIT_MEMLOCK_BYPASS, HazardKind.LOCKED_VM_WRAPPED));
  }

  @Test
  void plainReferencesStayBrokenAfterForkOnEveryKernel() {
    for (String strategy : List.of("backed-pin", "mlock")) {
      assertThat(row("fork-then-parent-writes", strategy).outcomes()).as(strategy)
          .allSatisfy(o -> assertThat(o.verdict()).isEqualTo(Verdict.BROKEN));
    }
  }

  @Test
  void longTermWritablePinsOfFilesAreRefusedFrom65() {
    assertThat(row("file-backed-range", "backed-longterm").flips()).singleElement()
        .satisfies(f -> assertThat(f.change()).isEqualTo(KernelChange.LONGTERM_NO_WRITEBACK))
        .satisfies(f -> assertThat(f.after().verdict()).isEqualTo(Verdict.REFUSED));
  }

  @Test
  void theLastFlipOfEveryIntervalEndsAtTheOutcomeOfTheNewerKernel() {
    for (Row r : tl.rows()) {
      for (int i = 1; i < tl.kernels().size(); i++) {
        List<Flip> into = r.flipsInto(tl.kernels().get(i));
        if (r.outcomes().get(i).equals(r.outcomes().get(i - 1))) {
          assertThat(into).as("%s/%s into %s", r.scenario(), r.strategy(), tl.kernels().get(i)).isEmpty();
        } else {
          assertThat(into).as("%s/%s into %s", r.scenario(), r.strategy(), tl.kernels().get(i)).isNotEmpty();
          assertThat(into.get(0).before()).isEqualTo(r.outcomes().get(i - 1));
          assertThat(into.get(into.size() - 1).after()).isEqualTo(r.outcomes().get(i));
        }
      }
    }
  }

  @Test
  void aChangeTakenOutIsNamedAsSuch() {
    Comparison cmp = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12).profiles(List.of(Profiles.all().get(0))).build());
    TimelineResult t = Timeline.run(cmp, List.of(Catalogue.byName("fork-then-parent-writes")), List.of("backed-longterm"),
        List.of(KernelConfig.LINUX_6_12, KernelConfig.parse("6.12-fork-copy-pinned")));
    assertThat(t.rows().get(0).flips()).singleElement().satisfies(f -> {
      assertThat(f.added()).isFalse();
      assertThat(f.change()).isEqualTo(KernelChange.FORK_COPY_PINNED);
      assertThat(f.after().verdict()).isEqualTo(Verdict.BROKEN);
    });
  }

  /**
   * A program's own check is part of its outcome: one that fails on 3.4 and holds on 4.4 flips there, at the change
   * that makes it hold; an error whose errno changes flips too.
   */
  @Test
  void aProgramsCheckThatStartsToHoldAndAnErrnoThatChangesAreFlips() {
    Comparison cmp = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_3_4).profiles(List.of(Profiles.all().get(0))).build());
    String text = "scenario willneed \"swapped-out pages read back ahead\"\nmachine ram 64M swap 64M\np = app app\n"
        + "buf = p.mmap 1M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.fill buf 1M 3\nreclaim\n"
        + "r = try p.madvise buf 1M MADV_WILLNEED\ncheck \"willneed reads ahead\" r == OK\n";
    List<KernelConfig> kernels = List.of(KernelConfig.LINUX_3_4, KernelConfig.linux("4.4"));
    TimelineResult t = Timeline.run(cmp, List.of(new org.userptrlab.lab.scenarios.TextScenario("willneed.scenario",
        org.userptrlab.lab.lang.Parser.parse("willneed.scenario", text))), List.of("copy"), kernels);
    assertThat(t.rows().get(0).flips()).singleElement().satisfies(f -> {
      assertThat(f.change()).isEqualTo(KernelChange.MADV_WILLNEED_SWAP);
      assertThat(f.before().verdict()).isEqualTo(f.after().verdict()).isEqualTo(Verdict.KEPT);
      assertThat(f.before().describe()).isEqualTo("kept, checks FAIL");
      assertThat(f.after().code()).isEqualTo("kept/PASS");
    });
    String errors = "scenario errs \"an error that changes\"\np = app app\nbuf = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n"
        + "p.fill buf 64K 1\np.madvise buf 64K MADV_WILLNEED\np.mlock2 buf 64K MLOCK_ONFAULT\n";
    TimelineResult e = Timeline.run(cmp, List.of(new org.userptrlab.lab.scenarios.TextScenario("errs.scenario",
        org.userptrlab.lab.lang.Parser.parse("errs.scenario", errors))), List.of("copy"), List.of(KernelConfig.LINUX_3_4,
        KernelConfig.linux("4.4"), KernelConfig.LINUX_6_12));
    assertThat(e.rows().get(0).flips()).extracting(Flip::change).containsExactly(KernelChange.MADV_WILLNEED_SWAP,
        KernelChange.MLOCK_ONFAULT);
    assertThat(e.rows().get(0).outcomes().get(0).describe()).isEqualTo("error EBADF");
    String signal = "scenario given-back \"a malloc over a heap given back\"\np = app app\nx = p.malloc 16\nr = try p.sbrk -64K\n"
        + "y = p.malloc 100K\n";
    TimelineResult g = Timeline.run(cmp, List.of(new org.userptrlab.lab.scenarios.TextScenario("given-back.scenario",
        org.userptrlab.lab.lang.Parser.parse("given-back.scenario", signal))), List.of("copy"), List.of(KernelConfig.LINUX_6_12));
    assertThat(g.rows().get(0).outcomes().get(0).code()).as("the signal it died of").isEqualTo("error SIGSEGV");
  }
}
