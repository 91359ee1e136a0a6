package org.userptrlab.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.userptrlab.lab.lang.EditDistance;
import org.userptrlab.lab.scenarios.Catalogue;
import org.userptrlab.lab.scenarios.Suite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code show}: a catalogue scenario's program, or a suite's case, as {@code run} takes it. */
@Command(name = "show", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Prints a catalogue scenario, or a case of a suite by its name (cow-basic-cow-after-fork-base of "
        + "kernel-selftests), as a program in the lab's language; save it, change it, and run it with 'run'. A suite's "
        + "name (kernel-selftests) lists its cases, a line each: the name, then what the case checks.")
final class ShowCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "SCENARIO", description = "A scenario of the catalogue (see list), a suite's case by its program's name, "
      + "or a suite's name.")
  String scenario;

  @Override
  public Integer call() {
    // FORK-THEN-PARENT-WRITES is fork-then-parent-writes: every name of the catalogue and the suites is lower case.
    String name = scenario.toLowerCase(java.util.Locale.ROOT);
    java.util.Optional<Suite> suite = Suite.find(name);
    if (suite.isPresent()) {
      // The cases' names, each with its scenario line's description (what the selftest prints for the case).
      for (org.userptrlab.lab.scenarios.TextScenario p : suite.get().programs()) {
        spec.commandLine().getOut().println(p.program().name() + "  " + p.program().description());
      }
      spec.commandLine().getOut().flush();
      return 0;
    }
    if (!known(name)) {
      spec.commandLine().getErr().println("userptr-lab: " + unknown(scenario));
      return Cli.USAGE;
    }
    spec.commandLine().getOut().print(java.util.Arrays.stream(Suite.values()).flatMap(s -> s.text(name).stream()).findFirst()
        .orElseGet(() -> Catalogue.text(name)));
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** Whether the catalogue or a suite has a scenario of that name. */
  private static boolean known(String name) {
    return Catalogue.all().stream().anyMatch(s -> s.name().equals(name))
        || java.util.Arrays.stream(Suite.values()).anyMatch(s -> s.names().contains(name));
  }

  /** What to say of a name neither the catalogue nor a suite has: the nearest names of either, by edit distance. */
  static String unknown(String name) {
    List<String> names = new ArrayList<>(Catalogue.all().stream().map(org.userptrlab.core.harness.Scenario::name).toList());
    for (Suite s : Suite.values()) {
      names.addAll(s.names());
    }
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    List<String> near = names.stream().filter(n -> EditDistance.between(lower, n) <= Math.max(2, name.length() / 4))
        .sorted(java.util.Comparator.comparingInt((String n) -> EditDistance.between(lower, n)).thenComparing(n -> n)).limit(3).toList();
    return "no scenario '" + name + "' in the catalogue, nor a case of " + String.join(" or ", java.util.Arrays.stream(Suite.values())
        .map(Suite::id).toList()) + (near.isEmpty() ? "" : "; did you mean " + String.join(", ", near) + "?")
        + " ('list' names the catalogue's scenarios; 'show kernel-selftests' the suite's cases)";
  }
}
