package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.userptrlab.lab.explore.ExploreReport;
import org.userptrlab.lab.explore.ExploreResult;

/**
 * {@code merge} takes only a whole set of finished shards, never writes into an input, and gives
 * what one machine would have given.
 */
class MergeCommandTest {
  @TempDir
  static Path dir;
  static Path one;
  static Path two;
  static Path three;
  static String whole;

  static String[] shard(String k, Path out) {
    return CliTest.with(ExploreCommandTest.SMALL, "--shard", k, "--out", out.toString());
  }

  @BeforeAll
  static void explore() {
    one = dir.resolve("one");
    two = dir.resolve("two");
    three = dir.resolve("three");
    for (String[] args : new String[][] {shard("1/3", one), shard("2/3", two), shard("3/3", three)}) {
      CliTest.Result r = CliTest.run(args);
      assertThat(r.code()).as(r.err()).isZero();
    }
    whole = CliTest.run(ExploreCommandTest.SMALL).out();
  }

  static CliTest.Result merge(Object... args) {
    return CliTest.run(java.util.Arrays.stream(args).map(Object::toString).toArray(String[]::new));
  }

  static void refused(CliTest.Result r, String expected) {
    assertThat(r.code()).as(r.err()).isEqualTo(Cli.USAGE);
    assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).startsWith("userptr-lab: merge: ").contains(expected);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void theWholeSetMergesToOneResultWhateverTheOrderWithEveryShardsCorpus() throws Exception {
    Path out = dir.resolve("merged");
    CliTest.Result r = merge("merge", three, one, two, "--out", out);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(merge("merge", one, two, three).out()).isEqualTo(r.out());
    ExploreResult merged = ExploreReport.read(out);
    assertThat(merged.shards()).containsExactly(1, 2, 3);
    assertThat(merged.programs()).isEqualTo(ExploreReport.read(one).programs() + ExploreReport.read(two).programs()
        + ExploreReport.read(three).programs());
    // Each shard evolves a corpus of its own; the merge keeps them all, for a later run's --corpus.
    for (Path part : List.of(one, two, three)) {
      assertThat(merged.corpus()).containsAll(ExploreReport.read(part).corpus());
    }
    assertThat(whole).startsWith("explored 8 programs (seed 1)");
  }

  @Test
  void halfASetIsRefusedNamingTheMissingShard() {
    refused(merge("merge", one, three), "shard 2/3 is missing");
  }

  @Test
  void aRepeatedShardIsRefusedNamingBothDirectories() {
    refused(merge("merge", one, two, one, three), "shard 1/3 is given twice, in " + one + " and in " + one);
  }

  @Test
  void aShardOfAnotherRunIsRefusedNamingIt() {
    Path other = dir.resolve("other");
    assertThat(CliTest.run(CliTest.with(shard("2/3", other), "--seed", "2")).code()).isZero();
    refused(merge("merge", one, other, three), other + " is of another run than " + one + " (seed 2, 8 programs in 3 shards, not seed 1");
  }

  @Test
  void aShardRunWithOtherOptionsIsRefusedNamingTheOption() {
    Path other = dir.resolve("two-cpus");
    assertThat(CliTest.run(CliTest.with(shard("2/3", other), "--cpus", "2")).code()).isZero();
    refused(merge("merge", one, other, three), other + " is of another run than " + one + " (--cpus 2, not 4)");
    // The default spelled out is the same run.
    Path spelled = dir.resolve("i915");
    assertThat(CliTest.run(CliTest.with(shard("2/3", spelled), "--notifier-policy", "i915")).code()).isZero();
    assertThat(merge("merge", one, spelled, three).code()).isZero();
  }

  @Test
  void anOutputOverAnInputIsRefusedAndTheInputKept() throws Exception {
    String before = Files.readString(two.resolve(ExploreReport.FILE));
    refused(merge("merge", one, two, three, "--out", two), "--out " + two + " would overwrite the input " + two);
    refused(merge("merge", one, two, three, "--out", dir.resolve("two/../two")), "would overwrite the input");
    refused(merge("merge", one, two, three, "--out", two.resolve("inside")), "would overwrite the input");
    assertThat(Files.readString(two.resolve(ExploreReport.FILE))).isEqualTo(before);
    assertThat(two.resolve("inside")).doesNotExist();
  }

  @Test
  void aDirectoryThatIsNotAFinishedOutputIsRefused() throws Exception {
    Path partial = Files.createDirectories(dir.resolve("partial"));
    try (var files = Files.list(two)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".scenario")).toList()) {
        Files.copy(f, partial.resolve(f.getFileName()));
      }
    }
    refused(merge("merge", one, partial, three), partial + " holds no explore.json, so it is not a finished explore output");
  }
}
