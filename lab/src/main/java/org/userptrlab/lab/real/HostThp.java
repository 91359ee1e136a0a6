package org.userptrlab.lab.real;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.mm.MachineConfig;

/**
 * This machine's transparent huge pages set as a program's {@code machine thp} line asks, for one
 * run: the mode written to sysfs, the PMD size's own setting to "inherit" where the kernel has
 * per-size settings (6.8), each old value remembered and written back when the run ends.
 */
final class HostThp implements AutoCloseable {
  static final Path ENABLED = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
  static final Path PMD_ENABLED = Path.of("/sys/kernel/mm/transparent_hugepage/hugepages-2048kB/enabled");
  /** sysfs shows every mode and the one in force in brackets: "always [madvise] never". */
  private static final Pattern CHOSEN = Pattern.compile("\\[([a-z]+)\\]");

  private final String oldMode;
  /** The PMD size's setting before the run; null where the kernel has no per-size settings. */
  private final String oldPmd;

  private HostThp(String oldMode, String oldPmd) {
    this.oldMode = oldMode;
    this.oldPmd = oldPmd;
  }

  /** The mode the program's {@code machine thp} line asks for, if it has one. */
  static Optional<MachineConfig.Thp> asked(Program program) {
    return program.machine().stream().filter(s -> s.key().equals("thp")).map(Program.Setting::thpMode).findFirst();
  }

  /** Why the program's THP mode cannot be set here; empty if it can, or if it asks for none. */
  static Optional<String> notRunnable(Program program, RealHost host) {
    if (asked(program).isEmpty()) {
      return Optional.empty();
    }
    if (!Files.exists(ENABLED)) {
      return Optional.of("the program sets transparent huge pages ('machine thp'), and this kernel has none (no " + ENABLED + ")");
    }
    return host.root() ? Optional.empty() : Optional.of("the program sets transparent huge pages ('machine thp'): writing "
        + ENABLED + " needs root");
  }

  /**
   * Sets this machine's THP as {@code program} asks; null if it asks for nothing. The caller closes
   * what it gets, which writes the old values back.
   */
  static HostThp set(Program program) throws IOException {
    Optional<MachineConfig.Thp> mode = asked(program);
    if (mode.isEmpty()) {
      return null;
    }
    String oldMode = chosen(ENABLED);
    String oldPmd = Files.exists(PMD_ENABLED) ? chosen(PMD_ENABLED) : null;
    HostThp thp = new HostThp(oldMode, oldPmd);
    try {
      Files.writeString(ENABLED, mode.get().sysfsName());
      if (oldPmd != null) {
        Files.writeString(PMD_ENABLED, "inherit");
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

  private static String chosen(Path p) throws IOException {
    String text = Files.readString(p);
    Matcher m = CHOSEN.matcher(text);
    if (!m.find()) {
      throw new IOException(p + " names no mode in force: '" + text.trim() + "'");
    }
    return m.group(1);
  }

  /** Writes the old values back. */
  @Override
  public void close() {
    try {
      Files.writeString(ENABLED, oldMode);
      if (oldPmd != null) {
        Files.writeString(PMD_ENABLED, oldPmd);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("transparent huge pages could not be set back to " + oldMode + ": " + e.getMessage(), e);
    }
  }
}
