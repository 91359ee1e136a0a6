package org.userptrlab.spark;

import java.io.Serializable;

/**
 * A failure a test injects into a task as it starts, to see Spark run it again: called with the
 * stage's name ({@code round 64} or {@code shrink}), the task's partition and its attempt (0 the first).
 */
@FunctionalInterface
interface TaskFault extends Serializable {
  TaskFault NONE = (stage, partition, attempt) -> { };

  void before(String stage, int partition, int attempt);
}
