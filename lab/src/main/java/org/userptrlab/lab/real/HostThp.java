package org.userptrlab.lab.real;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.userptrlab.lab.lang.Printer;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.mm.MachineConfig;

/**
 * This machine's transparent huge pages set as a program's {@code machine thp} lines ask, for one
 * run: the mode written to sysfs, and, where the kernel has per-size settings (6.8), each size's
 * as the model has it (as asked; else the PMD size "inherit" and the smaller sizes "never"), each
 * old value remembered and written back when the run ends.
 */
final class HostThp implements AutoCloseable {
  static final Path DIR = Path.of("/sys/kernel/mm/transparent_hugepage");
  static final Path ENABLED = DIR.resolve("enabled");
  /** sysfs shows every mode and the one in force in brackets: "always [madvise] never". */
  private static final Pattern CHOSEN = Pattern.compile("\\[([a-z+]+)\\]");
  private static final Pattern SIZE_DIR = Pattern.compile("hugepages-([0-9]+)kB");
  private static final long PMD_SIZE = 2L << 20;
  static final Path PMD_ENABLED = sizeFile(DIR, PMD_SIZE);

  /** A sysfs file written for the run, and what it said before. */
  private record Old(Path file, String value) {}

  /** In the order written; written back in the reverse order. */
  private final List<Old> olds = new ArrayList<>();

  private HostThp() {}

  /** The mode the program's {@code machine thp MODE} asks for, if it has one. */
  static Optional<MachineConfig.Thp> asked(Program program) {
    return program.machine().stream().filter(s -> s.key().equals("thp") && s.size() == 0).map(Program.Setting::thpMode).findFirst();
  }

  /** The program's {@code machine thp SIZE MODE} settings, in the order written. */
  static List<Program.Setting> sizes(Program program) {
    return program.machine().stream().filter(s -> s.key().equals("thp") && s.size() != 0).toList();
  }

  /** hugepages-&lt;size&gt;kB/enabled of {@code bytes} under {@code dir}. */
  static Path sizeFile(Path dir, long bytes) {
    return dir.resolve("hugepages-" + (bytes >> 10) + "kB").resolve("enabled");
  }

  private static boolean asksAny(Program program) {
    return program.machine().stream().anyMatch(s -> s.key().equals("thp") || s.key().equals("thp_zero_page")
        || s.key().equals("thp_defrag"));
  }

  /** Why the program's THP settings cannot be set here; empty if they can, or if it asks for none. */
  static Optional<String> notRunnable(Program program, RealHost host) {
    return notRunnable(program, host, DIR);
  }

  static Optional<String> notRunnable(Program program, RealHost host, Path dir) {
    if (!asksAny(program)) {
      return Optional.empty();
    }
    Path enabled = dir.resolve("enabled");
    if (!Files.exists(enabled)) {
      return Optional.of("the program sets transparent huge pages ('machine thp'), and this kernel has none (no " + enabled + ")");
    }
    for (Program.Setting s : sizes(program)) {
      Path file = sizeFile(dir, s.size());
      if (!Files.exists(file)) {
        String line = "machine thp " + Printer.size(s.size()) + " " + s.thpMode().sysfsName();
        return Optional.of("the program sets THP of " + (s.size() >> 10) + " kB ('" + line + "'), a size this kernel does not "
            + "offer for anonymous memory (no " + file + ")");
      }
    }
    return host.root() ? Optional.empty() : Optional.of("the program sets transparent huge pages ('machine thp'): writing "
        + enabled + " needs root");
  }

  /**
   * Sets this machine's THP as {@code program} asks (a program that asks nothing: each size's default);
   * null where nothing is written. The caller closes what it gets, which writes the old values back.
   */
  static HostThp set(Program program) throws IOException {
    return set(program, DIR);
  }

  static HostThp set(Program program, Path dir) throws IOException {
    // A program that sets nothing runs on the model under the per-size defaults (2048 kB inherit, the smaller never): where
    // this host's differ (a size left "always") and may be written, they are set for its run too, so that the real side does
    // not get folios the model's has not.
    Path enabled = dir.resolve("enabled");
    if (!asksAny(program) && (!Files.exists(enabled) || !Files.isWritable(enabled) || defaultsInForce(dir))) {
      return null;
    }
    HostThp thp = new HostThp();
    try {
      Optional<MachineConfig.Thp> mode = asked(program);
      if (mode.isPresent()) {
        thp.write(dir.resolve("enabled"), mode.get().sysfsName());
      }
      for (Program.Setting z : program.machine()) {
        if (z.key().equals("thp_zero_page")) {
          Path file = dir.resolve("use_zero_page");
          thp.olds.add(new Old(file, Files.readString(file).trim()));
          Files.writeString(file, z.value() != 0 ? "1" : "0");
        } else if (z.key().equals("thp_defrag")) {
          thp.write(dir.resolve("defrag"), z.thpDefragMode().sysfsName());
        }
      }
      for (long bytes : offered(dir)) {
        String want = sizes(program).stream().filter(s -> s.size() == bytes).map(s -> s.thpMode().sysfsName()).findFirst()
            .orElse(bytes == PMD_SIZE ? "inherit" : "never");
        thp.write(sizeFile(dir, bytes), want);
      }
    } catch (IOException e) {
      // What was written goes back before the failure is told.
      try {
        thp.close();
      } catch (UncheckedIOException also) {
        e.addSuppressed(also);
      }
      throw e;
    }
    return thp;
  }

  private static boolean defaultsInForce(Path dir) throws IOException {
    for (long bytes : offered(dir)) {
      if (!chosen(sizeFile(dir, bytes)).equals(bytes == PMD_SIZE ? "inherit" : "never")) {
        return false;
      }
    }
    return true;
  }

  /** The sizes of anonymous THP this kernel has a setting for (hugepages-&lt;size&gt;kB/enabled), in bytes. */
  private static List<Long> offered(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> SIZE_DIR.matcher(p.getFileName().toString())).filter(Matcher::matches)
          .map(m -> Long.parseLong(m.group(1)) << 10).filter(b -> Files.exists(sizeFile(dir, b))).sorted().toList();
    }
  }

  private void write(Path file, String value) throws IOException {
    String old = chosen(file);
    olds.add(new Old(file, old));
    Files.writeString(file, value);
  }

  private static String chosen(Path p) throws IOException {
    String text = Files.readString(p);
    Matcher m = CHOSEN.matcher(text);
    if (!m.find()) {
      throw new IOException(p + " names no mode in force: '" + text.trim() + "'");
    }
    return m.group(1);
  }

  /** Writes the old values back, every one even if one fails. */
  @Override
  public void close() {
    UncheckedIOException failed = null;
    for (int i = olds.size() - 1; i >= 0; i--) {
      Old o = olds.get(i);
      try {
        Files.writeString(o.file(), o.value());
      } catch (IOException e) {
        UncheckedIOException u = new UncheckedIOException("transparent huge pages could not be set back: " + o.file() + " to "
            + o.value() + ": " + e.getMessage(), e);
        if (failed == null) {
          failed = u;
        } else {
          failed.addSuppressed(u);
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
  }
}
