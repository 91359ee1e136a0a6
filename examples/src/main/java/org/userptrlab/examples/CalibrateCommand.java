package org.userptrlab.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.userptrlab.core.cost.Figure;
import org.userptrlab.core.cost.Parameter;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.lab.Calibration;
import org.userptrlab.lab.ProfileFile;
import org.userptrlab.executor.NativeExecutor;
import org.userptrlab.executor.Timing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code calibrate}: this machine's platform profile, timed on its kernel. */
@Command(name = "calibrate", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Times on the real kernel, through the native executor, the primitives the cost model prices (faults, "
        + "munmap, fork, COW, mprotect, MADV_DONTNEED, io_uring pinning, vmsplice, mlock, memcpy and memset, a TLB "
        + "shootdown), and writes a platform profile that compare, sweep and run take with --profile-file.")
final class CalibrateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--out", paramLabel = "FILE", defaultValue = "host-profile.json", description = "Where to write the profile "
      + "(default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = out.toAbsolutePath().getParent();
    if (dir == null || !java.nio.file.Files.isDirectory(dir)) {
      err.println("userptr-lab: no directory " + dir + " to write " + out.getFileName() + " in; make it, or give another --out");
      return Cli.USAGE;
    }
    if (!Cli.executorHere("calibrate", err)) {
      return Cli.FAILURE;
    }
    List<Timing> timings = NativeExecutor.calibrate();
    PlatformProfile p = Calibration.profile(timings, System.getProperty("os.version"), Calibration.cpu(), Calibration.llcBytes(),
        LocalDate.now());
    try {
      ProfileFile.write(p, out);
    } catch (IOException e) {
      err.println("userptr-lab: cannot write " + out + ": " + e.getMessage());
      return Cli.FAILURE;
    }
    o.println("primitive         median      p10      p90  samples");
    for (Timing t : timings) {
      o.printf(Locale.ROOT, "%-16s %8.1f %8.1f %8.1f  %d%n", t.name(), t.median(), t.p10(), t.p90(), t.samples());
    }
    o.println();
    o.println("profile " + p.name() + ": " + p.description());
    for (Parameter q : Parameter.values()) {
      Figure f = p.figures().get(q);
      o.printf(Locale.ROOT, "  %-16s %10.1f %-5s %s%n", q, f.value(), q.unit().symbol(), f.source());
    }
    o.println("wrote " + out);
    o.flush();
    return 0;
  }
}
