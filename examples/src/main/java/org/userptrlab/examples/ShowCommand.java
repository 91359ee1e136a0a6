package org.userptrlab.examples;

import java.util.concurrent.Callable;
import org.userptrlab.lab.scenarios.Catalogue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code show}: a catalogue scenario's program, as {@code run} takes it. */
@Command(name = "show", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Prints a catalogue scenario as a program in the lab's language; save it, change it, and run it with 'run'.")
final class ShowCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "SCENARIO", description = "A scenario of the catalogue (see list).")
  String scenario;

  @Override
  public Integer call() {
    try {
      String text = Catalogue.text(scenario);
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
      return 0;
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("userptr-lab: " + e.getMessage());
      return Cli.USAGE;
    }
  }
}
