package org.userptrlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Parameter;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.executor.Timing;

/**
 * The calibration's arithmetic on recorded rounds: a figure below zero or too widely spread is
 * retimed from the next round, and named when no round gives a usable one, so that no profile
 * holds a negative figure.
 */
class CalibrationSettleTest {
  /** A quiet round: every primitive positive and tight; {@code shootdown} as given. */
  static List<Timing> round(Timing shootdown) {
    List<Timing> t = new ArrayList<>();
    for (String name : CalibrationTest.PRIMITIVES) {
      t.add(switch (name) {
        case "read_fault" -> new Timing(name, 1000, 950, 1100, 15);
        case "write_fault" -> new Timing(name, 3000, 2900, 3100, 15);
        case "populate" -> new Timing(name, 1100, 1050, 1150, 15);
        case "memset_cache" -> new Timing(name, 40.96, 40, 42, 15);
        case "shootdown" -> shootdown;
        default -> new Timing(name, 100, 95, 110, 15);
      });
    }
    return t;
  }

  /** The figures a loaded machine gave: a TLB shootdown below zero. */
  static final Timing LOADED_SHOOTDOWN = new Timing("shootdown", -2904, -6382, 1200, 15);

  static final Timing QUIET_SHOOTDOWN = new Timing("shootdown", 2500, 2300, 2800, 15);

  @Test
  void aFigureBelowZeroIsNamedAndNoProfileIsMadeOfIt() {
    Calibration.Settled s = Calibration.settle(List.of(round(LOADED_SHOOTDOWN), round(LOADED_SHOOTDOWN)));
    assertThat(s.ok()).isFalse();
    assertThat(s.rounds()).isEqualTo(2);
    assertThat(s.unreliable()).singleElement().satisfies(u -> {
      assertThat(u.primitive()).isEqualTo("shootdown");
      assertThat(u.why()).contains("median -2904.0 ns, p10 -6382.0 ns", "at or below zero");
    });
  }

  /** An optional figure no round timed well is left to the guest's, and its source says why; a required one is not. */
  @Test
  void theGuestsFigureStandsInForAnOptionalOneNoRoundTimedWell() {
    Calibration.Settled s = Calibration.settle(List.of(round(LOADED_SHOOTDOWN), round(LOADED_SHOOTDOWN)));
    assertThat(s.onlyOptionalUnreliable()).isTrue();
    PlatformProfile p = Calibration.profile(s.chosen(), "6.18.44", "Test CPU", CalibrationTest.CACHES, LocalDate.of(2026, 11, 28), s.noisy());
    assertThat(p.get(Parameter.TLB_SHOOTDOWN)).isEqualTo(org.userptrlab.core.cost.Profiles.EPYC_GUEST.get(Parameter.TLB_SHOOTDOWN));
    assertThat(p.figures().get(Parameter.TLB_SHOOTDOWN).source()).startsWith("timed, but no round timed shootdown well enough here "
        + "(median -2904.0 ns, p10 -6382.0 ns");
    List<Timing> noisyFork = new ArrayList<>(round(QUIET_SHOOTDOWN));
    noisyFork.replaceAll(x -> x.name().equals("fork_per_page") ? new Timing("fork_per_page", 40, -10, 300, 15) : x);
    assertThat(Calibration.settle(List.of(noisyFork)).onlyOptionalUnreliable()).as("fork_per_page is no optional figure").isFalse();
  }

  @Test
  void aRoundThatTimesItWellIsTakenInstead() {
    Calibration.Settled s = Calibration.settle(List.of(round(LOADED_SHOOTDOWN), round(QUIET_SHOOTDOWN)));
    assertThat(s.ok()).isTrue();
    int i = s.chosen().stream().map(Timing::name).toList().indexOf("shootdown");
    assertThat(s.chosen().get(i)).isEqualTo(QUIET_SHOOTDOWN);
    assertThat(s.round().get(i)).isEqualTo(2);
    assertThat(s.round().get(0)).as("read_fault was good the first time").isEqualTo(1);
    PlatformProfile p = Calibration.profile(s.chosen(), "6.18.44", "Test CPU", CalibrationTest.CACHES, LocalDate.of(2026, 11, 28));
    assertThat(p.get(Parameter.TLB_SHOOTDOWN)).isEqualTo(2500);
    assertThat(p.figures().values()).allSatisfy(f -> assertThat(f.value()).isNotNegative());
  }

