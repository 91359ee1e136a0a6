package org.userptrlab.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.userptrlab.lab.explore.ExploreReport;
import org.userptrlab.lab.explore.ExploreResult;
import org.userptrlab.lab.explore.Explorer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code merge}: the shards of one explorer run, as the summary one machine would have written. */
@Command(name = "merge", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Combines the outputs of 'explore --shard K/N --out DIR' runs, one for every K, into one summary. "
        + "Refuses a directory that is not a finished explore output, a missing or repeated shard, and --out naming an input.")
final class MergeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "DIR", arity = "1..*", description = "The shards' --out directories.")
  List<Path> dirs;

  @Option(names = "--out", paramLabel = "DIR", description = "Write the merged result and its minimal programs here (a new directory, "
      + "or one an earlier explore or merge wrote, which is replaced whole).")
  Path out;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    ExploreResult merged;
    OutputDirectory target;
    try {
      target = out == null ? null : OutputDirectory.ofExploreRun("--out", out);
      List<ExploreResult> parts = new ArrayList<>();
      Map<Integer, Path> byShard = new TreeMap<>();
      for (Path d : dirs) {
        if (d.toString().isEmpty()) {
          throw new BadValue("merge: '' is not a directory; give the directories 'explore --out' wrote");
        }
        if (target != null && target.overlaps(d)) {
          throw new BadValue("merge: --out " + out + " would overwrite the input " + d + "; give a directory of its own");
        }
        ExploreResult r = ExploreReport.read(d);
        if (!parts.isEmpty()) {
          ExploreResult first = parts.get(0);
          if (r.seed() != first.seed() || r.budget() != first.budget() || r.of() != first.of()) {
            throw new BadValue("merge: " + d + " is of another run than " + dirs.get(0) + " (seed " + r.seed() + ", " + r.budget()
                + " programs in " + shards(r.of()) + ", not seed " + first.seed() + ", " + first.budget() + " programs in "
                + shards(first.of()) + ")");
          }
          String differs = first.setup().differs(r.setup());
          if (differs != null) {
            throw new BadValue("merge: " + d + " is of another run than " + dirs.get(0) + " (" + differs + ")");
          }
        }
        for (int s : r.shards()) {
          Path had = byShard.putIfAbsent(s, d);
          if (had != null) {
            throw new BadValue("merge: shard " + s + "/" + r.of() + " is given twice, in " + had + " and in " + d);
          }
        }
        parts.add(r);
      }
      merged = Explorer.merge(parts);
    } catch (BadValue e) {
      err.println("userptr-lab: " + e.getMessage());
      return Cli.USAGE;
    } catch (IOException | IllegalArgumentException e) {
      err.println("userptr-lab: merge: " + e.getMessage());
      return Cli.USAGE;
    }
    try {
      if (target != null) {
        target.write(ExploreReport.files(merged), err);
      }
    } catch (IOException e) {
      err.println("userptr-lab: merge failed: " + e.getMessage());
      return Cli.FAILURE;
    }
    spec.commandLine().getOut().print(ExploreReport.summary(merged));
    spec.commandLine().getOut().flush();
    return 0;
  }

  private static String shards(int n) {
    return n == 1 ? "1 shard" : n + " shards";
  }
}
