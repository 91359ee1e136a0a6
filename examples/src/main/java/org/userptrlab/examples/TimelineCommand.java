package org.userptrlab.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.lab.LabReport;
import org.userptrlab.lab.Timeline;
import org.userptrlab.lab.TimelineResult;
import org.userptrlab.mm.KernelConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code timeline}: the catalogue on every preset kernel, and the change behind every flip of an outcome. */
@Command(name = "timeline", mixinStandardHelpOptions = true, versionProvider = Version.class, resourceBundle = "org.userptrlab.examples.timeline",
    description = "Runs the scenarios under every strategy on each kernel (default: the presets, 3.4 to 6.15) and, "
        + "wherever an outcome differs from the kernel before, names the kernel change that flips it.")
final class TimelineCommand implements Callable<Integer> {
  @CommandLine.Mixin
  CommonOptions common = new CommonOptions();

  @Spec
  CommandSpec spec;

  @Option(names = "--scenarios", split = CommonOptions.LIST, splitSynopsisLabel = ",", paramLabel = "NAME", description = "Scenarios to run (default: the whole catalogue; see list).")
  List<String> scenarios;

  @CommandLine.Parameters(paramLabel = "FILE", arity = "0..*", description = "Program files, run in place of the catalogue "
      + "(beside the scenarios --scenarios names, if it is given). A program's own 'kernel' line does not narrow the kernels here.")
  List<java.nio.file.Path> files = List.of();

  @Override
  public Integer call() {
    return common.guarded(spec, () -> {
      LabOptions options = common.options(null, KernelConfig.presets());
      ReportFormats.noJunit(common.format, "timeline");
      List<Scenario> chosen = new ArrayList<>(files.isEmpty() || scenarios != null ? CommonOptions.scenarios(scenarios) : List.of());
      java.util.Set<String> named = new java.util.HashSet<>(chosen.stream().map(Scenario::name).toList());
      for (org.userptrlab.lab.scenarios.TextScenario program : CommonOptions.programs(files, options.machine())) {
        if (named.contains(program.name())) {
          throw new BadValue(program.file() + ": scenario " + program.name() + " has the name of a scenario --scenarios names; "
              + "give it its own 'scenario' name");
        }
        chosen.add(program);
      }
      common.checkOutputs();
      List<String> notes = new ArrayList<>(ReportFormats.pastNewest(options.kernels(), spec.commandLine().getErr()));
      TimelineResult timeline = Timeline.run(common.comparison(options), chosen, options.strategies(), options.kernels());
      notes.addAll(timeline.notes());
      LabReport report = new LabReport(LabReport.Command.TIMELINE, Version.get(), options.machine(), CommonOptions.infos(options),
          timeline.kernels(), options.profiles(), chosen, List.of(), List.of(), timeline, notes);
      common.emit(report, spec.commandLine().getOut(), spec.commandLine().getErr());
      return 0;
    });
  }
}