  /**
   * Of the rounds that timed a primitive well, the one of median median: a round in a slow minute of the machine's
   * (every figure a fifth dearer, each stable in itself) is outvoted by two quiet ones, first or last.
   */
  @Test
  void aRoundInASlowMinuteIsOutvotedByTheOthers() {
    List<Timing> slow = round(QUIET_SHOOTDOWN);
    slow.replaceAll(t -> new Timing(t.name(), t.median() * 1.2, t.p10() * 1.2, t.p90() * 1.2, t.samples()));
    List<Timing> quiet = round(QUIET_SHOOTDOWN);
    List<Timing> quieter = round(QUIET_SHOOTDOWN);
    quieter.replaceAll(t -> new Timing(t.name(), t.median() * 0.95, t.p10() * 0.95, t.p90() * 0.95, t.samples()));
    int fault = CalibrationTest.PRIMITIVES.indexOf("write_fault");
    for (List<List<Timing>> rounds : List.of(List.of(slow, quiet, quieter), List.of(quiet, quieter, slow))) {
      Calibration.Settled s = Calibration.settle(rounds);
      assertThat(s.ok()).isTrue();
      assertThat(s.chosen().get(fault).median()).as("the middle of 3000, 2850 and 3600").isEqualTo(3000);
      assertThat(s.round().get(fault)).isEqualTo(rounds.indexOf(quiet) + 1);
    }
    Calibration.Settled two = Calibration.settle(List.of(slow, quiet));
    assertThat(two.chosen().get(fault).median()).as("of two, the faster").isEqualTo(3000);
    assertThat(Calibration.settle(List.of(quiet, round(QUIET_SHOOTDOWN))).round().get(fault)).as("of equal ones, the first")
        .isEqualTo(1);
  }

  @Test
  void aFigureSpreadOverMoreThanThreeMediansIsNotStable() {
    List<Timing> r = round(QUIET_SHOOTDOWN);
    r.set(CalibrationTest.PRIMITIVES.indexOf("fork_per_page"), new Timing("fork_per_page", 200, 150, 1300, 15));
    Calibration.Settled s = Calibration.settle(List.of(r));
    assertThat(s.unreliable()).extracting(Calibration.Unreliable::primitive).containsExactly("fork_per_page");
    assertThat(s.unreliable().get(0).why()).contains("a spread of more than 3 medians is not stable");
    r.set(CalibrationTest.PRIMITIVES.indexOf("fork_per_page"), new Timing("fork_per_page", 200, 150, 700, 15));
    assertThat(Calibration.settle(List.of(r)).ok()).as("2.75 medians: noisy, as a difference is, but usable").isTrue();
  }

