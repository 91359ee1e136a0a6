package org.userptrlab.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.lab.explore.ExploreReport;
import org.userptrlab.lab.explore.ExploreResult;
import org.userptrlab.lab.explore.Explorer;
import org.userptrlab.lab.report.Document;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code explore}: random programs against every strategy and kernel, each new failure shrunk to a minimal program. */
@Command(name = "explore", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Generates random programs, runs them under every strategy and kernel with the harness watching, and shrinks "
        + "each new kind of failure to a minimal program that 'run' replays.")
final class ExploreCommand implements Callable<Integer> {
  @CommandLine.Mixin
  CommonOptions common = new CommonOptions();

  @Spec
  CommandSpec spec;

  @Option(names = "--programs", paramLabel = "N", defaultValue = "400", description = "How many programs, over all shards (default: ${DEFAULT-VALUE}).")
  long programs;

  @Option(names = "--seconds", paramLabel = "N",
      description = "Stop after N seconds, before the budget of programs is spent (the result then depends on the machine's speed).")
  Long seconds;

  @Option(names = "--shard", paramLabel = "K/N", defaultValue = "1/1",
      description = "Run only part K of N (program i is part i % N + 1); 'merge' combines the parts (default: ${DEFAULT-VALUE}).")
  String shard;

  @Override
  public Integer call() {
    return common.guarded(spec, () -> {
      int[] kn = shard();
      if (programs < 1) {
        throw new BadValue("--programs must be at least 1: " + programs);
      }
      if (seconds != null && seconds < 1) {
        throw new BadValue("--seconds must be at least 1: " + seconds);
      }
      long deadline = seconds == null ? Long.MAX_VALUE : System.nanoTime() + seconds * 1_000_000_000L;
      java.util.function.BooleanSupplier stop = () -> System.nanoTime() > deadline;
      LabOptions options = common.options(null);
      common.checkOutputs();
      Explorer explorer = new Explorer(new Comparison(options), options.strategies(), options.kernels());
      long mine = (programs - kn[0] + kn[1]) / kn[1];
      ExploreResult r;
      if (System.console() != null) {
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("explore").setInitialMax(mine).build()) {
          r = explorer.run(common.seed, programs, kn[0], kn[1], bar::stepBy, stop);
        }
      } else {
        r = explorer.run(common.seed, programs, kn[0], kn[1], n -> { }, stop);
      }
      write(r, common.out, spec.commandLine().getErr());
      spec.commandLine().getOut().print(ExploreReport.summary(r));
      spec.commandLine().getOut().flush();
      return 0;
    });
  }

  private int[] shard() {
    String[] p = shard.split("/");
    try {
      int k = Integer.parseInt(p[0]);
      int n = Integer.parseInt(p[1]);
      if (p.length == 2 && n >= 1 && k >= 1 && k <= n) {
        return new int[] {k, n};
      }
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      // said below
    }
    throw new BadValue("--shard must be K/N with 1 <= K <= N, such as 2/8: " + shard);
  }

  /** Writes the result's files under {@code dir}, if one was given. */
  static void write(ExploreResult r, Path dir, PrintWriter err) throws IOException {
    if (dir == null) {
      return;
    }
    for (Document d : ExploreReport.files(r)) {
      CommonOptions.write(dir, d, err);
    }
  }
}
