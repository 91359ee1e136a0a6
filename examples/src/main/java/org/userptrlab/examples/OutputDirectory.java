package org.userptrlab.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.userptrlab.lab.report.Document;

/**
 * A directory of output files ({@code --out}, {@code --svg}) that a reader never sees half-written:
 * the files go into a fresh directory beside it, in order (the one that marks the output whole,
 * such as {@code explore.json}, last), which is then renamed into its place, replacing an earlier
 * output whole. A failed write (a full disk) removes what it wrote. Files are created as any tool
 * creates them, 0666 less the umask. A {@code kill -9} leaves the old directory or the new one, or
 * (in the instant between the two renames of a replacement) none, the old one then kept beside it;
 * never a mix. The next write into the same place first puts such an old output back and removes
 * what a killed run left beside it.
 */
final class OutputDirectory {
  /** Writes one file; a test puts a failing one in its place to stand for a full disk. */
  interface Sink {
    void write(Path file, byte[] bytes) throws IOException;
  }

  /** Creates the file with the default permissions (0666 less the umask), as any tool does. */
  static final Sink FILES = (file, bytes) -> Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

  /**
   * The names of the files the commands write: a directory holding anything else is the user's,
   * and is not replaced.
   */
  static final Pattern OURS = Pattern.compile("report\\.[a-z]+|junit[a-z0-9-]*\\.xml|explore\\.json|[^/]+\\.(csv|svg|scenario)");

  /**
   * A point of the writing at which a test holds the process, to kill it there: {@code file-K}
   * (after the K-th file), {@code moved-aside} (the old output renamed away, the new not yet in
   * place), {@code renamed} (the new in place, the old not yet deleted). Unset: no such point.
   */
  static final String HALT_AT = System.getProperty("userptr-lab.test.halt-at", "");

  private final String option;
  private final Path target;
  private final Sink sink;

  OutputDirectory(String option, Path target, Sink sink) {
    this.option = option;
    this.target = target;
    this.sink = sink;
  }

  /** The directory {@code option} names, checked before any work: refused with a {@link BadValue} when it cannot be written. */
  static OutputDirectory of(String option, Path target) {
    Path dir = target.toAbsolutePath().normalize();
    if (!target.toString().isEmpty() && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
        && Files.exists(dir.resolve(EXPLORE_RUN), LinkOption.NOFOLLOW_LINKS)) {
      throw new BadValue(option + " " + target + " holds an explore run (" + EXPLORE_RUN + "), which only explore and merge "
          + "replace: give another directory");
    }
    return ofExploreRun(option, target);
  }

  /** The directory of an explore run ({@code explore}, {@code merge}), which may replace an earlier explore run. */
  static OutputDirectory ofExploreRun(String option, Path target) {
    OutputDirectory d = new OutputDirectory(option, target, FILES);
    d.check();
    return d;
  }

  /** The file that marks an output directory as an explore run's. */
  static final String EXPLORE_RUN = "explore.json";

  Path path() {
    return target;
  }

  /** Whether writing this output (which replaces it whole) would touch {@code input}: the same, or one inside the other. */
  boolean overlaps(Path input) {
    return holds(input) || CommonOptions.sameFile(target).startsWith(CommonOptions.sameFile(input));
  }

  /** Whether replacing this output would remove {@code input}: it is the output, or inside it. */
  boolean holds(Path input) {
    return CommonOptions.sameFile(input).startsWith(CommonOptions.sameFile(target));
  }

  /** The absolute, normalized path, to compare one output with another or with an input. */
  Path absolute() {
    return target.toAbsolutePath().normalize();
  }

