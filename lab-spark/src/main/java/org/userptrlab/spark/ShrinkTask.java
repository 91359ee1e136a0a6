package org.userptrlab.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.userptrlab.lab.explore.Candidate;
import org.userptrlab.lab.explore.Finding;

/** The first program of a signature shrunk on an executor, as the explorer of the spec shrinks it. */
final class ShrinkTask implements Function<Candidate, Finding> {
  private static final long serialVersionUID = 1L;

  private final ExploreSpec spec;
  private final TaskFault fault;

  ShrinkTask(ExploreSpec spec, TaskFault fault) {
    this.spec = spec;
    this.fault = fault;
  }

  @Override
  public Finding call(Candidate c) {
    TaskContext task = TaskContext.get();
    fault.before("shrink", task.partitionId(), task.attemptNumber());
    return Explorers.of(spec).shrink(c);
  }
}
