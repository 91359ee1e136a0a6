package org.userptrlab.lab.explore;

import java.util.List;
import java.util.function.LongConsumer;

/**
 * Where an explorer run's work is done: the programs of each {@link Round} and the shrinking of the
 * first program of each signature. The {@link Explorer} keeps the corpus and the findings and asks
 * its engine for the rest; its own engine runs everything here, one program after another, and
 * another (Spark's) spreads the same calls over machines. Whatever the engine, the result is the
 * same for a seed.
 */
public interface ExploreEngine {
  /**
   * The outcomes of {@code indices} (ascending, all in {@code round}), in that order, each as
   * {@link Explorer#explore(Round, long)} gives it; {@code progress} hears of programs done. An
   * engine may stop early once {@code deadline} has passed, giving the outcomes of a prefix.
   */
  List<Outcome> run(Round round, long[] indices, LongConsumer progress, Deadline deadline);

  /** Each candidate shrunk, as {@link Explorer#shrink(Candidate)} does it, in order. */
  List<Finding> shrink(List<Candidate> candidates);
}
