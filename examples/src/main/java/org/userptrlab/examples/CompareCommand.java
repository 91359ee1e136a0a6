package org.userptrlab.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.lab.FailOn;
import org.userptrlab.lab.KernelNotes;
import org.userptrlab.lab.LabReport;
import org.userptrlab.lab.Sweep;
import org.userptrlab.lab.SweepRange;
import org.userptrlab.lab.SweepResult;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.lab.ThpContrast;
import org.userptrlab.lab.TimelineResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code compare}: the catalogue under every strategy and kernel, then the copy-against-steal sweep on each kernel. */
@Command(name = "compare", mixinStandardHelpOptions = true, versionProvider = Version.class, resourceBundle = "org.userptrlab.examples.compare",
    description = "Runs the scenario catalogue under every strategy and kernel; prints the verdicts, the costs and where stealing gets cheaper than copying.")
final class CompareCommand implements Callable<Integer> {
  @CommandLine.Mixin
  CommonOptions common = new CommonOptions();

  @CommandLine.Mixin
  FailOnOption failOn = new FailOnOption();

  @Spec
  CommandSpec spec;

  @Option(names = "--scenarios", split = CommonOptions.LIST, splitSynopsisLabel = ",", paramLabel = "NAME", description = "Scenarios to run (default: the whole catalogue; see list).")
  List<String> scenarios;

  @Option(names = "--no-sweep", description = "Skip the copy-against-steal sweep behind the crossover lines.")
  boolean noSweep;

  @Option(names = "--sweep-from", paramLabel = "SIZE", converter = Converters.SizeConverter.class, defaultValue = "4K",
      description = "Smallest upload of that sweep (default: ${DEFAULT-VALUE}).")
  long sweepFrom;

  @Option(names = "--sweep-to", paramLabel = "SIZE", converter = Converters.SizeConverter.class, defaultValue = "256M",
      description = "Largest upload of that sweep, at most 1G (default: ${DEFAULT-VALUE}).")
  long sweepTo;

  @Override
  public Integer call() {
    return common.guarded(spec, () -> {
      common.severalThpModes = true;
      LabOptions options = common.options(null);
      List<MachineConfig.Thp> modes = common.thpModes();
      Set<FailOn> criteria = failOn.criteria();
      List<Scenario> chosen = CommonOptions.scenarios(scenarios);
      SweepRange range;
      try {
        range = new SweepRange(sweepFrom, sweepTo);
      } catch (IllegalArgumentException e) {
        throw new BadValue(e.getMessage().replace("--from", "--sweep-from").replace("--to", "--sweep-to"));
      }
      List<String> notes = new ArrayList<>();
      boolean sweep = !noSweep && Strategies.exists("copy") && Strategies.exists("steal");
      if (noSweep) {
        notes.add("The copy-against-steal sweep was skipped (--no-sweep): no crossover lines" + (common.svg != null ? " and no sweep chart." : "."));
      } else if (!sweep) {
        notes.add("No crossover lines: the sweep needs the copy and steal strategies on the class path.");
      }
      common.checkOutputs();
      notes.addAll(ReportFormats.pastNewest(options.kernels(), spec.commandLine().getErr()));
      Comparison cmp = common.comparison(options);
      List<RunResult> runs = cmp.runAll(chosen);
      List<SweepResult> sweeps = List.of();
      if (sweep) {
        sweeps = Sweep.run(cmp, List.of("copy", "steal"), options.kernels(), range);
      }
      notes.addAll(KernelNotes.of(options.kernels(), runs));
      LabReport report = new LabReport(LabReport.Command.COMPARE, Version.get(), options.machine(), CommonOptions.infos(options),
          options.kernels(), options.profiles(), chosen, runs, sweeps, TimelineResult.NONE, notes).withFailOn(criteria);
      List<List<RunResult>> byMode = new ArrayList<>(List.of(runs));
      if (modes.size() > 1) {
        // The same comparison under each other mode: the report keeps the first's runs and contrasts the rest.
        for (MachineConfig.Thp mode : modes.subList(1, modes.size())) {
          LabOptions other = LabOptions.builder().machine(options.machine().toBuilder().thp(mode).build()).kernels(options.kernels())
              .strategies(options.strategies()).profiles(options.profiles()).limits(options.limits()).threads(options.threads())
              .modules(options.modules()).build();
          byMode.add(common.comparison(other).runAll(chosen));
        }
        report = report.withThp(ThpContrast.of(modes, byMode));
      }
      common.emit(report, spec.commandLine().getOut(), spec.commandLine().getErr());
      int code = FailOnOption.exitCode(report, spec.commandLine().getErr());
      // A run that fails under another mode fails the command as well.
      for (int i = 1; i < byMode.size() && code == 0; i++) {
        code = FailOnOption.exitCode(report, byMode.get(i), " with THP " + modes.get(i).sysfsName(), spec.commandLine().getErr());
      }
      return code;
    });
  }
}
