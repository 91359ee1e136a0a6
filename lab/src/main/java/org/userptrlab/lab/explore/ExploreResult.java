package org.userptrlab.lab.explore;

import java.util.List;

/**
 * What one explorer run (or one shard of it, or the merge of several) found.
 *
 * @param seed the seed every program's own seed was drawn from
 * @param budget how many programs the whole run was to generate, over all shards
 * @param shards the shards merged into this result (1 to N), in order
 * @param of how many shards the work was split into
 * @param programs the programs this result covers
 * @param errors the runs whose program failed on its own (a signal, an errno), left out of the findings
 */
public record ExploreResult(long seed, long budget, List<Integer> shards, int of, long programs, long errors,
    List<Finding> findings) {
  public ExploreResult {
    shards = List.copyOf(shards);
    findings = List.copyOf(findings);
  }

  /** How many programs the shards of this result were to run: fewer ran when a time limit stopped them. */
  public long planned() {
    long n = 0;
    for (int k : shards) {
      n += Math.max(0, (budget - k + of) / of);
    }
    return n;
  }
}
