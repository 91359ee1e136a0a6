package org.userptrlab.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    description = "Combines the outputs of 'explore --shard K/N --out DIR' runs into one summary.")
final class MergeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "DIR", arity = "1..*", description = "The shards' --out directories.")
  List<Path> dirs;

  @Option(names = "--out", paramLabel = "DIR", description = "Write the merged result and its minimal programs here.")
  Path out;

  @Override
  public Integer call() {
    try {
      List<ExploreResult> parts = new ArrayList<>();
      for (Path d : dirs) {
        parts.add(ExploreReport.read(d));
      }
      ExploreResult merged = Explorer.merge(parts);
      if (out != null) {
        java.nio.file.Files.createDirectories(out);
        ExploreCommand.write(merged, out, spec.commandLine().getErr());
      }
      spec.commandLine().getOut().print(ExploreReport.summary(merged));
      spec.commandLine().getOut().flush();
      return 0;
    } catch (IOException | IllegalArgumentException e) {
      spec.commandLine().getErr().println("userptr-lab: merge: " + e.getMessage());
      return Cli.USAGE;
    }
  }
}
