package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code explore} killed with {@code kill -9} (a real process, {@link Process#destroyForcibly()})
 * while it writes its output, at each kind of point of the writing: after a file, after the last, between the two
 * renames that replace an earlier output, after the new one is in place. What is left is, at the
 * target, the old output or the new one, whole, or nothing; and {@code merge} never accepts a
 * partial directory. The process is held at each point by a test-only system property and killed
 * once it says it is there: no sleeps, no timing.
 */
class ExploreKillTest {
  static final String[] RUN = {"explore", "--programs", "12", "--strategies", "backed-pin,mlock", "--kernels", "6.12"};

  @TempDir
  static Path dir;
  static Path one;
  static Map<String, String> oldTwo;
  static Map<String, String> newTwo;
  static String merged;

  static String[] shard(String k, Path out, String... more) {
    List<String> args = new ArrayList<>(List.of(CliTest.with(RUN, "--shard", k, "--out", out.toString())));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  /** Every file of a directory and its content; empty when the directory is absent. */
  static Map<String, String> contents(Path d) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    if (!Files.exists(d)) {
      return out;
    }
    try (Stream<Path> files = Files.list(d)) {
      for (Path f : files.sorted().toList()) {
        out.put(f.getFileName().toString(), Files.readString(f));
      }
    }
    return out;
  }

  @BeforeAll
  static void explore() throws Exception {
    one = dir.resolve("one");
    assertThat(CliTest.run(shard("1/2", one)).code()).isZero();
    Path old = dir.resolve("old-two");
    assertThat(CliTest.run(shard("2/2", old)).code()).isZero();
    oldTwo = contents(old);
    Path fresh = dir.resolve("new-two");
    assertThat(CliTest.run(shard("2/2", fresh, "--seed", "2")).code()).isZero();
    newTwo = contents(fresh);
    assertThat(newTwo).as("the new output differs from the old").isNotEqualTo(oldTwo);
    assertThat(newTwo.size()).as("several files, so that a kill can fall between them").isGreaterThanOrEqualTo(3);
    merged = CliTest.run("merge", one.toString(), old.toString()).out();
    assertThat(merged).startsWith("explored 12 programs");
  }

  /** Runs explore in a process of its own, held at {@code point}, then kills it with SIGKILL. */
  static void killAt(String point, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-Duserptr-lab.test.halt-at=" + point, "-cp", System.getProperty("java.class.path"),
        Cli.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    StringBuilder said = new StringBuilder();
    try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line = err.readLine(); line != null; line = err.readLine()) {
        said.append(line).append('\n');
        if (line.equals("userptr-lab: halted at " + point)) {
          break;
        }
      }
      assertThat(said.toString()).as("the process reached %s", point).endsWith("userptr-lab: halted at " + point + "\n");
      p.destroyForcibly();
      assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    }
    assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
  }

  /** The directories the writer left beside the target (its staging directory, the old output moved aside). */
  static List<Path> leftBeside(String target) throws IOException {
    try (Stream<Path> all = Files.list(dir)) {
      return all.filter(p -> p.getFileName().toString().startsWith("." + target + ".")).sorted().toList();
    }
  }

  static void cleanUp(String target) throws IOException {
    for (Path d : leftBeside(target)) {
      try (Stream<Path> files = Files.list(d)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(d);
    }
  }

  /** merge on what is left: the target only if whole, never a partial directory beside it. */
  static void mergeNeverAcceptsAPartialDirectory(Path target, Map<String, String> now) throws IOException {
    CliTest.Result r = CliTest.run("merge", one.toString(), target.toString());
    if (now.equals(oldTwo)) {
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).isEqualTo(merged);
    } else {
      // Absent, or the new output of another seed: whole, but not of the same run as shard 1.
      assertThat(r.code()).as(r.err()).isEqualTo(Cli.USAGE);
      assertThat(r.err().lines().count()).isEqualTo(1);
    }
    for (Path left : leftBeside(target.getFileName().toString())) {
      CliTest.Result partial = CliTest.run("merge", one.toString(), left.toString());
      Map<String, String> there = contents(left);
      if (there.equals(oldTwo)) {
        // The old output, whole, moved aside for the instant between the two renames.
        assertThat(partial.code()).as(partial.err()).isZero();
      } else {
        assertThat(partial.code()).as("%s: %s", left, there.keySet()).isEqualTo(Cli.USAGE);
        assertThat(partial.err()).startsWith("userptr-lab: merge: ").contains(left.toString());
        assertThat(partial.out()).isEmpty();
        if (!there.equals(newTwo)) {
          assertThat(partial.err()).contains("not a finished explore output");
        }
      }
    }
  }

  @Test
  void killedWhileReplacingAnEarlierOutputItLeavesTheOldOrTheNewWhole() throws Exception {
    Path two = dir.resolve("two");
    // A kill after any file but the last leaves the same kind of staging directory, a part of the
    // output; the first and the one before the last stand for them all (each kill is a JVM's start).
    int n = newTwo.size();
    List<String> points = List.of("file-1", "file-" + (n - 1), "file-" + n, "moved-aside", "renamed");
    List<Map<String, String>> seen = new ArrayList<>();
    for (String point : points) {
      cleanUp("two");
      assertThat(CliTest.run(shard("2/2", two)).code()).isZero();
      assertThat(contents(two)).isEqualTo(oldTwo);
      killAt(point, shard("2/2", two, "--seed", "2"));
      Map<String, String> now = contents(two);
      seen.add(now);
      assertThat(List.of(oldTwo, newTwo, Map.<String, String>of())).as("after a kill at %s", point).contains(now);
      assertThat(leftBeside("two")).as("after a kill at %s", point).isNotEmpty();
      mergeNeverAcceptsAPartialDirectory(two, now);
      // The next run into the same place clears what the kill left and writes its output whole.
      assertThat(CliTest.run(shard("2/2", two, "--seed", "2")).code()).isZero();
      assertThat(contents(two)).as("rerun after a kill at %s", point).isEqualTo(newTwo);
      assertThat(leftBeside("two")).as("rerun after a kill at %s", point).isEmpty();
    }
    assertThat(seen).as("the kills fell before, between and after the renames").contains(oldTwo, Map.of(), newTwo);
  }

  @Test
  void killedWhileWritingAFirstOutputItLeavesNothingAtTheTarget() throws Exception {
    Path three = dir.resolve("three");
    for (String point : List.of("file-1", "file-" + newTwo.size())) {
      cleanUp("three");
      killAt(point, shard("2/2", three, "--seed", "2"));
      assertThat(three).as("after a kill at %s", point).doesNotExist();
      mergeNeverAcceptsAPartialDirectory(three, Map.of());
      assertThat(CliTest.run("merge", one.toString(), three.toString()).err()).contains(three + " does not exist");
    }
  }
}
