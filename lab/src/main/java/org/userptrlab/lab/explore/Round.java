package org.userptrlab.lab.explore;

import java.util.List;
import java.util.Set;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.mm.Coverage;

/**
 * A round of an explorer run: programs whose indices fall in {@code [start, end)} (those of the
 * run's shard), each made from the corpus as it stood when the round began. The corpus takes in the
 * round's programs, in index order, only when the round ends, so the programs of a round depend on
 * nothing but the seed, their index and the rounds before: they can run anywhere, in any order, and
 * the result is the one a single machine gives.
 *
 * @param corpus the corpus's programs as the round began, in the order they were kept
 * @param reached what the corpus had reached as the round began
 * @param outcomes the failures the corpus had seen as the round began
 */
public record Round(long seed, long start, long end, List<Program> corpus, Coverage reached, Set<Signature> outcomes) {
  /** The first round's length: short, so that the corpus takes in what the first programs reach soon. */
  static final long FIRST = 64;
  /** The longest round: the rounds double in length up to it, so that a run spread over machines has work enough in each. */
  static final long LONGEST = 4096;

  public Round {
    corpus = List.copyOf(corpus);
    outcomes = Set.copyOf(outcomes);
  }

  /** Where the round starting at {@code start} ends: 64 programs, then as many as came before it, up to 4,096. */
  static long end(long start, long budget) {
    return Math.min(budget, start + Math.max(FIRST, Math.min(LONGEST, start)));
  }

  /** The indices of this round that fall to shard {@code shard} of {@code of} (1-based), in order. */
  public long[] indices(int shard, int of) {
    long first = start + Math.floorMod(shard - 1 - start, (long) of);
    int n = first >= end ? 0 : (int) ((end - 1 - first) / of + 1);
    long[] out = new long[n];
    for (int k = 0; k < n; k++) {
      out[k] = first + (long) k * of;
    }
    return out;
  }
}
