package org.userptrlab.examples;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.lab.Kernels;
import org.userptrlab.lab.lang.Op;
import org.userptrlab.lab.scenarios.Catalogue;
import org.userptrlab.mm.KernelChange;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.KernelRelease;
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
    out.println("Kernels (presets; any release from " + KernelRelease.OLDEST + " on, or host, with +change or -change):");
    out.printf(Locale.ROOT, "  %s%n", String.join(" ", KernelConfig.presets().stream().map(KernelConfig::name).toList()));
    out.println("Kernel changes:");
    for (KernelChange c : KernelChange.values()) {
      out.printf(Locale.ROOT, "  %-22s %-5s %s %s%n", c.id(), c.release(), c.commit(), c.subject());
    }
    out.println("Program operations (see 'show SCENARIO' for whole programs):");
    for (Op op : Op.values()) {
      String who = op.receiver() == Op.Receiver.GPU ? "gpu." : op.receiver() == Op.Receiver.PROCESS ? "P." : "";
      String args = String.join(" ", op.args().stream().map(k -> k.name().toLowerCase(Locale.ROOT)).toList());
      out.printf(Locale.ROOT, "  %-40s %s%n", (op.result().isPresent() ? "x = " : "") + who + op.word() + (args.isEmpty() ? "" : " " + args),
          op.doc());
    }
    out.flush();
    return 0;
  }
}
