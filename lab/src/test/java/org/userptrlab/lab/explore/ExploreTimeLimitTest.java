package org.userptrlab.lab.explore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.mm.KernelConfig;

/**
 * The explorer's time limit counts from the first program, never from start-up or set-up, and the
 * summary says how many programs ran of how many. The clock is the test's: each program "takes" one
 * second of it, so nothing here depends on the machine's speed.
 */
class ExploreTimeLimitTest {
  static final List<KernelConfig> KERNELS = List.of(KernelConfig.LINUX_6_12);

  static Explorer explorer() {
    return new Explorer(new Comparison(LabOptions.builder().kernels(KERNELS).profiles(List.of(Profiles.all().get(0))).build()),
        List.of("copy", "mlock"), KERNELS);
  }

  @Test
  void setUpBeforeTheFirstProgramDoesNotCountAgainstTheLimit() {
    AtomicLong clock = new AtomicLong();
    Deadline limit = Deadline.after(Duration.ofSeconds(3), clock::get);
    // Ten seconds of start-up and set-up pass before the explorer starts: the limit has not begun.
    clock.addAndGet(Duration.ofSeconds(10).toNanos());
    ExploreResult r = explorer().run(1, 400, 1, 1, n -> clock.addAndGet(Duration.ofSeconds(n).toNanos()), limit);
    assertThat(r.programs()).isEqualTo(3);
    assertThat(r.planned()).isEqualTo(400);
    assertThat(ExploreReport.summary(r)).startsWith("explored 3 of 400 programs (seed 1, stopped by the time limit)");
  }

  @Test
  void aLimitShorterThanOneProgramStillRunsOne() {
    AtomicLong clock = new AtomicLong();
    ExploreResult r = explorer().run(1, 400, 2, 4, n -> clock.addAndGet(Duration.ofSeconds(5).toNanos()),
        Deadline.after(Duration.ofSeconds(1), clock::get));
    assertThat(r.programs()).isEqualTo(1);
    assertThat(r.planned()).isEqualTo(100);
    assertThat(ExploreReport.summary(r)).startsWith("explored 1 of 100 programs (seed 1, shards [2] of 4, stopped by the time limit)");
  }

  @Test
  void aLimitNeverReachedRunsTheWholeBudgetAndSaysNothingOfIt() {
    AtomicLong clock = new AtomicLong();
    ExploreResult r = explorer().run(1, 5, 1, 1, n -> clock.addAndGet(1), Deadline.after(Duration.ofSeconds(1), clock::get));
    assertThat(r.programs()).isEqualTo(5);
    assertThat(ExploreReport.summary(r)).startsWith("explored 5 programs (seed 1), ").contains("ended on the program's own errno or signal");
  }

  @Test
  void aLimitMustBePositive() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Deadline.after(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
  }
}
