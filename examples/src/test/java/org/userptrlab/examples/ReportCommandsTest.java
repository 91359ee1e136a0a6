package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.mm.KernelConfig;
import picocli.CommandLine;

/**
 * The report commands as a CI job and a reader of their help meet them: each command's help shows
 * the defaults that command really uses, --fail-on sets the exit code, --format junit makes each
 * run a test case, and a kernel past the newest followed says what it runs as.
 */
class ReportCommandsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** BROKEN under mlock on 6.12, REFUSED under backed-longterm: a failing CI run. */
  static final String[] BROKEN_COMPARE = {"compare", "--scenarios", "fork-then-parent-writes,rlimit-memlock", "--strategies",
      "copy,mlock,backed-longterm", "--kernels", "6.12", "--no-sweep", "--profiles", "epyc-guest-2026"};

  static CliTest.Result run(String... args) {
    return CliTest.run(args);
  }

  static String usage(String command) {
    CommandLine cl = new CommandLine(new Cli());
    StringWriter w = new StringWriter();
    cl.getSubcommands().get(command).usage(new PrintWriter(w));
    // The help is wrapped to the terminal's width, after a comma too: a wrapped list reads as one.
    return w.toString().replaceAll("\\s+", " ").replaceAll("(\\d) ?, ?(\\d)", "$1,$2");
  }

  static JsonNode json(String... args) throws Exception {
    CliTest.Result r = run(CliTest.with(args, "--format", "json"));
    assertThat(r.code()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }

  static List<String> names(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(field == null ? n.asText() : n.get(field).asText()));
    return out;
  }

  @Test
  void eachCommandsHelpShowsTheDefaultsItRunsWith() throws Exception {
    String presets = String.join(",", KernelConfig.presets().stream().map(KernelConfig::name).toList());
    String timeline = usage("timeline");
    assertThat(timeline).contains("(default: the presets, " + presets + ")").doesNotContain("(default: 3.4,6.12)");
    JsonNode t = json("timeline", "--scenarios", "heap-growth", "--strategies", "copy");
    assertThat(String.join(",", names(t.get("timeline").get("kernels"), null))).isEqualTo(presets);
    JsonNode tAll = json("timeline", "--scenarios", "heap-growth", "--kernels", "6.12");
    assertThat(timeline).contains("Strategies to run, comma-separated (default: every one on the class path");
    assertThat(names(tAll.get("strategies"), "name")).containsExactlyInAnyOrderElementsOf(Strategies.names());

    String sweep = usage("sweep");
    assertThat(sweep).contains("(default: copy,steal)", "One sweep per kernel (default: 3.4,6.12)")
        .doesNotContain("every one on the class path");
    JsonNode s = json("sweep", "--to", "8K");
    assertThat(names(s.get("strategies"), "name")).containsExactly("copy", "steal");
    assertThat(names(s.get("sweeps"), "kernel")).containsExactly("3.4", "6.12");

    String compare = usage("compare");
    assertThat(compare).contains("runs on each of them (default: 3.4,6.12)", "table, markdown, csv, json or junit (default: table)");
    JsonNode c = json("compare", "--scenarios", "heap-growth", "--sweep-to", "8K");
    assertThat(names(c.get("kernels"), "name")).containsExactly("3.4", "6.12");
    assertThat(names(c.get("strategies"), "name")).containsExactlyInAnyOrderElementsOf(Strategies.names());

    assertThat(usage("run")).contains("(default: the kernels the programs' 'kernel' lines name, else 3.4,6.12)");
    assertThat(sweep).contains("table, markdown, csv or json (default: table)").doesNotContain("or junit", "--fail-on");
    assertThat(timeline).contains("table, markdown, csv or json (default: table)").doesNotContain("or junit", "--fail-on");
  }

  @Test
  void compareSweepsEveryKernelItIsGiven() throws Exception {
    JsonNode c = json("compare", "--scenarios", "heap-growth", "--kernels", "3.4,6.12", "--sweep-to", "8K");
    assertThat(names(c.get("sweeps"), "kernel")).containsExactly("3.4", "6.12");
  }

  @Test
  void erasIsAHiddenOldNameOfKernelsThatStillWorks() throws Exception {
    String compare = usage("compare");
    assertThat(compare).contains("--kernel and --eras (an older name) are other names of --kernels, hidden from the usage line but "
        + "kept for scripts");
    assertThat(compare.replace("--kernel and --eras (an older name) are", "")).doesNotContain("--eras", "--kernel ", "--kernel=");
    JsonNode c = json("compare", "--scenarios", "heap-growth", "--eras", "5.10", "--no-sweep");
    assertThat(names(c.get("kernels"), "name")).containsExactly("5.10");
    JsonNode k = json("compare", "--scenarios", "heap-growth", "--kernel", "4.4", "--no-sweep");
    assertThat(names(k.get("kernels"), "name")).containsExactly("4.4");
  }

  @Test
  void failOnMakesBrokenRunsExitOneAfterTheWholeReport() {
    CliTest.Result plain = run(BROKEN_COMPARE);
    assertThat(plain.code()).isZero();
    CliTest.Result failing = run(CliTest.with(BROKEN_COMPARE, "--fail-on", "broken,hazard"));
    assertThat(failing.code()).isEqualTo(Cli.FAILURE);
    assertThat(failing.out()).isEqualTo(plain.out());
    assertThat(failing.err().lines().toList()).singleElement().asString()
        .startsWith("userptr-lab: 2 of 6 runs fail --fail-on broken,hazard; the first: fork-then-parent-writes under mlock on 6.12: BROKEN");
    assertThat(run(CliTest.with(BROKEN_COMPARE, "--fail-on", "error")).code()).as("no run ended in an error").isZero();
    CliTest.Result hazard = run("compare", "--scenarios", "texture-upload-loop", "--strategies", "copy,cow", "--kernels", "3.4",
        "--no-sweep", "--fail-on", "hazard");
    assertThat(hazard.code()).isEqualTo(Cli.FAILURE);
    assertThat(hazard.err()).endsWith("texture-upload-loop under cow on 3.4: kept (1 hazard)\n");
  }

  @Test
  void junitMakesEachRunATestCase() throws Exception {
    CliTest.Result r = run(CliTest.with(BROKEN_COMPARE, "--format", "junit", "--fail-on", "broken"));
    assertThat(r.code()).isEqualTo(Cli.FAILURE);
    org.w3c.dom.Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8)));
    assertThat(doc.getElementsByTagName("testsuite").getLength()).isEqualTo(2);
    assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(6);
    assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(1);
    assertThat(doc.getElementsByTagName("skipped").getLength()).as("backed-longterm refused rlimit-memlock").isEqualTo(1);
  }

  @Test
  void aKernelPastTheNewestSaysWhatItRunsAsInOneLine() throws Exception {
    CliTest.Result r = run("compare", "--scenarios", "heap-growth", "--strategies", "copy", "--kernels", "9.9", "--no-sweep",
        "--format", "json");
    assertThat(r.code()).isZero();
    assertThat(r.err().lines().toList()).singleElement().asString()
        .startsWith("userptr-lab: note: kernel 9.9 is past 6.15, the newest release the model follows: it runs as 6.15");
    assertThat(names(JSON.readTree(r.out()).get("notes"), null)).anySatisfy(n -> assertThat(n).startsWith("kernel 9.9 is past 6.15"));
    assertThat(usage("compare")).contains("A release past the newest the model follows (6.15) runs as that one");
  }
}
