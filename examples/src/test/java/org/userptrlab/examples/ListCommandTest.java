package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.lab.lang.Op;
import org.userptrlab.lab.report.ListingJson;

/** {@code list}: the language documented with every argument named, as text and as JSON its schema accepts. */
class ListCommandTest {
  private static String out(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.run(new PrintWriter(out), new PrintWriter(err), args);
    assertThat(code).as(err.toString()).isZero();
    return out.toString();
  }

  @Test
  void theTextNamesEveryArgumentAndDocumentsTheStatementsPromisesAndHazards() {
    String text = out("list");
    assertThat(text).contains("P.fill ADDR SIZE SEED", "x = P.malloc SIZE", "gpu.write OBJ SEED", "P.memcpy DST SRC SIZE")
        .doesNotContain("fill addr size size");
    assertThat(text).contains("Program statements", "scenario NAME \"WHAT\"", "machine ram SIZE", "machine cpus N", "kernel KERNEL",
        "observe", "needs PROMISE...", "expect PROMISE \"WHAT\" COND [if COND]", "hazard KIND \"DETAIL\" if COND", "COND and COND",
        "not COND", "ADDR+SIZE, ADDR-SIZE", "repeat N ... end", "Arguments:", "SEED ");
    assertThat(text).contains("Suites (run --suite NAME, diff --suite NAME; 'show NAME' lists the cases):\n"
        + "  kernel-selftests           828 cases\n");
    for (Promise p : Promise.values()) {
      assertThat(text).contains(p.name());
    }
    for (HazardKind k : HazardKind.values()) {
      assertThat(text).contains(k.name() + " ");
    }
  }

  @Test
  void theJsonDocumentIsWhatItsSchemaDescribes() throws Exception {
    String schema;
    try (InputStream in = ListingJson.class.getResourceAsStream(ListingJson.SCHEMA)) {
      assertThat(in).as("the schema ships in the jar").isNotNull();
      schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    var validator = com.networknt.schema.SchemaRegistry.withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_2020_12)
        .getSchema(schema, com.networknt.schema.InputFormat.JSON);
    String json = out("list", "--format", "json");
    assertThat(validator.validate(json, com.networknt.schema.InputFormat.JSON)).isEmpty();
    JsonNode doc = new ObjectMapper().readTree(json);
    assertThat(doc.get("schemaVersion").asInt()).isEqualTo(ListingJson.SCHEMA_VERSION);
    assertThat(doc.get("operations")).hasSize(Op.values().length);
    JsonNode fill = doc.get("operations").get(Op.FILL.ordinal());
    assertThat(fill.get("usage").asText()).isEqualTo("P.fill ADDR SIZE SEED");
    assertThat(fill.get("arguments").get(2).get("name").asText()).isEqualTo("SEED");
    assertThat(fill.get("result").isNull()).isTrue();
    assertThat(doc.get("promises")).hasSize(Promise.values().length);
    assertThat(doc.get("hazardKinds")).hasSize(HazardKind.values().length);
    assertThat(doc.get("scenarios")).hasSize(18);
    assertThat(validator.validate(json.replace("\"schemaVersion\" : 2",
        "\"schemaVersion\" : 1"), com.networknt.schema.InputFormat.JSON))
        .isNotEmpty();
    assertThat(validator.validate(json.replace("\"receiver\" : \"gpu\"",
        "\"receiver\" : \"cpu\""), com.networknt.schema.InputFormat.JSON))
        .isNotEmpty();
  }
}
