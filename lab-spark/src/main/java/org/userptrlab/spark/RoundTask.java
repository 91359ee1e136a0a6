package org.userptrlab.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.userptrlab.lab.explore.Explorer;
import org.userptrlab.lab.explore.Round;

/** A partition of a round's programs, run on an executor by the explorer of the spec. */
final class RoundTask implements FlatMapFunction<Iterator<Long>, Shipped.OutcomeBack> {
  private static final long serialVersionUID = 1L;

  private final ExploreSpec spec;
  private final Broadcast<Shipped.RoundOut> round;
  private final TaskFault fault;

  RoundTask(ExploreSpec spec, Broadcast<Shipped.RoundOut> round, TaskFault fault) {
    this.spec = spec;
    this.round = round;
    this.fault = fault;
  }

  @Override
  public Iterator<Shipped.OutcomeBack> call(Iterator<Long> indices) {
    Shipped.RoundOut shipped = round.value();
    TaskContext task = TaskContext.get();
    fault.before("round " + shipped.start(), task.partitionId(), task.attemptNumber());
    Explorer explorer = Explorers.of(spec);
    Round r = shipped.round();
    List<Shipped.OutcomeBack> out = new ArrayList<>();
    while (indices.hasNext()) {
      out.add(Shipped.OutcomeBack.of(explorer.explore(r, indices.next())));
    }
    return out.iterator();
  }
}
