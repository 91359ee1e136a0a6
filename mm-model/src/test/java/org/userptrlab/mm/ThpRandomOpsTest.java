package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The random system calls of {@link RandomOpsTest} with transparent huge pages always on and room
 * for them: partial unmaps, mprotects, mremaps, forks, pins, reclaim and migration of THPs, the
 * invariant checker (which knows folios) after every step, on every preset kernel.
 */
class ThpRandomOpsTest {
  static List<Arguments> runs() {
    return RandomOpsTest.runs(4);
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("runs")
  void invariantsHoldWithThpAlways(KernelConfig era, long seed) {
    Machine m = new Machine(MachineConfig.builder().ram(64L << 20).cma(8L << 20).swap(16L << 20).cpus(4)
        .kernel(era.with(KernelChange.CMA)).seed(seed).thp(MachineConfig.Thp.ALWAYS)
        .thpSize(64L << 10, MachineConfig.Thp.ALWAYS).thpSize(16L << 10, MachineConfig.Thp.ALWAYS).build());
    RandomOpsTest.RandomOps ops = new RandomOpsTest.RandomOps(m, new SplittableRandom(seed), 32);
    ops.huge = true;
    RandomOpsTest.runChecked(m, ops);
    assertThat(m.vmstat().get(VmEvent.THP_FAULT_ALLOC)).as("the run faulted THPs in").isPositive();
  }
}
