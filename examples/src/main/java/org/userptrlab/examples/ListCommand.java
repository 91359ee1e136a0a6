package org.userptrlab.examples;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.examples.lab.Kernels;
import org.userptrlab.examples.scenarios.Catalogue;
import org.userptrlab.mm.KernelEra;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code list}: what a comparison can be made of. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Lists the strategies on the class path, the scenarios, the platform profiles and the kernels.")
final class ListCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.println("Strategies:");
    for (Strategies.Info s : Strategies.all()) {
      out.printf(Locale.ROOT, "  %-16s %-9s %s%n", s.name(), s.contract(), s.provider());
    }
    out.println("Scenarios:");
    for (Scenario s : Catalogue.all()) {
      out.printf(Locale.ROOT, "  %-26s %s%n", s.name(), s.description());
    }
    out.println("Profiles:");
    for (PlatformProfile p : Profiles.all()) {
      out.printf(Locale.ROOT, "  %-16s %s%n", p.name(), p.description());
    }
    out.println("Kernels:");
    for (KernelEra k : KernelEra.values()) {
      out.printf(Locale.ROOT, "  %s%n", k.release());
    }
    out.flush();
    return 0;
  }
}
