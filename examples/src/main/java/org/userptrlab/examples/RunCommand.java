package org.userptrlab.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.lab.FailOn;
import org.userptrlab.lab.KernelNotes;
import org.userptrlab.lab.LabReport;
import org.userptrlab.lab.TimelineResult;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.lang.Programs;
import org.userptrlab.lab.scenarios.TextScenario;
import org.userptrlab.mm.KernelConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code run}: the user's own programs, under every strategy, with the reports of {@code compare}. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class, resourceBundle = "org.userptrlab.examples.run",
    description = "Runs programs written in the lab's language (see 'show') under every strategy and kernel, with the reports of compare.")
final class RunCommand implements Callable<Integer> {
  @CommandLine.Mixin
  CommonOptions common = new CommonOptions();

  @CommandLine.Mixin
  FailOnOption failOn = new FailOnOption();

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "Program files.")
  List<Path> files = List.of();

  @CommandLine.Option(names = "--suite", paramLabel = "NAME", description = "Also the programs of a suite shipped with the lab: "
      + "kernel-selftests (the cases of the kernel's mm selftests cow.c and gup_longterm.c, each checking the kernel itself); "
      + "under the baseline strategy only, unless --strategies says otherwise, since they import nothing.")
  String suite;

  @Override
  public Integer call() {
    return common.guarded(spec, () -> {
      Set<FailOn> criteria = failOn.criteria();
      if (files.isEmpty() && suite == null) {
        throw new BadValue("run takes program files, a suite (--suite kernel-selftests), or both; see 'userptr-lab run --help'");
      }
      List<Scenario> programs = new ArrayList<>();
      List<Path> sources = new ArrayList<>();
      if (suite != null) {
        for (TextScenario s : CommonOptions.suite(suite).programs()) {
          programs.add(s);
          sources.add(Path.of(s.file()));
        }
      }
      Set<KernelConfig> named = new LinkedHashSet<>();
      for (Path f : files) {
        Program p = CommonOptions.program(f);
        if (p.kernel() != null) {
          named.add(p.kernel());
        }
        programs.add(new TextScenario(f.toString(), p));
        sources.add(f);
      }
      CommonOptions.distinctNames(programs.stream().map(s -> ((TextScenario) s).program()).toList(), sources);
      // run --svg draws each run's time as a Gantt chart too.
      common.gantt = true;
      LabOptions options = common.options(suite != null && files.isEmpty()
          ? List.of(org.userptrlab.lab.scenarios.Suite.STRATEGY) : null, named.isEmpty() ? null : List.copyOf(named));
      for (Scenario s : programs) {
        String why = Programs.cannotRun(((TextScenario) s).program(), options.machine());
        if (why != null) {
          throw new BadValue(why);
        }
      }
      common.checkOutputs();
      List<String> notes = new ArrayList<>(ReportFormats.pastNewest(options.kernels(), spec.commandLine().getErr()));
      common.progress().max((long) programs.size() * options.kernels().size() * options.strategies().size());
      List<RunResult> runs = common.comparison(options).runAll(programs);
      notes.addAll(KernelNotes.of(options.kernels(), runs));
      LabReport report = new LabReport(LabReport.Command.RUN, Version.get(), options.machine(), CommonOptions.infos(options),
          options.kernels(), options.profiles(), programs, runs, List.of(), TimelineResult.NONE, notes).withFailOn(criteria);
      common.emit(report, spec.commandLine().getOut(), spec.commandLine().getErr());
      return FailOnOption.exitCode(report, spec.commandLine().getErr());
    });
  }
}
