package org.userptrlab.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.lab.KernelNotes;
import org.userptrlab.lab.LabReport;
import org.userptrlab.lab.Sweep;
import org.userptrlab.lab.SweepRange;
import org.userptrlab.lab.SweepResult;
import org.userptrlab.lab.TimelineResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sweep}: one upload of each size under each strategy, on each kernel, and the crossovers. */
@Command(name = "sweep", mixinStandardHelpOptions = true, versionProvider = Version.class, resourceBundle = "org.userptrlab.examples.sweep",
    description = "The cost of one upload under each strategy for sizes doubling from --from to --to, and the crossovers. "
        + "Each upload runs on a machine with at least four times its size and 64 MiB of RAM; --ram is the least.")
final class SweepCommand implements Callable<Integer> {
  @CommandLine.Mixin
  CommonOptions common = new CommonOptions();

  @Spec
  CommandSpec spec;

  @Option(names = "--from", paramLabel = "SIZE", converter = Converters.SizeConverter.class, defaultValue = "4K",
      description = "Smallest upload (default: ${DEFAULT-VALUE}).")
  long from;

  @Option(names = "--to", paramLabel = "SIZE", converter = Converters.SizeConverter.class, defaultValue = "256M",
      description = "Largest upload, at most 1G, the driver's limit (default: ${DEFAULT-VALUE}).")
  long to;

  @Override
  public Integer call() {
    return common.guarded(spec, () -> {
      LabOptions options = common.options(List.of("copy", "steal"));
      ReportFormats.noJunit(common.format, "sweep");
      SweepRange range;
      try {
        range = new SweepRange(from, to);
      } catch (IllegalArgumentException e) {
        throw new BadValue(e.getMessage());
      }
      if (options.strategies().size() < 2) {
        throw new BadValue("a sweep compares strategies with the first: give at least two to --strategies");
      }
      common.checkOutputs();
      List<String> notes = new ArrayList<>(ReportFormats.pastNewest(options.kernels(), spec.commandLine().getErr()));
      // The first given is the baseline, as --strategies says; LabOptions puts copy first, as compare's reports have it.
      List<String> order = common.strategies == null ? options.strategies() : common.givenStrategies();
      List<SweepResult> sweeps = Sweep.run(common.comparison(options), order, options.kernels(), range);
      notes.addAll(KernelNotes.of(options.kernels(), List.of()));
      notes.addAll(Sweep.notes(order));
      LabReport report = new LabReport(LabReport.Command.SWEEP, Version.get(), options.machine(), CommonOptions.infos(options),
          options.kernels(), options.profiles(), List.of(), List.of(), sweeps, TimelineResult.NONE, notes);
      common.emit(report, spec.commandLine().getOut(), spec.commandLine().getErr());
      return 0;
    });
  }
}