  /** Refuses a target that cannot be written or must not be replaced; writes nothing. */
  void check() {
    if (target.toString().isEmpty()) {
      throw new BadValue(option + " needs a directory name, not ''");
    }
    if (target.toString().equals("-")) {
      throw new BadValue(option + " names a directory to write; '-' is not standard output here: leave " + option
          + " out to print the report");
    }
    Path abs = absolute();
    Path cwd = Path.of("").toAbsolutePath().normalize();
    if (abs.getParent() == null || cwd.startsWith(abs)) {
      throw new BadValue(option + " " + target + " is the current directory or holds it; the output replaces its directory whole, "
          + "so give a new or an empty one");
    }
    if (Files.isSymbolicLink(abs)) {
      throw new BadValue(option + " " + target + " is a symbolic link; give the directory itself");
    }
    if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(abs)) {
        throw new BadValue("cannot create the directory " + target + ": a file of that name is in the way");
      }
      String foreign = foreign(abs);
      if (foreign != null) {
        throw new BadValue(option + " " + target + " holds " + foreign + ", which userptr-lab does not write; the output replaces "
            + "its directory whole, so give a new or an empty one");
      }
    }
    Path ancestor = abs.getParent();
    while (!Files.exists(ancestor)) {
      ancestor = ancestor.getParent();
    }
    if (!Files.isDirectory(ancestor)) {
      throw new BadValue("cannot create the directory " + target + ": " + ancestor + " is a file");
    }
    if (!Files.isWritable(ancestor)) {
      throw new BadValue("cannot create the directory " + target + ": " + ancestor + " is not writable");
    }
    String refused = refusesNewEntries(ancestor);
    if (refused != null) {
      throw new BadValue("cannot create the directory " + target + ": " + ancestor + " " + refused);
    }
  }

  /**
   * Whether {@code dir} takes a new entry, tried for real and undone at once: permission bits do not
   * tell (root may write everywhere they allow, yet /proc and /sys take nothing, and a read-only
   * mount refuses). Null when it takes one; otherwise why not, to follow the directory's name.
   */
  static String refusesNewEntries(Path dir) {
    try {
      Files.delete(fresh(dir, ".userptr-lab-probe-"));
      return null;
    } catch (java.nio.file.AccessDeniedException e) {
      return "refuses new entries (permission denied)";
    } catch (java.nio.file.NoSuchFileException e) {
      return "takes no new entries (it is not an ordinary file system)";
    } catch (FileSystemException e) {
      return "refuses new entries (" + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()) + ")";
    } catch (IOException e) {
      return "refuses new entries (" + e.getMessage() + ")";
    }
  }

  /**
   * A program file the commands wrote: explore's corpus (corpus-NNNNN.scenario), or a minimal program (its first line
   * says so). A user's own programs have the same extension, and are theirs.
   */
  private static boolean written(Path p) {
    try {
      return org.userptrlab.lab.explore.ExploreReport.wroteProgram(p.getFileName().toString(), () -> {
        try (java.io.BufferedReader r = Files.newBufferedReader(p)) {
          return r.readLine();
        }
      });
    } catch (IOException e) {
      return false;
    }
  }


  /** The first entry of {@code dir} that is not a file the commands write, or null. */
  private static String foreign(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(p -> !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || !OURS.matcher(p.getFileName().toString()).matches()
          || !written(p)).map(p -> p.getFileName().toString()).sorted().findFirst().orElse(null);
    } catch (IOException e) {
      return "what it holds unreadable (" + e.getMessage() + ")";
    }
  }

  /**
   * Writes {@code docs} in their order into a fresh directory beside the target and renames it into
   * the target's place, then says on {@code err} what it wrote. On a failure nothing is left behind
   * and the message names the file.
   */
  void write(List<Document> docs, PrintWriter err) throws IOException {
    Path abs = absolute();
    Path parent = abs.getParent();
    Files.createDirectories(parent);
    recover(abs);
    Path staging = fresh(parent, "." + abs.getFileName() + ".partial-");
    try {
      for (int i = 0; i < docs.size(); i++) {
        Document d = docs.get(i);
        try {
          sink.write(staging.resolve(d.name()), d.content().getBytes(StandardCharsets.UTF_8));
        } catch (FileSystemException e) {
          throw new IOException("cannot write " + target.resolve(d.name()) + ": " + (e.getReason() != null ? e.getReason() : e.getMessage()),
              e);
        } catch (IOException e) {
          throw new IOException("cannot write " + target.resolve(d.name()) + ": " + e.getMessage(), e);
        }
        reached("file-" + (i + 1));
      }
      replace(abs, staging);
    } catch (IOException | RuntimeException e) {
      delete(staging);
      throw e;
    }
    for (Document d : docs) {
      err.println("wrote " + target.resolve(d.name()));
    }
  }

  /** Puts {@code staging} in the place of {@code abs}: one rename, or two when an earlier output is there. */
  private void replace(Path abs, Path staging) throws IOException {
    if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
      Files.move(staging, abs, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    String foreign = Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS) ? foreign(abs) : abs.getFileName().toString();
    if (foreign != null) {
      throw new IOException(target + " changed during the run (it holds " + foreign + " now); it is left as it is");
    }
    Path old = fresh(abs.getParent(), "." + abs.getFileName() + ".old-");
    Files.delete(old);
    Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
    reached("moved-aside");
    try {
      Files.move(staging, abs, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.move(old, abs, StandardCopyOption.ATOMIC_MOVE);
      throw e;
    }
    reached("renamed");
    delete(old);
  }

  /**
   * What a run killed while writing here left beside the target: a staging directory, and an old
   * output moved aside (put back when the target is missing, removed when it is there).
   */
  private static void recover(Path abs) throws IOException {
    String name = abs.getFileName().toString();
    List<Path> partial = new ArrayList<>();
    List<Path> old = new ArrayList<>();
    try (Stream<Path> entries = Files.list(abs.getParent())) {
      for (Path p : entries.toList()) {
        String n = p.getFileName().toString();
        if (n.startsWith("." + name + ".partial-") && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          partial.add(p);
        } else if (n.startsWith("." + name + ".old-") && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          old.add(p);
        }
      }
    }
    if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && old.size() == 1) {
      Files.move(old.remove(0), abs, StandardCopyOption.ATOMIC_MOVE);
    }
    partial.forEach(OutputDirectory::delete);
    old.forEach(OutputDirectory::delete);
  }

  /** Holds the process at {@code point} if a test asked for it (see {@link #HALT_AT}), saying so on standard error. */
  private static void reached(String point) {
    if (point.equals(HALT_AT)) {
      System.err.println("userptr-lab: halted at " + point);
      System.err.flush();
      try {
        new java.util.concurrent.CountDownLatch(1).await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A new empty directory {@code prefix + random} in {@code parent}, with the default permissions (not createTempDirectory's 0700). */
  private static Path fresh(Path parent, String prefix) throws IOException {
    while (true) {
      Path p = parent.resolve(prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
      try {
        return Files.createDirectory(p);
      } catch (FileAlreadyExistsException e) {
        // another name
      }
    }
  }

  /** Deletes a flat directory of files, as far as it can: a cleanup must not hide the failure it follows. */
  private static void delete(Path dir) {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      entries.forEach(files::add);
    } catch (IOException e) {
      return;
    }
    for (Path f : files) {
      try {
        Files.deleteIfExists(f);
      } catch (IOException e) {
        // left, as said above
      }
    }
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // left, as said above
    }
  }
}