  /** A round whose samples mostly ran in a slow spell (close together, far above the fastest) is timed again. */
  @Test
  void aFigureMostlyTimedInASlowSpellIsTakenFromAnotherRound() {
    List<Timing> slow = round(QUIET_SHOOTDOWN);
    slow.set(CalibrationTest.PRIMITIVES.indexOf("gpu_stand_in_4k"), new Timing("gpu_stand_in_4k", 19_780, 8_205, 21_791, 15));
    slow.set(CalibrationTest.PRIMITIVES.indexOf("stream_check"), new Timing("stream_check", 1.2, 1.1, 3.0, 15));
    Calibration.Settled s = Calibration.settle(List.of(slow));
    assertThat(s.unreliable()).extracting(Calibration.Unreliable::primitive).containsExactly("stream_check", "gpu_stand_in_4k");
    assertThat(s.unreliable().get(1).why()).contains("a slow spell of the machine's");
    List<Timing> quiet = round(QUIET_SHOOTDOWN);
    quiet.set(CalibrationTest.PRIMITIVES.indexOf("gpu_stand_in_4k"), new Timing("gpu_stand_in_4k", 6_400, 5_988, 8_023, 15));
    Calibration.Settled again = Calibration.settle(List.of(slow, quiet));
    assertThat(again.ok()).isTrue();
    int i = again.chosen().stream().map(Timing::name).toList().indexOf("gpu_stand_in_4k");
    assertThat(again.chosen().get(i).median()).isEqualTo(6_400);
    assertThat(again.round().get(i)).isEqualTo(2);
    List<Timing> spread = round(QUIET_SHOOTDOWN);
    spread.set(CalibrationTest.PRIMITIVES.indexOf("fork_per_page"), new Timing("fork_per_page", 64.3, 13.1, 116, 15));
    assertThat(Calibration.settle(List.of(spread)).ok()).as("a difference's samples spread out: usable").isTrue();
  }

  /** Populating a page dearer than faulting it in (noise) leaves a fault of no cost, never a negative one. */
  @Test
  void aPopulateDearerThanTheWriteFaultPricesTheFaultAtZero() {
    List<Timing> r = round(QUIET_SHOOTDOWN);
    r.set(CalibrationTest.PRIMITIVES.indexOf("populate"), new Timing("populate", 3100, 3050, 3150, 15));
    Calibration.Settled s = Calibration.settle(List.of(r));
    assertThat(s.ok()).isTrue();
    PlatformProfile p = Calibration.profile(s.chosen(), "6.18.44", "Test CPU", CalibrationTest.CACHES, LocalDate.of(2026, 11, 28));
    assertThat(p.get(Parameter.FAULT)).isZero();
    assertThat(p.get(Parameter.PAGE_ALLOC)).isEqualTo(3000);
    assertThat(p.figures().values()).allSatisfy(f -> assertThat(f.value()).isNotNegative());
  }

  @Test
  void aMachineThatDoesNotSayItsCacheSizeGetsTheGuestsAndItsProfileSaysSo() {
    Calibration.Settled s = Calibration.settle(List.of(round(QUIET_SHOOTDOWN)));
    PlatformProfile p = Calibration.profile(s.chosen(), "6.18.44", "Test CPU", new Calibration.Caches(-1, -1), LocalDate.of(2026, 11, 28));
    assertThat(p.get(Parameter.LLC_BYTES)).isEqualTo(org.userptrlab.core.cost.Profiles.EPYC_GUEST.get(Parameter.LLC_BYTES));
    assertThat(p.figures().get(Parameter.LLC_BYTES).source()).startsWith("not in /sys/devices/system/cpu/cpu0/cache here");
    assertThat(p.get(Parameter.CPU_CACHE_BYTES)).isEqualTo(org.userptrlab.core.cost.Profiles.EPYC_GUEST.get(Parameter.CPU_CACHE_BYTES));
    assertThat(p.figures().get(Parameter.CPU_CACHE_BYTES).source()).startsWith("not in /sys/devices/system/cpu/cpu0/cache here");
  }

  @Test
  void oneCpuHasNoShootdownAndNeedsNone() {
    List<Timing> r = round(QUIET_SHOOTDOWN);
    r.remove(CalibrationTest.PRIMITIVES.indexOf("shootdown"));
    assertThat(Calibration.settle(List.of(r)).ok()).isTrue();
  }

  @Test
  void aPrimitiveNoRoundTimedIsNamed() {
    List<Timing> r = round(QUIET_SHOOTDOWN);
    r.remove(CalibrationTest.PRIMITIVES.indexOf("vmsplice"));
    assertThat(Calibration.settle(List.of(r)).unreliable()).extracting(Calibration.Unreliable::toString)
        .containsExactly("vmsplice: not timed at all");
  }
}
