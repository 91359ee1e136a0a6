package org.userptrlab.examples;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.lab.lang.Op;
import org.userptrlab.lab.lang.Syntax;
import org.userptrlab.lab.report.ListingJson;
import org.userptrlab.lab.scenarios.Catalogue;
import org.userptrlab.mm.KernelChange;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.KernelRelease;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code list}: what a comparison can be made of, and the language programs are written in. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Lists the strategies on the class path, the scenarios, the platform profiles, the kernels and their changes, "
        + "and the scenario language: its statements, the arguments and operations, the promises and the hazard kinds.")
final class ListCommand implements Callable<Integer> {
  /** How the list is written. */
  enum Format {
    TEXT,
    /** text by the name the other commands give their default. */
    TABLE,
    JSON
  }

  @Spec
  CommandSpec spec;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "text (the default; table too, as the other commands call theirs) or json: one document, whose JSON Schema ships in the jar "
          + "(org/userptrlab/lab/report/userptr-lab-list.schema.json).")
  Format format;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (format == Format.JSON) {
      out.print(ListingJson.write(Version.get()));
      out.flush();
      return 0;
    }
    out.println("Strategies:");
    for (Strategies.Info s : Strategies.all()) {
      out.printf(Locale.ROOT, "  %-16s %-9s %s%n", s.name(), s.contract(), s.provider());
    }
    out.println("Scenarios:");
    for (Scenario s : Catalogue.all()) {
      out.printf(Locale.ROOT, "  %-26s %s%n", s.name(), s.description());
    }
    out.println("Suites (run --suite NAME, diff --suite NAME; 'show NAME' lists the cases):");
    for (org.userptrlab.lab.scenarios.Suite s : org.userptrlab.lab.scenarios.Suite.values()) {
      out.printf(Locale.ROOT, "  %-26s %d cases%n", s.id(), s.names().size());
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
    out.println("Program statements (see 'show SCENARIO' for whole programs, 'check FILE' to check one):");
    for (Syntax.Form f : Syntax.statements()) {
      out.printf(Locale.ROOT, "  %-40s %s%n", f.syntax(), f.doc());
    }
    out.println("Arguments:");
    for (Syntax.Form f : Syntax.arguments()) {
      out.printf(Locale.ROOT, "  %-10s %s%n", f.syntax(), f.doc());
    }
    out.println("Program operations (P is a process; 'x = ' keeps what one gives under the name x):");
    for (Op op : Op.values()) {
      String gives = op.result().map(k -> "x = ").orElse("");
      String what = op.result().map(k -> " (x: " + k.name() + ")").orElse("");
      out.printf(Locale.ROOT, "  %-40s %s%s%n", gives + op.usage(), op.doc(), what);
    }
    out.println("Promises (for needs and expect):");
    for (Promise p : Promise.values()) {
      out.printf(Locale.ROOT, "  %-26s %s%n", p.name(), p.text());
    }
    out.println("Hazard kinds (for hazard):");
    for (HazardKind k : HazardKind.values()) {
      out.printf(Locale.ROOT, "  %-26s %s%n", k.name(), k.description());
    }
    out.flush();
    return 0;
  }
}
