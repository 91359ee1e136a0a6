package org.userptrlab.executor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@code upl-exec} from the C source in this jar with the system C compiler ({@code $CC},
 * else {@code cc}) the first time it is needed, caches the binary under
 * {@code $XDG_CACHE_HOME/userptr-lab} (else {@code ~/.cache/userptr-lab}) by the source's digest,
 * and starts it. Where it cannot run (not Linux, no compiler, io_uring disabled), {@link
 * #availability()} says why in one line.
 */
public final class NativeExecutor {
  private static final Logger log = LoggerFactory.getLogger(NativeExecutor.class);
  private static final String SOURCE = "/org/userptrlab/executor/upl-exec.c";
  private static final List<String> FLAGS = List.of("-O2", "-Wall", "-Wextra");
  private static volatile Object built;

  private NativeExecutor() {}

  /** Whether the executor can run here; the first call builds it. */
  public static Availability availability() {
    Object b = build();
    return b instanceof Path ? Availability.yes() : (Availability) b;
  }

  /** Starts an executor; {@link IllegalStateException} with the reason where it cannot run. */
  public static Session start() {
    return start(List.of());
  }

  /**
   * Starts an executor whose processes may each open at most {@code files} files (RLIMIT_NOFILE, at
   * least 8), as on a machine set up tighter than this one: where a program needs more, its
   * replies say the executor met a limit ({@link Reply.Origin#LIMIT}).
   */
  public static Session start(int files) {
    if (files < 8) {
      throw new IllegalArgumentException("the executor needs at least 8 files, not " + files);
    }
    return start(List.of("--files", Integer.toString(files)));
  }

  private static Session start(List<String> options) {
    Object b = build();
    if (!(b instanceof Path binary)) {
      throw new IllegalStateException(((Availability) b).reason());
    }
    List<String> command = new java.util.ArrayList<>(List.of(binary.toString()));
    command.addAll(options);
    try {
      return new Session(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
  }

  /**
   * Times, on this kernel, the primitives the cost model prices ({@code upl-exec --calibrate}):
   * each a median of repeated samples with its spread. {@link IllegalStateException} with the
   * reason where the executor cannot run.
   */
  public static java.util.List<Timing> calibrate() {
    Object b = build();
    if (!(b instanceof Path binary)) {
      throw new IllegalStateException(((Availability) b).reason());
    }
    removeStaleCalibrationSwap();
    try {
      java.lang.Process p = new ProcessBuilder(binary.toString(), "--calibrate").redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      int status = p.waitFor();
      if (status != 0) {
        // Java reports a process ended by signal N as exit status 128 + N.
        String swap = removeCalibrationSwap(calibrationSwap(p.pid())) ? "; its swap file, left on, was switched off and removed" : "";
        throw new IllegalStateException("upl-exec --calibrate died " + ExecutorDied.how(status > 128 ? status - 128 : 0, status)
            + swap);
      }
      List<Timing> timings = new java.util.ArrayList<>(out.lines().filter(l -> !l.isBlank()).map(Timing::parse).toList());
      timings.addAll(runToRun());
      return List.copyOf(timings);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + binary, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calibrating", e);
    }
  }

  /** How much a program fills in {@link #runToRun}: 4 MiB, as {@code upl-exec --calibrate} times its pages. */
  public static final long RUN_TO_RUN_BYTES = 4L << 20;
  /** What the run before a fill of frames new to it fills: far more than a CPU's free lists and caches keep. */
  private static final long OTHER_RUN_BYTES = 64L << 20;
  private static final int RUN_TO_RUN_SAMPLES = 15;

  /**
   * A program's fill of {@link #RUN_TO_RUN_BYTES} as its first line, ns a page, in an executor started straight after
   * another whose program filled as many and ended ({@code fill_recent}: exit_mmap gave its frames to this CPU's free
   * lists, and rmqueue_pcplist hands back the page freed last first), and straight after one that filled 64 MiB
   * ({@code fill_new}: the frames taken are ones the lists and caches no longer hold). A diff's real runs of a program
   * after its first follow a run of it as the first does; the two differ by what the frames' being recent saves.
   * Timed through the executor's own start, exec and teardown, as the runs are, which leave the frames colder than a
   * process forked straight after the other would find them.
   */
  static List<Timing> runToRun() {
    double[] recent = new double[RUN_TO_RUN_SAMPLES];
    double[] fresh = new double[RUN_TO_RUN_SAMPLES];
    for (int k = 0; k < RUN_TO_RUN_SAMPLES; k++) {
      fill(RUN_TO_RUN_BYTES);
      recent[k] = fill(RUN_TO_RUN_BYTES);
      fill(OTHER_RUN_BYTES);
      fresh[k] = fill(RUN_TO_RUN_BYTES);
    }
    return List.of(Timing.of("fill_recent", recent), Timing.of("fill_new", fresh));
  }

  /** A new executor's program filling {@code bytes} it has just malloc()ed, ns a page; the executor ends after it. */
  private static double fill(long bytes) {
    try (Session s = start()) {
      succeeded(s.send("0 spawn"), "spawn");
      long addr = succeeded(s.send("0 malloc " + bytes), "malloc").value();
      return succeeded(s.send("0 fill " + addr + " " + bytes + " 1"), "fill").nanos() / (double) (bytes >> 12);
    }
  }

  private static Reply succeeded(Reply r, String command) {
    if (!r.ok()) {
      throw new IllegalStateException(String.format("the executor's %s failed with errno %d while timing a fill", command,
          r.errno()));
    }
    return r;
  }

  /** The swap file {@code upl-exec --calibrate} of process {@code pid} sets up where no swap is on (calibrate_swap). */
  static Path calibrationSwap(long pid) {
    return Path.of("/var/tmp", CALIBRATION_SWAP + pid);
  }

  /** How the name of a calibration's swap file begins; its process id follows (calibrate_swap). */
  private static final String CALIBRATION_SWAP = "upl-exec-calibrate-swap.";

  /**
   * Switches off and removes a calibration's swap file that its process, ended by a signal, left behind (through an
   * executor's {@code swapoff PATH}, where it is on); whether there was one.
   */
  static boolean removeCalibrationSwap(Path file) {
    try {
      if (Files.readString(Path.of("/proc/swaps")).contains(file + " ")) {
        try (Session s = start()) {
          Reply r = s.send("0 swapoff " + file);
          if (!r.ok()) {
            log.warn("a calibration's swap file {} is still on: swapoff failed with errno {}", file, r.errno());
            return false;
          }
        }
        return true;
      }
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("a calibration's swap file {} could not be removed: {}", file, e.getMessage());
      return false;
    }
  }

  /**
   * Removes the swap files of calibrations whose process is gone (a calibration ended by SIGKILL leaves its own on, and
   * this machine would look as if it had swap of its own): calibrate and diff call it before they look.
   */
  public static void removeStaleCalibrationSwap() {
    try (var files = Files.newDirectoryStream(Path.of("/var/tmp"), CALIBRATION_SWAP + "*")) {
      for (Path f : files) {
        if (leftByGoneProcess(f.getFileName().toString(), CALIBRATION_SWAP)) {
          removeCalibrationSwap(f);
        }
      }
    } catch (IOException | java.nio.file.DirectoryIteratorException e) {
      log.debug("no look for calibrations' swap files in /var/tmp: {}", e.toString());
    }
  }

  /**
   * Whether {@code name} is {@code prefix} and a process id, then nothing or "-" and more, and that process is gone: a
   * file or directory a process named after itself and did not live to remove.
   */
  public static boolean leftByGoneProcess(String name, String prefix) {
    if (!name.startsWith(prefix)) {
      return false;
    }
    String pid = name.substring(prefix.length()).split("-", 2)[0];
    return pid.matches("[0-9]{1,18}") && ProcessHandle.of(Long.parseLong(pid)).isEmpty();
  }

  /** The binary's path, or the Availability that says why there is none. */
  private static synchronized Object build() {
    if (built == null) {
      built = buildOnce();
    }
    return built;
  }

  private static Object buildOnce() {
    if (!System.getProperty("os.name", "").startsWith("Linux")) {
      return Availability.no("the native executor runs on Linux only; this is " + System.getProperty("os.name"));
    }
    byte[] source;
    try (InputStream in = NativeExecutor.class.getResourceAsStream(SOURCE)) {
      if (in == null) {
        return Availability.no("the executor's C source is missing from the jar");
      }
      source = in.readAllBytes();
    } catch (IOException e) {
      return Availability.no("cannot read the executor's C source: " + e.getMessage());
    }
    String cc = System.getenv().getOrDefault("CC", "cc");
    // Keyed by everything that makes the binary: a changed source, compiler or flag builds anew.
    Path binary = cacheDir().resolve("upl-exec-" + digest(source, cc, FLAGS));
    try {
      if (!Files.isExecutable(binary)) {
        Files.createDirectories(binary.getParent());
        Path src = Files.createTempFile(binary.getParent(), "upl-exec", ".c");
        Path tmp = Files.createTempFile(binary.getParent(), "upl-exec", ".bin");
        try {
          Files.write(src, source);
          List<String> command = new java.util.ArrayList<>(List.of(cc));
          command.addAll(FLAGS);
          command.addAll(List.of("-o", tmp.toString(), src.toString()));
          String failed = run(command);
          if (failed != null) {
            return Availability.no("the C compiler (" + cc + ") could not build the executor: " + failed);
          }
          Files.move(tmp, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          log.info("built the native executor at {}", binary);
          prune(binary.getParent(), KEPT_BUILDS);
        } finally {
          Files.deleteIfExists(src);
          Files.deleteIfExists(tmp);
        }
      }
      String probe = run(List.of(binary.toString(), "--probe"));
      return probe == null ? binary : Availability.no("io_uring is not available here: " + probe);
    } catch (IOException e) {
      return Availability.no("cannot build the executor in " + binary.getParent() + ": " + why(e)
          + "; set XDG_CACHE_HOME to a directory you may write (the executor is built into XDG_CACHE_HOME/userptr-lab, "
          + "else ~/.cache/userptr-lab)");
    }
  }

  /** An I/O failure as a person reads it: a file system's exceptions name only the file. */
  private static String why(IOException e) {
    String what = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
        : e instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
        : e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
        : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    return e instanceof java.nio.file.FileSystemException f && f.getFile() != null ? f.getFile() + ": " + what : what;
  }

  /** Executor binaries the cache keeps: each build of the lab with another source or compiler adds one. */
  static final int KEPT_BUILDS = 8;

  /** A built executor's name in the cache (see {@link #digest}), and nothing else there. */
  private static final java.util.regex.Pattern BUILT = java.util.regex.Pattern.compile("upl-exec-[0-9a-f]{16}");

  /**
   * Removes all but the {@code keep} newest executor binaries in {@code dir}, so that the cache does not grow with
   * every build of the lab; an older build of the lab whose binary went builds it again at its next use. What cannot
   * be removed stays.
   */
  static void prune(Path dir, int keep) {
    List<Path> built;
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      built = files.filter(f -> BUILT.matcher(f.getFileName().toString()).matches() && Files.isRegularFile(f))
          .sorted(java.util.Comparator.comparing(NativeExecutor::modified).reversed()).toList();
    } catch (IOException e) {
      log.debug("could not list {} to prune it: {}", dir, e.getMessage());
      return;
    }
    for (Path old : built.subList(Math.min(keep, built.size()), built.size())) {
      try {
        Files.deleteIfExists(old);
      } catch (IOException e) {
        log.debug("could not remove {}: {}", old, e.getMessage());
      }
    }
  }

  private static java.nio.file.attribute.FileTime modified(Path f) {
    try {
      return Files.getLastModifiedTime(f);
    } catch (IOException e) {
      return java.nio.file.attribute.FileTime.fromMillis(0);
    }
  }

  private static Path cacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("userptr-lab");
  }

  /** The binary's name in the cache: a digest of the source, the compiler's name and its flags. */
  static String digest(byte[] source, String cc, List<String> flags) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(source);
      d.update(("\0" + cc + "\0" + String.join("\0", flags)).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Runs a command; null if it exited 0, else the first line it printed (or why it could not run). */
  private static String run(List<String> command) {
    try {
      java.lang.Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "timed out";
      }
      return p.exitValue() == 0 ? null : output.isEmpty() ? "exit status " + p.exitValue() : output.lines().findFirst().orElse("");
    } catch (IOException e) {
      return command.get(0) + " not found (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
