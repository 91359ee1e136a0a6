package org.userptrlab.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.lab.explore.Deadline;
import org.userptrlab.lab.explore.ExploreReport;
import org.userptrlab.lab.explore.ExploreResult;
import org.userptrlab.lab.explore.Explorer;
import org.userptrlab.lab.report.Document;
import org.userptrlab.mm.KernelConfig;

/**
 * The Spark job gives the single-machine explorer's result byte for byte: its summary, its minimal
 * programs, its corpus and its coverage, whatever the partitions, and when Spark has to run a task
 * again.
 */
class SparkExplorerTest {
  static final List<KernelConfig> KERNELS = List.of(KernelConfig.LINUX_3_4, KernelConfig.LINUX_6_12);
  /** A strategy of each kind (a pin, a notifier mirror, mlock, a copy): the result has findings of each, in less time than all seven. */
  static final List<String> STRATEGIES = List.of("backed-pin", "backed-notifier", "mlock", "copy");
  /** Three rounds (64, 64 and 32 programs), so that the corpus grows between them. */
  static final long PROGRAMS = 160;
  static final long SEED = 5;
  static List<Document> plain;

  @BeforeAll
  static void exploreOnOneMachine() {
    LabOptions options = LabOptions.builder().strategies(STRATEGIES).kernels(KERNELS).build();
    ExploreResult r = new Explorer(new Comparison(options), STRATEGIES, KERNELS).run(SEED, PROGRAMS, 1, 1, n -> { });
    assertThat(r.findings()).as("a run that finds nothing would compare nothing").hasSizeGreaterThan(10);
    assertThat(r.kept()).as("explored programs kept between rounds").isPositive();
    plain = ExploreReport.files(r);
  }

  private static SparkExplorer.Builder job(String master) {
    return SparkExplorer.builder().master(master).strategies(STRATEGIES).kernels(KERNELS);
  }

  @ParameterizedTest(name = "{0} partitions")
  @ValueSource(ints = {1, 8})
  void theJobWritesWhatOneMachineWrites(int partitions) {
    ExploreResult r = job("local[2]").partitions(partitions).build().run(SEED, PROGRAMS, n -> { }, Deadline.NONE);
    assertThat(ExploreReport.files(r)).containsExactlyElementsOf(plain);
  }

  /** Counts the faults injected: tasks run in this JVM in local mode. */
  static final AtomicInteger FAILED = new AtomicInteger();

  @Test
  void aTaskThatFailsOnceIsRunAgainAndTheResultIsTheSame() {
    FAILED.set(0);
    // local[2,4]: two cores, and a task tried up to four times, as on a cluster.
    ExploreResult r = job("local[2,4]").partitions(4).fault((stage, partition, attempt) -> {
      if (stage.equals("round 64") && partition == 1 && attempt == 0) {
        FAILED.incrementAndGet();
        throw new IllegalStateException("an executor lost, as a test has it");
      }
    }).build().run(SEED, PROGRAMS, n -> { }, Deadline.NONE);
    assertThat(FAILED).as("the fault fired once").hasValue(1);
    assertThat(ExploreReport.files(r)).containsExactlyElementsOf(plain);
  }

  @Test
  void theOutputGoesToAHadoopFileSystemDirectoryAndReadsBackAsExploreWroteIt(@TempDir Path tmp) throws IOException {
    ExploreResult r = job("local[2]").build().run(SEED, 8, n -> { }, Deadline.NONE);
    Path dir = tmp.resolve("found");
    HadoopOutput.write(dir.toUri(), ExploreReport.files(r), new Configuration());
    for (Document d : ExploreReport.files(r)) {
      assertThat(Files.readString(dir.resolve(d.name()), StandardCharsets.UTF_8)).as(d.name()).isEqualTo(d.content());
    }
    assertThat(ExploreReport.read(dir)).isEqualTo(r);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).as("explore's files alone: no checksum files beside them")
          .containsExactlyInAnyOrderElementsOf(ExploreReport.files(r).stream().map(Document::name).toList());
    }
    // A second run replaces an output of explore whole.
    HadoopOutput.write(dir.toUri(), ExploreReport.files(r), new Configuration());
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("found");
    }
  }

  @Test
  void aDirectoryOfTheUsersIsRefusedAndLeftAsItWas(@TempDir Path tmp) throws IOException {
    Path mine = Files.writeString(tmp.resolve("notes.txt"), "mine");
    assertThatThrownBy(() -> HadoopOutput.check(tmp.toUri(), new Configuration())).as("refused before any work")
        .hasMessageContaining("EEXIST").hasMessageContaining("notes.txt");
    assertThatThrownBy(() -> HadoopOutput.write(tmp.toUri(), List.of(new Document("explore.json", "{}")), new Configuration()))
        .hasMessageContaining("EEXIST").hasMessageContaining("notes.txt");
    try (var files = Files.list(tmp)) {
      assertThat(files).containsExactly(mine);
    }
  }

  @Test
  void aMasterSparkCannotUseIsEinvalAndNamesIt() {
    assertThatThrownBy(() -> job("nowhere").build().run(SEED, 8, n -> { }, Deadline.NONE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EINVAL").hasMessageContaining("'nowhere'");
  }
}
