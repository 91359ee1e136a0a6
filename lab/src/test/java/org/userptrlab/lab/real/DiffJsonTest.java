package org.userptrlab.lab.real;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The diff's JSON document: every verdict, timed or not, in the shape of the schema the jar ships. */
class DiffJsonTest {
  private static Schema schema;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = DiffJson.class.getResourceAsStream(DiffJson.SCHEMA)) {
      assertThat(in).as("the schema ships in the jar").isNotNull();
      schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8), InputFormat.JSON);
    }
  }

  private static final List<Diff.Result> RESULTS = List.of(
      new Diff.Result("a", "copy", Diff.Verdict.AGREE, "", 1200, 3400, 2000.5,
          List.of(new Diff.OpTime(org.userptrlab.lab.lang.Op.FILL, 2, 3000, 1900), new Diff.OpTime(org.userptrlab.lab.lang.Op.GPU_SEES,
              1, 400, 100))),
      new Diff.Result("a", "steal", Diff.Verdict.DISAGREE, "line 4 (gpu.sees obj 2): model true, real kernel false", 10, 20, Double.NaN),
      new Diff.Result("a", "cow", Diff.Verdict.NOT_RUNNABLE, "cow write-protects ...", 0, 0, Double.NaN),
      new Diff.Result("a", "mlock", Diff.Verdict.NOT_COMPARABLE, "line 5 (p.userptr buf 16K): mlock ...", 0, 0, Double.NaN),
      new Diff.Result("a", "backed-pin", Diff.Verdict.NOT_RUN, "the executor died of signal 9 (SIGKILL) ...", 0, 0, Double.NaN));

  @Test
  void everyVerdictTimedOrNotIsInTheSchemasShape() {
    for (boolean timed : List.of(false, true)) {
      String json = DiffJson.write(new DiffJson.Report("1.0", "6.18", "6.18.44", timed, RESULTS));
      assertThat(schema.validate(json, InputFormat.JSON)).as(json).isEmpty();
      assertThat(json).contains("\"NOT_COMPARABLE\" : 1", "\"NOT_RUN\" : 1", "\"AGREE\" : 1");
      assertThat(json.contains("\"realNanos\" : 3400")).as("times only when timed").isEqualTo(timed);
      assertThat(json.contains("\"operation\" : \"P.fill\"")).as("per operation only when timed").isEqualTo(timed);
      assertThat(json).doesNotContain("NaN");
    }
  }

  @Test
  void aPredictionIsInTheSchemasShapeAndOnlyWithAProfile() {
    String json = DiffJson.write(new DiffJson.Report("1.0", "6.18", "6.18.44", true, RESULTS,
        new DiffJson.Prediction("host-6.18.44", 0.91, Double.NaN)));
    assertThat(schema.validate(json, InputFormat.JSON)).as(json).isEmpty();
    assertThat(json).contains("\"profile\" : \"host-6.18.44\"", "\"withinQuarter\" : 0", "\"timedRuns\" : 2",
        "\"predictedNanos\" : 2001", "\"predictedNanos\" : 1900").as("a drift not timed both times is left out").doesNotContain("drift");
    assertThat(DiffJson.write(new DiffJson.Report("1.0", "6.18", "6.18.44", true, RESULTS))).doesNotContain("predictedNanos",
        "\"prediction\"");
    assertThat(json).as("a profile that lacked nothing").doesNotContain("standIns");
    String lacking = DiffJson.write(new DiffJson.Report("1.0", "6.18", "6.18.44", true, RESULTS,
        new DiffJson.Prediction("host-6.18.44", 0.91, 0.95, List.of("COMPACT_MEMORY"))));
    assertThat(schema.validate(lacking, InputFormat.JSON)).as(lacking).isEmpty();
    assertThat(lacking).containsPattern("\"standIns\" : \\[ \"COMPACT_MEMORY\" \\]");
  }

  /** What the table says after its verdicts (a swap file set up for the runs) is in the document too. */
  @Test
  void theNotesAreInTheDocument() {
    String json = DiffJson.write(new DiffJson.Report("1.0", "6.18", "6.18.44", false, RESULTS, null,
        List.of("swap: a 256 MiB swap file at /var/tmp/x/swapfile, written once for the diff's runs")));
    assertThat(schema.validate(json, InputFormat.JSON)).as(json).isEmpty();
    assertThat(json).contains("\"notes\" : [ \"swap: a 256 MiB swap file at /var/tmp/x/swapfile");
    assertThat(DiffJson.write(new DiffJson.Report("1.0", "6.18", "6.18.44", false, RESULTS))).doesNotContain("\"notes\"");
  }

  /** A host past the newest release the model follows: the release the model ran as is in the document, as the table's header says it. */
  @Test
  void theReleaseTheModelRanAsIsInTheDocument() {
    String json = DiffJson.write(new DiffJson.Report("1.0", "6.18", "6.18.44", false, RESULTS, null, List.of(), "6.15"));
    assertThat(schema.validate(json, InputFormat.JSON)).as(json).isEmpty();
    assertThat(json).contains("\"modelKernel\" : \"6.18\",\n  \"modelRunsAs\" : \"6.15\"");
    assertThat(DiffJson.write(new DiffJson.Report("1.0", "6.15", "6.15.2", false, RESULTS))).doesNotContain("modelRunsAs");
  }

  @Test
  void theSchemaRefusesAnUnknownVerdictAndTimesOfARunThatDidNotRun() {
    String json = DiffJson.write(new DiffJson.Report("1.0", "6.18", "6.18.44", false, RESULTS));
    assertThat(schema.validate(json.replace("\"DISAGREE\",", "\"MAYBE\","), InputFormat.JSON)).isNotEmpty();
    assertThat(schema.validate(json.replace("\"verdict\" : \"NOT_RUN\",", "\"verdict\" : \"NOT_RUN\", \"realNanos\" : 5,"),
        InputFormat.JSON)).isNotEmpty();
  }
}
