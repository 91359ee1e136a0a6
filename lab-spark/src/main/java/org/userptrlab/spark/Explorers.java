package org.userptrlab.spark;

import java.util.concurrent.ConcurrentHashMap;
import org.userptrlab.lab.explore.Explorer;

/**
 * The explorer of each spec in this JVM: an executor builds it once and its tasks share it (an
 * explorer's programs and shrinking keep no state between calls). Each runs its machines on its
 * task's thread alone, since Spark runs as many tasks as the executor has cores.
 */
final class Explorers {
  private static final ConcurrentHashMap<ExploreSpec, Explorer> BUILT = new ConcurrentHashMap<>();

  private Explorers() {}

  static Explorer of(ExploreSpec spec) {
    return BUILT.computeIfAbsent(spec, s -> s.explorer(1));
  }
}
