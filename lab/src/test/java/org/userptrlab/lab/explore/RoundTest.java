package org.userptrlab.lab.explore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.userptrlab.mm.Coverage;

/** How a run is cut into rounds, and which of a round's programs fall to a shard. */
class RoundTest {
  private static List<Long> starts(long budget) {
    List<Long> out = new ArrayList<>();
    for (long s = 0; s < budget; s = Round.end(s, budget)) {
      out.add(s);
    }
    return out;
  }

  @Test
  void roundsStartAt64ProgramsAndDoubleUpTo4096() {
    assertThat(starts(20_000)).containsExactly(0L, 64L, 128L, 256L, 512L, 1024L, 2048L, 4096L, 8192L, 12288L, 16384L);
    assertThat(Round.end(16384, 20_000)).as("the last round ends with the budget").isEqualTo(20_000);
    assertThat(starts(1)).containsExactly(0L);
    assertThat(Round.end(0, 1)).isEqualTo(1);
  }

  @Test
  void eachIndexOfARoundFallsToExactlyOneShard() {
    Round r = new Round(1, 128, 256, List.of(), Coverage.NONE, Set.of());
    for (int of : new int[] {1, 2, 3, 8, 300}) {
      List<Long> all = new ArrayList<>();
      for (int k = 1; k <= of; k++) {
        for (long i : r.indices(k, of)) {
          assertThat(i % of).as("program %d of shard %d/%d", i, k, of).isEqualTo(k - 1);
          all.add(i);
        }
      }
      assertThat(all).as("%d shards", of).hasSize(128).doesNotHaveDuplicates().allMatch(i -> i >= 128 && i < 256);
    }
  }
}
