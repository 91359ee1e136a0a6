package org.userptrlab.lab.real;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.userptrlab.executor.Reply;
import org.userptrlab.executor.Session;
import org.userptrlab.lab.lang.Op;
import org.userptrlab.lab.lang.Program;

/**
 * A swap file for the runs of a program that pages anonymous memory out (MADV_PAGEOUT, reclaim) on a
 * machine with no swap: written in mkswap's format by the executor (swapon(2) takes root), on the
 * local disk, once for a diff's runs; switched on for each run, a fresh swap area, and off when it
 * ends; removed when the diff is closed.
 */
final class SwapFile {
  static final long SIZE = 256L << 20;
  /** The reason a program that needs a swap file cannot have one. */
  static final String NEEDS_ROOT = "MADV_PAGEOUT of anonymous memory needs swap; run as root to let diff set up a swap file";

  private final Path path;

  private SwapFile(Path path) {
    this.path = path;
  }

  /** Whether {@code program} pages memory out: MADV_PAGEOUT, or reclaim, which the executor runs as MADV_PAGEOUT. */
  static boolean pagesOut(Program program) {
    for (Program.Statement s : program.body()) {
      for (Program.Call c : Program.callsOf(s)) {
        if (pagesOut(c)) {
          return true;
        }
      }
    }
    return false;
  }

  static boolean pagesOut(Program.Call c) {
    return c.op() == Op.RECLAIM || c.op() == Op.MADVISE && c.args().size() > 2 && c.args().get(2) instanceof Program.Word w
        && w.text().equals("MADV_PAGEOUT");
  }

  /** Whether a run of {@code program} here needs a swap file set up, and may have one. */
  static boolean needed(Program program) {
    RealHost host = RealHost.here();
    return pagesOut(program) && !host.swap() && host.root();
  }

  /**
   * The directory on the local disk a swap file goes in (swapon refuses one on tmpfs), named after this process; those
   * of lab processes gone without removing theirs (ended by SIGKILL between two runs), whose file is not on, are
   * removed first.
   */
  static Path directory() throws IOException {
    Path varTmp = Path.of("/var/tmp");
    return directory(Files.isDirectory(varTmp) ? varTmp : Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** As {@link #directory()}, under {@code parent}. */
  static Path directory(Path parent) throws IOException {
    removeStale(parent);
    return Files.createTempDirectory(parent, PREFIX + ProcessHandle.current().pid() + "-");
  }

  private static final String PREFIX = "userptr-lab-swap-";

  /** Removes the swap directories under {@code parent} of lab processes that are gone, where their file is not on. */
  private static void removeStale(Path parent) throws IOException {
    String swaps = Files.readString(Path.of("/proc/swaps"));
    try (var dirs = Files.newDirectoryStream(parent, PREFIX + "*")) {
      for (Path dir : dirs) {
        Path file = dir.resolve("swapfile");
        if (org.userptrlab.executor.NativeExecutor.leftByGoneProcess(dir.getFileName().toString(), PREFIX)
            && !swaps.contains(file.toString())) {
          Files.deleteIfExists(file);
          Files.deleteIfExists(dir);
        }
      }
    }
  }

  /** Sets a swap file up at {@code path} through {@code session}; empty with why it failed. */
  static Optional<SwapFile> on(Session session, Path path, StringBuilder why) {
    Reply r = session.send("0 swapon " + path + " " + SIZE);
    if (!r.ok()) {
      why.append("setting up a swap file at ").append(path).append(" failed: ").append(r.call()).append(" answered errno ")
          .append(r.errno());
      return Optional.empty();
    }
    return Optional.of(new SwapFile(path));
  }

  /**
   * Switches it off, through {@code session}, and removes it unless {@code keep} (a later run switches it on again
   * as it is, written once); through a session of its own (from {@code fresh}) where that one's executor died and
   * left it on, and then removes it.
   */
  void off(Session session, java.util.function.Supplier<Session> fresh, boolean keep) {
    Reply r;
    try {
      r = session.send(keep ? "0 swapoff_keep" : "0 swapoff");
    } catch (RuntimeException died) {
      try (Session again = fresh.get()) {
        r = again.send("0 swapoff " + path);
      }
    }
    if (!r.ok()) {
      throw new IllegalStateException("swapoff of " + path + " failed in " + r.call() + " with errno " + r.errno());
    }
  }

  /** The line the diff's output says it in. */
  String note() {
    return "swap: a " + (SIZE >> 20) + " MiB swap file at " + path + ", written once for the diff's runs, switched on for each "
        + "and removed after the last";
  }
}
