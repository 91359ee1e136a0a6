package org.userptrlab.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.userptrlab.lab.explore.Candidate;
import org.userptrlab.lab.explore.Deadline;
import org.userptrlab.lab.explore.ExploreEngine;
import org.userptrlab.lab.explore.Finding;
import org.userptrlab.lab.explore.Outcome;
import org.userptrlab.lab.explore.Round;

/**
 * The explorer's engine on Spark: a round's programs split into partitions (a Spark job each
 * round), its corpus broadcast, the outcomes collected in index order; the candidates shrunk in a
 * last job, one task each. A round runs whole (a time limit is looked at between rounds).
 */
final class SparkEngine implements ExploreEngine {
  private final JavaSparkContext sc;
  private final ExploreSpec spec;
  private final int partitions;
  private final TaskFault fault;

  SparkEngine(JavaSparkContext sc, ExploreSpec spec, int partitions, TaskFault fault) {
    this.sc = sc;
    this.spec = spec;
    this.partitions = partitions;
    this.fault = fault;
  }

  @Override
  public List<Outcome> run(Round round, long[] indices, LongConsumer progress, Deadline deadline) {
    List<Long> boxed = new ArrayList<>(indices.length);
    for (long i : indices) {
      boxed.add(i);
    }
    Broadcast<Shipped.RoundOut> shipped = sc.broadcast(Shipped.RoundOut.of(round));
    try {
      sc.setJobDescription("explore: programs " + round.start() + " to " + (round.end() - 1));
      List<Shipped.OutcomeBack> back = sc.parallelize(boxed, Math.min(partitions, boxed.size()))
          .mapPartitions(new RoundTask(spec, shipped, fault)).collect();
      List<Outcome> out = new ArrayList<>(back.size());
      for (Shipped.OutcomeBack o : back) {
        out.add(o.outcome());
      }
      // collect() keeps the partitions' order, and each partition its indices' order: the outcomes are in index order.
      progress.accept(out.size());
      return out;
    } finally {
      shipped.destroy();
    }
  }

  @Override
  public List<Finding> shrink(List<Candidate> candidates) {
    if (candidates.isEmpty()) {
      return List.of();
    }
    sc.setJobDescription("explore: shrinking " + candidates.size() + " failures");
    return sc.parallelize(candidates, candidates.size()).map(new ShrinkTask(spec, fault)).collect();
  }
}
