package org.userptrlab.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
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
    header = "Times this machine's kernel on the primitives the cost model prices and writes its platform profile.",
    description = "The primitives, each timed on the real kernel through the native executor: faults, "
        + "MAP_POPULATE and the first touch of a page it populated, MAP_POPULATE over pages just freed (populate_warm), munmap, fork, COW, mprotect, MADV_DONTNEED, io_uring "
        + "pinning, vmsplice and a pipe emptied into /dev/null freeing the pages vmspliced into it (put_free), mlock, memcpy "
        + "and memset, the program's own writes and checks, a system call, a VMA made and freed, a memfd's pages written "
        + "(memfd_write) and truncated (memfd_truncate), a TLB shootdown, a disk file's writes, the executor's stand-in for a GPU's reads and writes, "
        + "MADV_PAGEOUT of pages it cannot take (with no swap on), swap out and in and the munmap of pages written out once "
        + "their writes ended (with "
        + "swap on, or as root), and as root a compaction of all memory, each after 16 MiB faulted in and freed as a "
        + "program compacts after its own work (compact_memory). The table names each primitive, the profile after it "
        + "says what each figure was derived from. It runs on the CPU diff runs the program's processes on (the last it may use), "
        + "and times memory new to it on frames the host backs: it writes and frees as many pages just before, as a program's "
        + "runs take frames freed a moment ago (a hypervisor that takes back a guest's free memory makes a frame left free for "
        + "seconds dear). It times a program's fill of 4 MiB through the executor too, as diff's runs are made, straight "
        + "after a run that filled as much and after one that filled 64 MiB (fill_recent, fill_new): a program's runs after "
        + "its first take the frames the run before freed. "
        + "It writes a platform profile "
        + "that compare, sweep, run and diff --timing take with --profile-file. It needs 1 GiB of memory available and holds "
        + "up to 600 MiB while it runs. As root, without swap on, it sets up a swap file in /var/tmp for the while and "
        + "removes it.")
