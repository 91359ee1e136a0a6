package org.userptrlab.lab.explore;

import java.util.List;
import org.userptrlab.mm.Coverage;

/**
 * What one explorer run (or one shard of it, or the merge of several) found.
 *
 * @param seed the seed every program's own seed was drawn from
 * @param budget how many programs the whole run was to generate, over all shards
 * @param shards the shards merged into this result (1 to N), in order
 * @param of how many shards the work was split into
 * @param programs the programs this result covers
 * @param errors the runs whose program failed on its own (a signal, an errno), left out of the findings
 * @param coverage what the programs (and the corpus's seeds) reached in the model between them
 * @param catalogue the signatures the catalogue's scenarios show under the same strategies and kernels
 * @param kept how many explored programs the corpus kept for reaching something new
 * @param corpus the corpus to go on from, as its files hold it (the user's programs, then those kept), for a later run's
 *     {@code --corpus}
 */
public record ExploreResult(long seed, long budget, List<Integer> shards, int of, long programs, long errors,
    List<Finding> findings, Coverage coverage, List<Signature> catalogue, long kept, List<String> corpus, ExploreSetup setup) {
  public ExploreResult {
    shards = List.copyOf(shards);
    findings = List.copyOf(findings);
    catalogue = List.copyOf(catalogue);
    corpus = List.copyOf(corpus);
  }

  /** How many programs the shards of this result were to run: fewer ran when a time limit stopped them. */
  public long planned() {
    long n = 0;
    for (int k : shards) {
      n += Math.max(0, (budget - k + of) / of);
    }
    return n;
  }

  /** The catalogue's signatures no finding shows, in order. */
  public List<Signature> missed() {
    java.util.Set<Signature> found = new java.util.HashSet<>();
    findings.forEach(f -> found.add(f.signature()));
    return catalogue.stream().filter(s -> !found.contains(s)).sorted().toList();
  }
}
