package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.userptrlab.lab.report.Document;

/**
 * An output directory is whole or absent: a failed write (a full disk, injected) names the file and
 * leaves nothing, neither a temporary file nor the staging directory, and keeps the earlier output;
 * a rerun replaces the earlier output whole; files get the permissions any tool gives them.
 */
class OutputDirectoryTest {
  /** The first line explore writes in a minimal program: what makes a .scenario file the lab's to replace. */
  static final String MARK = "# HAZARD X under copy on 6.12: the smallest program found, from program 0 of the run.\n";
  static final String OLD_A = MARK + "old a\n";
  static final String NEW_A = MARK + "new a\n";
  static final List<Document> OLD = List.of(new Document("a.scenario", OLD_A), new Document("stale.scenario", MARK + "old\n"),
      new Document("explore.json", "{}\n"));
  static final List<Document> NEW = List.of(new Document("a.scenario", NEW_A), new Document("explore.json", "{ }\n"));

  static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }

  static OutputDirectory dir(Path target, OutputDirectory.Sink sink) {
    OutputDirectory d = new OutputDirectory("--out", target, sink);
    d.check();
    return d;
  }

  @Test
  void aFullDiskNamesTheFileAndLeavesTheOldOutputAndNothingElse(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    dir(out, OutputDirectory.FILES).write(OLD, new PrintWriter(new StringWriter()));
    List<String> before = listing(tmp);
    List<Path> tried = new ArrayList<>();
    OutputDirectory.Sink full = (file, bytes) -> {
      tried.add(file);
      if (tried.size() == 2) {
        Files.write(file, new byte[] {'{'});
        throw new FileSystemException(file.toString(), null, "No space left on device");
      }
      OutputDirectory.FILES.write(file, bytes);
    };
    StringWriter err = new StringWriter();
    assertThatThrownBy(() -> dir(out, full).write(NEW, new PrintWriter(err))).isInstanceOf(IOException.class)
        .hasMessage("cannot write " + out.resolve("explore.json") + ": No space left on device");
    assertThat(tried).hasSize(2);
    assertThat(listing(tmp)).as("the old output, whole, and nothing beside it").isEqualTo(before);
    assertThat(Files.readString(out.resolve("a.scenario"))).isEqualTo(OLD_A);
    assertThat(err.toString()).as("nothing said to be written").isEmpty();
  }

  /** A kill between the two renames of a replacement left the old output beside the missing target, and a staging directory. */
  @Test
  void theNextWritePutsBackAnOldOutputAKilledRunMovedAsideAndClearsWhatItLeft(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    dir(out, OutputDirectory.FILES).write(OLD, new PrintWriter(new StringWriter()));
    List<String> whole = listing(out);
    Files.move(out, tmp.resolve(".out.old-1f"));
    Files.createDirectory(tmp.resolve(".out.partial-2e"));
    Files.writeString(tmp.resolve(".out.partial-2e/a.scenario"), "half");
    OutputDirectory.Sink full = (file, bytes) -> {
      throw new FileSystemException(file.toString(), null, "No space left on device");
    };
    assertThatThrownBy(() -> dir(out, full).write(NEW, new PrintWriter(new StringWriter()))).isInstanceOf(IOException.class);
    assertThat(listing(tmp)).as("the old output back in its place, nothing beside it").isEqualTo(expected(whole));
    assertThat(Files.readString(out.resolve("a.scenario"))).isEqualTo(OLD_A);
  }

  private static List<String> expected(List<String> whole) {
    List<String> out = new ArrayList<>(List.of("", "out"));
    whole.stream().filter(f -> !f.isEmpty()).map(f -> "out/" + f).forEach(out::add);
    return out.stream().sorted().toList();
  }

  @Test
  void aRerunReplacesTheOldOutputWhole(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    dir(out, OutputDirectory.FILES).write(OLD, new PrintWriter(new StringWriter()));
    StringWriter err = new StringWriter();
    dir(out, OutputDirectory.FILES).write(NEW, new PrintWriter(err));
    assertThat(listing(tmp)).containsExactly("", "out", "out/a.scenario", "out/explore.json");
    assertThat(Files.readString(out.resolve("a.scenario"))).isEqualTo(NEW_A);
    assertThat(err.toString().lines()).containsExactly("wrote " + out.resolve("a.scenario"), "wrote " + out.resolve("explore.json"));
  }

  @Test
  void aDirectoryHoldingFilesOfTheUsersIsNotReplaced(@TempDir Path tmp) throws IOException {
    Files.writeString(tmp.resolve("notes.txt"), "mine");
    assertThatThrownBy(() -> OutputDirectory.of("--out", tmp)).isInstanceOf(BadValue.class)
        .hasMessageContaining("holds notes.txt, which userptr-lab does not write");
    assertThatThrownBy(() -> OutputDirectory.of("--svg", Path.of(""))).isInstanceOf(BadValue.class)
        .hasMessage("--svg needs a directory name, not ''");
    assertThatThrownBy(() -> OutputDirectory.of("--out", Path.of("."))).isInstanceOf(BadValue.class)
        .hasMessageContaining("is the current directory or holds it");
    assertThat(listing(tmp)).containsExactly("", "notes.txt");
  }

  @Test
  void aFailedReplacementChecksTheTargetAgainAndLeavesAUsersFileAlone(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("out");
    OutputDirectory d = dir(out, OutputDirectory.FILES);
    Files.createDirectories(out);
    // The user put a file there while the command ran.
    Files.writeString(out.resolve("notes.txt"), "mine");
    assertThatThrownBy(() -> d.write(NEW, new PrintWriter(new StringWriter()))).isInstanceOf(IOException.class)
        .hasMessageContaining("changed during the run");
    assertThat(listing(tmp)).containsExactly("", "out", "out/notes.txt");
  }

  /** Created under a umask of 022, files are rw-r--r-- and directories rwxr-xr-x, not createTempFile's 0600. */
  @Test
  void filesAreCreatedAsAnyToolCreatesThem(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("report");
    Path explore = tmp.resolve("explore");
    for (String[] args : new String[][] {CliTest.with(CliTest.SMALL_SWEEP, "--format", "csv", "--out", out.toString()),
        CliTest.with(ExploreCommandTest.SMALL, "--out", explore.toString())}) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd = new ArrayList<>(List.of("sh", "-c", "umask 022 && exec \"$0\" \"$@\"", java, "-XX:TieredStopAtLevel=1", "-cp",
          System.getProperty("java.class.path"), Cli.class.getName()));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(p.exitValue()).isZero();
    }
    for (Path d : List.of(out, explore)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).isEqualTo("rwxr-xr-x");
      try (Stream<Path> files = Files.list(d)) {
        List<Path> all = files.toList();
        assertThat(all).isNotEmpty();
        for (Path f : all) {
          assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as("%s", f).isEqualTo("rw-r--r--");
        }
      }
    }
  }
}
