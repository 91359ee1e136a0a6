package org.userptrlab.examples;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.lab.FailOn;
import org.userptrlab.lab.LabReport;
import picocli.CommandLine.Option;

/** {@code --fail-on}, for the commands whose runs a CI job checks ({@code run} and {@code compare}). */
final class FailOnOption {
  @Option(names = "--fail-on", paramLabel = "WHAT",
      description = "For CI: exit 1, after writing the whole report, when a run is BROKEN (broken), reports a hazard (hazard), ends "
          + "in a scenario ERROR (error), fails a check of its own (check: a 'check' line, as a selftest case fails) or had its "
          + "import REFUSED by the strategy's driver (refused); any of them, comma-separated (default: none: the exit code is 0 "
          + "whatever the verdicts). "
          + "With --format junit they are also the runs marked as failures; a scenario error is always a JUnit error.")
  String failOn;

  /** The criteria given; a {@link BadValue} saying what --fail-on takes. */
  Set<FailOn> criteria() {
    if (failOn == null) {
      return Set.of();
    }
    try {
      return FailOn.parse(failOn);
    } catch (IllegalArgumentException e) {
      throw new BadValue(e.getMessage());
    }
  }

  /** 0, or 1 with one line on {@code err} saying how many runs failed and the first of them. */
  static int exitCode(LabReport report, PrintWriter err) {
    return exitCode(report, report.runs(), "", err);
  }

  /** As {@link #exitCode(LabReport, PrintWriter)} for {@code runs} of the same comparison under other settings ({@code under}). */
  static int exitCode(LabReport report, List<RunResult> runs, String under, PrintWriter err) {
    List<RunResult> failed = runs.stream().filter(r -> !report.failures(r).isEmpty()).toList();
    if (failed.isEmpty()) {
      return 0;
    }
    RunResult first = failed.get(0);
    String criteria = String.join(",", report.failOn().stream().sorted().map(FailOn::id).toList());
    err.println(String.format(Locale.ROOT, "userptr-lab: %d of %d runs%s fail --fail-on %s; the first: %s under %s on %s: %s",
        failed.size(), runs.size(), under, criteria, first.scenario(), first.strategy(), first.kernel().name(),
        first.summary() + switch (first.hazards().size()) {
          case 0 -> "";
          case 1 -> " (1 hazard)";
          default -> " (" + first.hazards().size() + " hazards)";
        }));
    err.flush();
    return Cli.FAILURE;
  }
}
