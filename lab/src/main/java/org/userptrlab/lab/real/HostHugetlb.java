package org.userptrlab.lab.real;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.userptrlab.lab.lang.Program;

/**
 * This machine's hugetlb pools set as a program's {@code machine hugetlb} settings ask, for one run:
 * each size's nr_hugepages written (as the selftests' run_vmtests.sh reserves them), read back to see
 * that the kernel found the pages, and the old counts written back when the run ends.
 */
final class HostHugetlb implements AutoCloseable {
  private static final Path HUGEPAGES = Path.of("/sys/kernel/mm/hugepages");

  /** nr_hugepages of each pool before the run, in the order they were set. */
  private final Map<Path, String> old = new LinkedHashMap<>();

  private HostHugetlb() {}

  /**
   * The pools the program asks for: huge page size in bytes to the number of pages. A program that maps
   * hugetlb memory with no 'machine hugetlb' line runs on a model machine with no huge page set aside,
   * and asks for this machine's default pool (2 MiB on x86) to be empty as well.
   */
  static Map<Long, Long> asked(Program program) {
    Map<Long, Long> pools = new LinkedHashMap<>();
    program.machine().stream().filter(Program.Setting::isHugetlb).forEach(s -> pools.put(s.size(), s.value()));
    if (pools.isEmpty() && org.userptrlab.lab.lang.Programs.usesHugetlb(program)) {
      pools.put(DEFAULT_SIZE, 0L);
    }
    return pools;
  }

  /** The huge page size MAP_HUGETLB takes without a size's bits on x86-64 (default_hstate). */
  private static final long DEFAULT_SIZE = 2L << 20;

  /** Whether a pool holds {@code pages} already, so that nothing needs writing. */
  private static boolean holds(long bytes, long pages) {
    try {
      return Long.parseLong(Files.readString(pool(bytes).resolve("nr_hugepages")).trim()) == pages;
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  private static Path pool(long bytes) {
    return HUGEPAGES.resolve("hugepages-" + (bytes >> 10) + "kB");
  }

  /**
   * Why a call that names a huge page size (MAP_HUGE_1GB, MFD_HUGE_1GB) cannot run here; null if it can: this
   * machine has no pool of that size, so its kernel answers EINVAL where the model's, which has, answers as a
   * machine with gbpages does.
   */
  static String sizeNotOffered(Program.Call c) {
    for (Program.Arg a : c.args()) {
      // Only the 1 GiB bits alone name 1 GiB: with the 2 MiB ones too they name 2^31, a size no kernel has.
      if (a instanceof Program.Word w && (w.text().contains("MAP_HUGE_1GB") || w.text().contains("MFD_HUGE_1GB"))
          && !w.text().contains("_HUGE_2MB") && !Files.isDirectory(pool(1L << 30))) {
        return "it names 1 GiB huge pages, and this machine offers none (no " + pool(1L << 30) + ")";
      }
    }
    return null;
  }

  /** Why the program's pools cannot be set here; empty if they can, or if it asks for none. */
  static Optional<String> notRunnable(Program program, RealHost host) {
    for (long bytes : asked(program).keySet()) {
      if (!Files.isDirectory(pool(bytes))) {
        return Optional.of("the program reserves hugetlb pages of " + (bytes >> 10) + " kB ('machine hugetlb'), and this "
            + "machine offers none of that size (no " + pool(bytes) + ")");
      }
    }
    boolean asIs = asked(program).entrySet().stream().allMatch(e -> holds(e.getKey(), e.getValue()));
    return asIs || host.root() ? Optional.empty() : Optional.of(program.machine().stream().anyMatch(Program.Setting::isHugetlb)
        ? "the program reserves hugetlb pages ('machine hugetlb'): writing " + HUGEPAGES + "/*/nr_hugepages needs root"
        : "the program maps hugetlb memory with no 'machine hugetlb' line, so no huge page is set aside on the model's machine, "
            + "and this machine's pool has some: emptying it (" + pool(DEFAULT_SIZE).resolve("nr_hugepages") + ") needs root");
  }

  /**
   * Sets this machine's pools as {@code program} asks; null if it asks for none. The caller closes
   * what it gets, which writes the old counts back. An IOException, with every pool set back, when the
   * kernel could not find the pages.
   */
  static HostHugetlb set(Program program) throws IOException {
    Map<Long, Long> pools = asked(program);
    if (pools.isEmpty()) {
      return null;
    }
    HostHugetlb h = new HostHugetlb();
    try {
      for (Map.Entry<Long, Long> e : pools.entrySet()) {
        if (holds(e.getKey(), e.getValue())) {
          continue;
        }
        Path nr = pool(e.getKey()).resolve("nr_hugepages");
        h.old.put(nr, Files.readString(nr).trim());
        Files.writeString(nr, Long.toString(e.getValue()));
        long got = Long.parseLong(Files.readString(nr).trim());
        if (got != e.getValue()) {
          throw new IOException("the kernel set aside " + got + " of the " + e.getValue() + " huge pages of " + (e.getKey() >> 10)
              + " kB the program asks for (not enough free, contiguous memory)");
        }
      }
    } catch (IOException | RuntimeException e) {
      // What was written goes back before the failure is told.
      try {
        h.close();
      } catch (UncheckedIOException also) {
        e.addSuppressed(also);
      }
      throw e;
    }
    return h;
  }

  /** Writes the old counts back. */
  @Override
  public void close() {
    IOException failed = null;
    for (Map.Entry<Path, String> e : old.entrySet()) {
      try {
        Files.writeString(e.getKey(), e.getValue());
      } catch (IOException x) {
        failed = x;
      }
    }
    if (failed != null) {
      throw new UncheckedIOException("a hugetlb pool could not be set back: " + failed.getMessage(), failed);
    }
  }
}
