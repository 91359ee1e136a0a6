package org.userptrlab.core.harness;

import org.userptrlab.mm.MachineConfig;

/**
 * A program and what it checks, run the same way under each strategy on a fresh machine. It
 * knows nothing of the strategies: it imports through the driver, lets the GPU work, and states
 * what it expected to see as {@link org.userptrlab.core.spi.Promise} checks.
 */
public interface Scenario {
  String name();

  /** One sentence: what the program does and what the thread said about it. */
  String description();

  /**
   * What the program in this scenario needs to work, whatever a strategy promises: the texture
   * loop needs a snapshot, an OpenCL host-pointer buffer needs coherence. Empty when the scenario
   * probes a hazard rather than a use case.
   */
  default java.util.Set<org.userptrlab.core.spi.Promise> needs() {
    return java.util.Set.of();
  }

  /** The machine the scenario needs, from the harness's defaults. */
  default MachineConfig.Builder machine(MachineConfig.Builder defaults) {
    return defaults;
  }

  /**
   * Runs the scenario on the run's fresh machine. The machine is the run's alone: it is retired when
   * the run's result is made (see {@link org.userptrlab.mm.Machine#retire}), so a scenario keeps
   * what it wants to report, never the machine or its processes.
   */
  void run(ScenarioRun run);
}
