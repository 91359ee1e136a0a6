package org.userptrlab.examples;

import java.util.concurrent.Callable;
import org.userptrlab.lab.scenarios.Catalogue;
import org.userptrlab.lab.scenarios.Suite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code show}: a catalogue scenario's program, or a suite's case, as {@code run} takes it. */
@Command(name = "show", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Prints a catalogue scenario, or a case of a suite by its name (cow-basic-cow-after-fork-base of "
        + "kernel-selftests), as a program in the lab's language; save it, change it, and run it with 'run'.")
final class ShowCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "SCENARIO", description = "A scenario of the catalogue (see list), or a suite's case by its program's name.")
  String scenario;

  @Override
  public Integer call() {
    try {
      String text = java.util.Arrays.stream(Suite.values()).flatMap(s -> s.text(scenario).stream()).findFirst()
          .orElseGet(() -> Catalogue.text(scenario));
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
      return 0;
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("userptr-lab: " + e.getMessage());
      return Cli.USAGE;
    }
  }
}
