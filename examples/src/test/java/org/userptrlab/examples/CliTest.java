package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class CliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Cli.run(new PrintWriter(out), new PrintWriter(err), args);
  }

  @Test
  void compareprintsTheVerdictTableTheCostTablesAndTheCrossovers() {
    assertThat(run("compare", "--profiles", "exynos4-2012,x86-desktop-2012")).isZero();
    String text = out.toString();
    assertThat(text).contains("Use cases", "Verdicts", "What went wrong", "contracts: copy=SNAPSHOT", "steal=MOVE",
        "Cost in microseconds on exynos4-2012", "Cost in microseconds on x86-desktop-2012",
        "crossover on exynos4-2012", "crossover on x86-desktop-2012");
    for (org.userptrlab.core.harness.Scenario s : org.userptrlab.examples.scenarios.Catalogue.all()) {
      assertThat(text).contains(s.name());
    }
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void compareWritesJsonAMachineCanRead() throws Exception {
    assertThat(run("compare", "--format", "json", "--eras", "LINUX_6_12", "--strategies", "copy,steal")).isZero();
    JsonNode results = new ObjectMapper().readTree(out.toString());
    assertThat(results.isArray()).isTrue();
    assertThat(results).hasSize(org.userptrlab.examples.scenarios.Catalogue.all().size() * 2);
    assertThat(results.get(0).get("strategy").asText()).isEqualTo("copy");
    assertThat(results.get(0).get("costs").has("exynos4-2012")).isTrue();
  }

  @Test
  void compareWritesCsvAndMarkdown() {
    assertThat(run("compare", "--format", "csv", "--eras", "LINUX_3_4", "--no-sweep")).isZero();
    assertThat(out.toString()).startsWith("scenario,era,strategy,contract,verdict,detail,hazards\n");
    out.getBuffer().setLength(0);
    assertThat(run("compare", "--format", "markdown", "--eras", "LINUX_3_4", "--no-sweep")).isZero();
    assertThat(out.toString()).contains("| scenario | kernel |", "## Verdicts");
  }

  @Test
  void sweepPrintsTheCurveAndTheCrossover() {
    assertThat(run("sweep", "--eras", "LINUX_3_4", "--profiles", "x86-desktop-2012", "--from", "4096", "--to", "1048576")).isZero();
    assertThat(out.toString()).contains("One upload on x86-desktop-2012, kernel 3.4", "4 KiB", "1 MiB",
        "crossover on x86-desktop-2012 (kernel 3.4): steal is cheaper than copy");
  }

  @Test
  void svgChartsAreWrittenAndWellFormed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    assertThat(run("sweep", "--eras", "LINUX_3_4", "--from", "4096", "--to", "65536", "--svg", dir.toString())).isZero();
    assertThat(run("compare", "--eras", "LINUX_6_12", "--strategies", "copy,steal", "--no-sweep", "--svg", dir.toString())).isZero();
    var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
    for (String name : new String[] {"sweep-3.4.svg", "verdicts.svg"}) {
      var doc = factory.newDocumentBuilder().parse(dir.resolve(name).toFile());
      assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
    }
    assertThat(java.nio.file.Files.readString(dir.resolve("verdicts.svg"))).contains("texture-upload-loop", "steal");
  }

  @Test
  void theVerdictsDoNotDependOnWhereAslrPutsTheBuffers() {
    assertThat(run("compare", "--format", "csv", "--no-sweep", "--eras", "LINUX_6_12")).isZero();
    String plain = out.toString();
    out.getBuffer().setLength(0);
    assertThat(run("compare", "--format", "csv", "--no-sweep", "--eras", "LINUX_6_12", "--aslr", "--seed", "42")).isZero();
    assertThat(out.toString().replaceAll("0x[0-9a-f]+|\\b[0-9a-f]{12}-[0-9a-f]{12}\\b", "ADDR"))
        .isEqualTo(plain.replaceAll("0x[0-9a-f]+|\\b[0-9a-f]{12}-[0-9a-f]{12}\\b", "ADDR"));
  }

  @Test
  void anUnknownStrategyOrProfileIsAnError() {
    assertThat(run("compare", "--strategies", "nope", "--no-sweep")).isNotZero();
    assertThat(run("compare", "--profiles", "nope", "--no-sweep")).isNotZero();
  }
}
