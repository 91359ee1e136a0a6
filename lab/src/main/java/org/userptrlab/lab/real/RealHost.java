package org.userptrlab.lab.real;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What this machine offers a program beyond its kernel's system calls, as the selftests ask it:
 * whether the lab runs as root, whether swap is on, and whether CONFIG_GUP_TEST's debugfs file is there.
 */
record RealHost(boolean root, boolean swap, boolean gupTest) {
  static final Path GUP_TEST = Path.of("/sys/kernel/debug/gup_test");

  /** The machine as it is now: swap may come and go (a diff sets a swap file up for a run). */
  static RealHost here() {
    return new RealHost(uid() == 0, swapOn(), Files.exists(GUP_TEST));
  }

  /** The real user id, from /proc/self/status ("Uid:\treal\teffective..."); -1 where it cannot be read. */
  private static long uid() {
    for (String line : lines(Path.of("/proc/self/status"))) {
      if (line.startsWith("Uid:")) {
        return Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  /** Whether /proc/swaps lists a swap area below its header. */
  private static boolean swapOn() {
    return lines(Path.of("/proc/swaps")).size() > 1;
  }

  private static List<String> lines(Path p) {
    if (!Files.isReadable(p)) {
      return List.of();
    }
    try {
      return Files.readAllLines(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
