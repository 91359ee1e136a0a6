package org.userptrlab.lab;

import java.util.List;
import java.util.Set;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;

/**
 * Everything one command found, for the writers: the machine every run started from, the
 * strategies, kernels, profiles and scenarios, the runs of the comparison (none for a sweep), the
 * sweeps (none with {@code --no-sweep}), the timeline ({@link TimelineResult#NONE} but for
 * {@code timeline}), notes on what was left out and why, what counts as a failed run ({@code --fail-on}; a
 * scenario error always does), and where other modes of transparent huge pages change the runs
 * ({@link ThpContrast#NONE} but for {@code compare --thp} with several modes).
 */
public record LabReport(Command command, String version, MachineConfig machine, List<Strategies.Info> strategies,
    List<KernelConfig> kernels, List<PlatformProfile> profiles, List<Scenario> scenarios, List<RunResult> runs,
    List<SweepResult> sweeps, TimelineResult timeline, List<String> notes, Set<FailOn> failOn, ThpContrast thp) {
  /** The command that made the report. */
  public enum Command {
    COMPARE,
    SWEEP,
    TIMELINE,
    RUN
  }

  public LabReport {
    strategies = List.copyOf(strategies);
    kernels = List.copyOf(kernels);
    profiles = List.copyOf(profiles);
    scenarios = List.copyOf(scenarios);
    runs = List.copyOf(runs);
    sweeps = List.copyOf(sweeps);
    notes = List.copyOf(notes);
    failOn = Set.copyOf(failOn);
  }

  /** A report where only a scenario error counts as a failure. */
  public LabReport(Command command, String version, MachineConfig machine, List<Strategies.Info> strategies,
      List<KernelConfig> kernels, List<PlatformProfile> profiles, List<Scenario> scenarios, List<RunResult> runs,
      List<SweepResult> sweeps, TimelineResult timeline, List<String> notes) {
    this(command, version, machine, strategies, kernels, profiles, scenarios, runs, sweeps, timeline, notes, Set.of(), ThpContrast.NONE);
  }

  /** This report with {@code criteria} as what fails a run. */
  public LabReport withFailOn(Set<FailOn> criteria) {
    return new LabReport(command, version, machine, strategies, kernels, profiles, scenarios, runs, sweeps, timeline, notes, criteria,
        thp);
  }

  /** This report with {@code contrast}: its runs under other modes of transparent huge pages, where they differ. */
  public LabReport withThp(ThpContrast contrast) {
    return new LabReport(command, version, machine, strategies, kernels, profiles, scenarios, runs, sweeps, timeline, notes, failOn,
        contrast);
  }

  /** The criteria of {@link #failOn} that {@code r} meets, in their order. */
  public List<FailOn> failures(RunResult r) {
    return List.of(FailOn.values()).stream().filter(f -> failOn.contains(f) && f.fails(r)).toList();
  }

  /** The runs that fail by {@link #failOn}, in the report's order. */
  public List<RunResult> failed() {
    return runs.stream().filter(r -> !failures(r).isEmpty()).toList();
  }

  /** The run of {@code scenario} under {@code strategy} on {@code kernel}, or null. */
  public RunResult find(String scenario, KernelConfig kernel, String strategy) {
    return find(runs, scenario, kernel, strategy);
  }

  /** The run of {@code scenario} under {@code strategy} on {@code kernel} among {@code runs} (another THP mode's), or null. */
  public static RunResult find(List<RunResult> runs, String scenario, KernelConfig kernel, String strategy) {
    for (RunResult r : runs) {
      if (r.scenario().equals(scenario) && r.kernel().equals(kernel) && r.strategy().equals(strategy)) {
        return r;
      }
    }
    return null;
  }
}
