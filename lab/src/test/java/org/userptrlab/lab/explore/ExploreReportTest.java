package org.userptrlab.lab.explore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.lab.report.Document;
import org.userptrlab.lab.report.Format;
import org.userptrlab.mm.KernelConfig;

/**
 * An explorer result in every format: explore.json in the shape of its published schema and last of
 * the files; Markdown and CSV of the findings; and what {@code read} refuses: a directory that is not
 * a finished explorer output. And {@code merge} refuses half a set of shards, naming what is missing.
 */
class ExploreReportTest {
  static final List<KernelConfig> KERNELS = List.of(KernelConfig.LINUX_6_12);
  static final List<String> STRATEGIES = List.of("backed-pin", "mlock");
  static Explorer explorer;
  static ExploreResult whole;

  @BeforeAll
  static void explore() {
    explorer = new Explorer(new Comparison(LabOptions.builder().kernels(KERNELS).profiles(List.of(Profiles.all().get(0))).build()),
        STRATEGIES, KERNELS);
    whole = explorer.run(1, 12, 1, 1, n -> { });
    assertThat(whole.findings()).as("the test needs findings").hasSizeGreaterThanOrEqualTo(2);
  }

  static Schema schema() throws IOException {
    try (InputStream in = ExploreReport.class.getResourceAsStream(ExploreReport.SCHEMA)) {
      assertThat(in).as("the schema ships in the jar, beside the report's").isNotNull();
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8), InputFormat.JSON);
    }
  }

  @Test
  void exploreJsonIsInTheShapeOfItsSchema() throws IOException {
    Schema schema = schema();
    String json = ExploreReport.json(whole);
    assertThat(schema.validate(json, InputFormat.JSON)).isEmpty();
    assertThat(new ObjectMapper().readTree(json).get("schemaVersion").asInt()).isEqualTo(ExploreReport.SCHEMA_VERSION);
    assertThat(ExploreReport.render(whole, Format.JSON)).isEqualTo(json);
    assertThat(schema.validate(json.replace("\"schemaVersion\" : 3", "\"schemaVersion\" : 1"), InputFormat.JSON)).isNotEmpty();
    assertThat(schema.validate(json.replace("\"kind\" : \"HAZARD\"", "\"kind\" : \"SOMETHING\""), InputFormat.JSON)).isNotEmpty();
  }

  @Test
  void theResultIsTheLastFileSoThatADirectoryHoldingItHoldsEverything() {
    List<Document> files = ExploreReport.files(whole);
    assertThat(files).hasSize(whole.findings().size() + whole.corpus().size() + 2);
    assertThat(files.get(files.size() - 2).name()).isEqualTo("coverage.csv");
    assertThat(files.get(files.size() - 2).content()).startsWith("point,name,kernel_function,reached\ncounter,PGFAULT,,true\n")
        .contains("path,GUP_LONGTERM_MIGRATED,check_and_migrate_movable_pages,");
    assertThat(files).filteredOn(d -> d.name().startsWith("corpus-")).hasSize(whole.corpus().size());
    assertThat(files.get(files.size() - 1).name()).isEqualTo(ExploreReport.FILE);
  }

  @Test
  void markdownAndCsvListEveryFinding() {
    String md = ExploreReport.render(whole, Format.MARKDOWN);
    assertThat(md).startsWith("# Explore\n\nexplored 12 programs (seed 1)").contains("|:---|:---|:---|:---|---:|---:|");
    String csv = ExploreReport.render(whole, Format.CSV);
    List<String> lines = csv.lines().toList();
    assertThat(lines.get(0)).isEqualTo("strategy,kernel,kind,what,hits,lines,first_program,in_catalogue,events,minimal_program");
    assertThat(lines).hasSize(whole.findings().size() + 1);
    for (Finding f : whole.findings()) {
      assertThat(md).contains(f.signature().slug() + ".scenario");
      assertThat(csv).contains(f.signature().strategy() + "," + f.signature().kernel() + "," + f.signature().kind());
    }
    assertThat(ExploreReport.render(whole, Format.TABLE)).isEqualTo(ExploreReport.summary(whole));
  }

  static Path written(Path dir, ExploreResult r) throws IOException {
    Files.createDirectories(dir);
    for (Document d : ExploreReport.files(r)) {
      Files.writeString(dir.resolve(d.name()), d.content());
    }
    return dir;
  }

  @Test
  void readGivesBackWhatWasWritten(@TempDir Path tmp) throws IOException {
    assertThat(ExploreReport.read(written(tmp.resolve("a"), whole))).isEqualTo(whole);
  }

  @Test
  void readRefusesADirectoryThatIsNotAFinishedOutput(@TempDir Path tmp) throws IOException {
    Path none = Files.createDirectories(tmp.resolve("none"));
    assertThatThrownBy(() -> ExploreReport.read(none)).isInstanceOf(IOException.class).hasMessageContaining("holds no explore.json");
    Path cut = written(tmp.resolve("cut"), whole);
    String json = Files.readString(cut.resolve(ExploreReport.FILE));
    Files.writeString(cut.resolve(ExploreReport.FILE), json.substring(0, json.length() / 2));
    assertThatThrownBy(() -> ExploreReport.read(cut)).isInstanceOf(IOException.class).hasMessageContaining("is not a finished explore result");
    Path lost = written(tmp.resolve("lost"), whole);
    String slug = whole.findings().get(0).signature().slug();
    Files.delete(lost.resolve(slug + ".scenario"));
    assertThatThrownBy(() -> ExploreReport.read(lost)).isInstanceOf(IOException.class)
        .hasMessage(lost + " is not a finished explore output: " + slug + ".scenario is missing");
    Path uncovered = written(tmp.resolve("uncovered"), whole);
    Files.delete(uncovered.resolve(ExploreReport.COVERAGE));
    assertThatThrownBy(() -> ExploreReport.read(uncovered)).isInstanceOf(IOException.class)
        .hasMessage(uncovered + " is not a finished explore output: coverage.csv is missing");
    Path other = written(tmp.resolve("other"), whole);
    Files.writeString(other.resolve(ExploreReport.FILE), Files.readString(other.resolve(ExploreReport.FILE))
        .replace("\"schemaVersion\" : " + ExploreReport.SCHEMA_VERSION, "\"schemaVersion\" : 7"));
    assertThatThrownBy(() -> ExploreReport.read(other)).isInstanceOf(IOException.class).hasMessageContaining("has schema version 7");
    Path list = Files.createDirectories(tmp.resolve("list"));
    Files.writeString(list.resolve(ExploreReport.FILE), "[1, 2]");
    assertThatThrownBy(() -> ExploreReport.read(list)).isInstanceOf(IOException.class).hasMessageContaining("is not an explore result");
  }

  /** A hand-edited result is refused in the file's terms: a field left out, one of the wrong kind, a negative count. */
  @Test
  void readRefusesAnEditedResultNamingTheField(@TempDir Path tmp) throws IOException {
    Path dir = written(tmp.resolve("seedless"), whole);
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
        dir.resolve(ExploreReport.FILE).toFile());
    root.remove("seed");
    Files.writeString(dir.resolve(ExploreReport.FILE), root.toString());
    assertThatThrownBy(() -> ExploreReport.read(dir)).isInstanceOf(IOException.class).hasMessageEndingWith("it has no 'seed', which every "
        + "explore run writes");
    root.put("seed", 1).put("findings", "none");
    Files.writeString(dir.resolve(ExploreReport.FILE), root.toString());
    assertThatThrownBy(() -> ExploreReport.read(dir)).isInstanceOf(IOException.class)
        .hasMessageEndingWith("'findings' does not hold what an explore run writes there").hasMessageNotContaining("java.");
    root.set("findings", json.createArrayNode());
    root.put("programs", -2);
    Files.writeString(dir.resolve(ExploreReport.FILE), root.toString());
    assertThatThrownBy(() -> ExploreReport.read(dir)).isInstanceOf(IOException.class).hasMessageContaining("counts are out of range");
    Files.writeString(dir.resolve(ExploreReport.FILE), "{\"schemaVersion\": " + ExploreReport.SCHEMA_VERSION + ", \"seed\": ");
    assertThatThrownBy(() -> ExploreReport.read(dir)).isInstanceOf(IOException.class).hasMessageContaining("cut or malformed at line 1");
  }

  /** Shards run with other options are of another run: merge says which option, as a command line writes it. */
  @Test
  void mergeRefusesShardsOfOtherOptionsAndNamesTheOption() {
    ExploreResult one = explorer.run(1, 12, 1, 2, n -> { });
    LabOptions twoCpus = LabOptions.builder().kernels(KERNELS).profiles(List.of(Profiles.all().get(0)))
        .machine(LabOptions.DEFAULT_MACHINE.toBuilder().cpus(2).build()).build();
    ExploreResult two = new Explorer(new Comparison(twoCpus), STRATEGIES, KERNELS).run(1, 12, 2, 2, n -> { });
    assertThat(one.setup().cpus()).isEqualTo(LabOptions.DEFAULT_MACHINE.cpus());
    assertThatThrownBy(() -> Explorer.merge(List.of(one, two))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("these results come from different runs: shards [2] ran with --cpus 2, not " + one.setup().cpus());
    ExploreResult xe = new Explorer(new Comparison(LabOptions.builder().kernels(KERNELS).profiles(List.of(Profiles.all().get(0)))
        .modules(List.of(org.userptrlab.strategy.backed.NotifierPolicy.XE_VMA_USERPTR_INVALIDATE_LR.binding())).build()), STRATEGIES,
        KERNELS).run(1, 12, 2, 2, n -> { });
    assertThat(xe.setup().settings()).containsExactly("--notifier-policy xe-lr");
    assertThatThrownBy(() -> Explorer.merge(List.of(one, xe))).hasMessageEndingWith("ran with --notifier-policy xe-lr, not the defaults");
  }

  @Test
  void mergeRefusesASetWithAShardMissingAndNamesIt() {
    ExploreResult one = explorer.run(1, 12, 1, 3, n -> { });
    ExploreResult three = explorer.run(1, 12, 3, 3, n -> { });
    assertThatThrownBy(() -> Explorer.merge(List.of(one, three))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shard 2/3 is missing: give the output of every shard");
    assertThatThrownBy(() -> Explorer.merge(List.of(three))).hasMessage("shards 1/3, 2/3 are missing: give the output of every shard");
    assertThatThrownBy(() -> Explorer.merge(List.of(one, one))).hasMessageContaining("shard 1/3 is given twice");
  }

  /** The summary and the Markdown end with the coverage: points reached, paths not reached with what would reach them. */
  @Test
  void theSummaryEndsWithTheCoverageAndWhatWouldFillItsGaps() {
    for (Format f : new Format[] {Format.TABLE, Format.MARKDOWN}) {
      String text = ExploreReport.render(whole, f);
      assertThat(text).containsPattern("coverage: \\d+ of \\d+ points reached: counters \\d+ of \\d+, model paths \\d+ of \\d+")
          .contains("catalogue signatures found: ",
              "kernel changes the memory manager never consulted (a strategy's own choice by kernel aside): ");
      if (whole.coverage().paths().size() < org.userptrlab.mm.ModelPath.values().length) {
        assertThat(text).contains("; not reached yet, reachable by ");
      }
    }
  }
}