final class CalibrateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--out", paramLabel = "FILE", defaultValue = "host-profile.json", description = "Where to write the profile "
      + "(default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--rounds", paramLabel = "N", defaultValue = "5", description = "At most N rounds in all (1 to " + MAX_ROUNDS
      + "; default ${DEFAULT-VALUE}): every primitive is timed in the first " + Calibration.ROUNDS_AT_LEAST + " (all N where N "
      + "is fewer), and the rounds after those go on only until each primitive it times is above zero and stable; each is the median of the rounds that timed it well, so that a round in a slow "
      + "minute of the machine's is outvoted (the table's round column says which round each is from). If one the profile "
      + "needs is still not stable, names it and exits 1 without writing the profile; one timed only where it can be (the "
      + "TLB shootdown, swap, a disk file's writes, compaction) takes the guest profile's figure, which its source and a line "
      + "on standard error say. A figure derived from them may be 0, its source says why.")
  String rounds;

  static final int MAX_ROUNDS = 20;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int maxRounds;
    try {
      maxRounds = Integer.parseInt(rounds.strip());
    } catch (NumberFormatException e) {
      maxRounds = -1;
    }
    if (maxRounds < 1 || maxRounds > MAX_ROUNDS) {
      err.println("userptr-lab: --rounds takes a whole number from 1 to " + MAX_ROUNDS + ", not '" + rounds + "'");
      return Cli.USAGE;
    }
    if (out.toString().isEmpty() || out.getFileName() == null) {
      err.println("userptr-lab: --out needs a file name, not '" + out + "'");
      return Cli.USAGE;
    }
    if (out.toString().equals("-")) {
      err.println("userptr-lab: --out - would be standard output; calibrate writes the profile to a file: give its name");
      return Cli.USAGE;
    }
    String given = spec.commandLine().getParseResult().hasMatchedOption("--out")
        ? spec.commandLine().getParseResult().matchedOption("--out").stringValues().get(0) : out.toString();
    if (given.endsWith("/")) {
      err.println("userptr-lab: --out " + given + " names a directory; give the profile's file name");
      return Cli.USAGE;
    }
    Path dir = out.toAbsolutePath().getParent();
    if (dir != null && java.nio.file.Files.exists(dir) && !java.nio.file.Files.isDirectory(dir)) {
      err.println("userptr-lab: --out " + out + ": " + dir + " is a file, not a directory; give another --out");
      return Cli.USAGE;
    }
    if (dir == null || !java.nio.file.Files.isDirectory(dir)) {
      err.println("userptr-lab: no directory " + dir + " to write " + out.getFileName() + " in; make it, or give another --out");
      return Cli.USAGE;
    }
    if (java.nio.file.Files.isDirectory(out)) {
      err.println("userptr-lab: --out " + out + " is a directory; give the profile's file name");
      return Cli.USAGE;
    }
    String refused = OutputDirectory.refusesNewEntries(dir);
    if (refused != null) {
      err.println("userptr-lab: cannot write " + out + ": " + dir + " " + refused);
      return Cli.USAGE;
    }
    if (java.nio.file.Files.exists(out)) {
      // An earlier profile is replaced; a file of the user's that is none is left as it is.
      try {
        ProfileFile.read(out);
      } catch (IllegalArgumentException | java.io.IOException e) {
        err.println("userptr-lab: --out " + out + " is a file that is not a profile; calibrate replaces only a profile: give "
            + "another --out or remove it");
        return Cli.USAGE;
      }
    }
    if (!Cli.executorHere("calibrate", err)) {
      return Cli.FAILURE;
    }
    List<List<Timing>> timed = new ArrayList<>();
    Calibration.Settled settled;
    try {
      do {
        timed.add(NativeExecutor.calibrate());
        settled = Calibration.settle(timed);
      } while ((!settled.ok() || timed.size() < Calibration.ROUNDS_AT_LEAST) && timed.size() < maxRounds);
    } catch (IllegalStateException | java.io.UncheckedIOException e) {
      err.println("userptr-lab: calibrate failed, no profile written: " + e.getMessage());
      return Cli.FAILURE;
    }
    String rounds = settled.rounds() + (settled.rounds() == 1 ? " round" : " rounds");
    String noisy = String.join("; ", settled.unreliable().stream().map(Object::toString).toList());
    if (!settled.ok() && !settled.onlyOptionalUnreliable()) {
      err.println("userptr-lab: calibrate: after " + rounds + " these figures are still unreliable, so no profile was written (a busy "
          + "machine distorts them; try again when it is quieter, or with more --rounds): " + noisy);
      return Cli.FAILURE;
    }
    if (!settled.ok()) {
      // A figure the executor times only where it can: the guest's stands in, as where it cannot, and the profile says why.
      err.println("userptr-lab: calibrate: after " + rounds + " these figures are still unreliable, so the profile takes the "
          + "guest's for them (a busy machine distorts them; calibrate again when it is quieter for them too): " + noisy);
    }
    PlatformProfile p;
    String kernel = System.getProperty("os.version");
    String cpu = Calibration.cpu();
    LocalDate day = LocalDate.now();
    try {
      p = Calibration.profile(settled.chosen(), kernel, cpu, Calibration.Caches.here(), day, settled.noisy());
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("userptr-lab: calibrate failed, no profile written: " + e.getMessage());
      return Cli.FAILURE;
    }
    try {
      ProfileFile.write(p, out);
    } catch (IOException e) {
      err.println("userptr-lab: cannot write " + out + ": " + e.getMessage());
      return Cli.FAILURE;
    }
    o.println("primitive             median       p10       p90  unit      samples  round");
    for (int i = 0; i < settled.chosen().size(); i++) {
      Timing t = settled.chosen().get(i);
      // A bandwidth below 10 B/ns keeps three decimals: the stand-in for a GPU is a fraction of one.
      String f = t.median() < 10 ? "%9.3f" : "%9.1f";
      o.printf(Locale.ROOT, "%-18s " + f + " " + f + " " + f + "  %-8s %7d  %5d%n", t.name(), t.median(), t.p10(), t.p90(),
          Calibration.unit(t.name()), t.samples(), settled.round().get(i));
    }
    o.println(rounds + ". Of the rounds that timed a primitive well, its line is the one whose median is the middle of theirs "
        + "(the round column): that round's median, 10th and 90th percentiles over its samples (15 a round; 5 for the _dram "
        + "ones, which copy 256 MiB each), in ns a page, or a call for " + String.join(", ", PER_CALL) + ", or in bytes a ns.");
    o.println();
    printProfile(o, p, Calibration.where(kernel, cpu, day));
    o.println("wrote " + out);
    o.flush();
    return 0;
  }

  /** The primitives calibrate times a call of, where the others are timed a page (or in bytes a ns). */
  static final List<String> PER_CALL = List.of("fork", "syscall", "mmap_munmap", "mprotect_one", "shootdown", "gpu_stand_in_4k",
      "compact_memory");

  /**
   * The profile's figures, a line each, their sources without {@code where} ("on Linux KERNEL, CPU, DAY"), which the
   * header says once: the file keeps it in each source, where a figure travels alone.
   */
  static void printProfile(PrintWriter o, PlatformProfile p, String where) {
    o.println("profile " + p.name() + ": " + p.description() + " (each figure's source below leaves out '" + where
        + "', which the file keeps)");
    for (Parameter q : Parameter.values()) {
      Figure f = p.figures().get(q);
      o.printf(Locale.ROOT, "  %-16s %10s %-5s %s%n", q, q.unit() == Parameter.Unit.BYTES ? String.format(Locale.ROOT, "%.0f",
          f.value()) : Calibration.figure(f.value()), q.unit().symbol(), f.source().replace(" " + where, ""));
    }
  }
}
