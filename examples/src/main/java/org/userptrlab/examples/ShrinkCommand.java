package org.userptrlab.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.lab.explore.Explorer;
import org.userptrlab.lab.explore.Finding;
import org.userptrlab.lab.explore.Signature;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.report.Document;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code shrink FILE}: a failing program of the user's, minimised as the explorer minimises its own. */
@Command(name = "shrink", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Runs your program under every strategy and kernel, and shrinks it (delta debugging over its lines, then "
        + "its sizes) to the smallest program that still fails the same way: the same promise broken or hazard reported "
        + "under the same strategy and kernel. Prints the minimal program; --out DIR writes it as SIGNATURE.scenario. "
        + "Exits 1 if the program shows no failure.")
final class ShrinkCommand implements Callable<Integer> {
  /** The shared options shrink refuses, left out of its help. */
  static final java.util.List<String> REFUSED = java.util.List.of("--svg", "--profiles", "--profile-file", "--format");

  @CommandLine.Mixin
  CommonOptions common = new CommonOptions();

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "A program file, as 'run' takes it.")
  Path file;

  @Option(names = "--what", paramLabel = "NAME",
      description = "Which failure to keep, by the promise or the hazard's name (GPU_SEES_LATER_CPU_WRITES, "
          + "CHILD_LOST_MAPPING, ...); by default the one a minimal program the lab wrote names in its first comment, "
          + "else the first the program shows (by strategy, kernel, kind, then name).")
  String what;

  @Override
  public Integer call() {
    return common.guarded(spec, () -> {
      if (common.svg != null || common.profiles != null || common.profileFiles != null) {
        throw new BadValue("shrink takes none of --svg, --profiles and --profile-file: it keeps a failure, which no "
            + "platform's costs change");
      }
      if (common.format != org.userptrlab.lab.report.Format.TABLE) {
        throw new BadValue("shrink prints a program, in no --format: give none");
      }
      // Every promise and hazard is named in capitals: gpu_write_reached_child is GPU_WRITE_REACHED_CHILD.
      String upper = what == null ? null : what.toUpperCase(java.util.Locale.ROOT);
      if (upper != null && java.util.Arrays.stream(org.userptrlab.core.spi.Promise.values()).noneMatch(x -> x.name().equals(upper))
          && java.util.Arrays.stream(org.userptrlab.core.harness.HazardKind.values()).noneMatch(x -> x.name().equals(upper))) {
        throw new BadValue("--what: '" + what + "' is not a promise or a hazard ('list' names them)");
      }
      Program p = CommonOptions.program(file);
      // Checked before the work, as every command's output is.
      OutputDirectory out = common.out == null ? null : OutputDirectory.of("--out", common.out);
      LabOptions options = common.options(null);
      Explorer explorer = new Explorer(new Comparison(options), options.strategies(), options.kernels());
      List<Signature> shown = explorer.signatures(p);
      List<Signature> chosen = upper == null ? shown : shown.stream().filter(s -> s.what().equals(upper)).toList();
      if (chosen.isEmpty()) {
        spec.commandLine().getErr().println("userptr-lab: " + file + " shows " + (shown.isEmpty() ? "no failure shrink keeps (a "
            + "promise a strategy breaks where another keeps it, or a hazard, in a run that ends without a scenario error; a run "
            + "that ends in one, and the program's own 'check' lines, are not kept)" : "no " + upper
            + " (it shows " + String.join(", ", shown.stream().map(Signature::toString).toList()) + ")")
            + " under " + String.join(",", options.strategies()) + " on " + String.join(",",
            options.kernels().stream().map(k -> k.name()).toList()) + "; there is nothing to shrink");
        return Cli.FAILURE;
      }
      // A minimal program the lab wrote keeps the failure its first comment names, unless --what asks for another.
      Signature sig = Explorer.named(p, chosen).orElse(chosen.get(0));
      Finding f = explorer.shrink(p, sig, file.toString());
      if (out != null) {
        out.write(List.of(new Document(sig.slug() + ".scenario", f.minimal())),
            spec.commandLine().getErr());
      }
      spec.commandLine().getOut().print(f.minimal());
      spec.commandLine().getOut().flush();
      return 0;
    });
  }
}
