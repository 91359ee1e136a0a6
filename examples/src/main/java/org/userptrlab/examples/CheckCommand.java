package org.userptrlab.examples;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code check}: reads and checks programs as {@code run} would, and runs none. */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Reads program files and checks each as run would before it runs it, without running any: prints 'FILE: ok' "
        + "for each when every one is a valid program; otherwise the first error, with its file, line and column, and exits 2. "
        + "Whether a program's memory fits the machine is left to run, whose --ram and --swap decide it.")
final class CheckCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Program files.")
  List<Path> files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> ok = new ArrayList<>();
    List<org.userptrlab.lab.lang.Program> read = new ArrayList<>();
    try {
      for (Path f : files) {
        read.add(CommonOptions.program(f));
        ok.add(f + ": ok");
      }
      CommonOptions.distinctNames(read, files);
    } catch (BadValue e) {
      err.println("userptr-lab: " + e.getMessage());
      err.flush();
      return Cli.USAGE;
    }
    ok.forEach(out::println);
    out.flush();
    return 0;
  }
}
