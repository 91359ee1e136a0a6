package org.userptrlab.mm;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RandomOpsTest}'s seeded sequences with mremap, mmap_at, truncate, O_DIRECT reads and the
 * new madvise words among the operations: the invariant checker (rmap, rss counters, locked_vm,
 * swap counts) after every step and after everything is released and every process has exited.
 */
class RandomMappingOpsTest {
  static List<Arguments> runs() {
    return RandomOpsTest.runs(4);
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("runs")
  void invariantsHoldAfterEveryStep(KernelConfig era, long seed) {
    Machine m = RandomOpsTest.machine(era, seed);
    RandomOpsTest.runChecked(m, new RandomOpsTest.RandomOps(m, new SplittableRandom(seed), 32));
  }
}
