package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.lab.report.JsonWriter;
import org.userptrlab.lab.scenarios.Catalogue;

/** The command line as a user meets it: what each command prints and writes, in every format. */
class CliTest {
  /** A comparison small enough to run many times, still with refusals, hazards and a sweep. */
  static final String[] SMALL_COMPARE = {"compare", "--scenarios", "texture-upload-loop,fork-then-parent-writes,rlimit-memlock",
      "--sweep-to", "64K"};
  static final String[] SMALL_SWEEP = {"sweep", "--from", "4K", "--to", "64K", "--strategies", "copy,steal,backed-longterm"};

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  static String[] with(String[] base, String... more) {
    List<String> all = new ArrayList<>(List.of(base));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void compareTellsWhatRanWhatBrokeWhatItCostAndWhereStealingWins() {
    Result r = run("compare", "--profiles", "exynos4-2012,x86-desktop-2012", "--sweep-to", "4M");
    assertThat(r.code()).isZero();
    assertThat(r.out()).as("the first line names the model's kernels").contains(", compare: Linux 3.4 and 6.12 on a simulated 64 MiB machine");
    assertThat(r.out()).as("a hazard met once per object: its first and its last")
        .contains("hazard UNEVICTABLE_AFTER_RELEASE: 17 pages stayed PG_mlocked",
            "hazard UNEVICTABLE_AFTER_RELEASE, 31 times more, the last: 513 pages stayed PG_mlocked")
        .doesNotContain("hazard UNEVICTABLE_AFTER_RELEASE: 497 pages");
    assertThat(r.out()).contains("Use cases", "Verdicts", "What went wrong", "Contracts: copy SNAPSHOT;", "steal MOVE",
        "Cost in microseconds on exynos4-2012", "Cost in microseconds on x86-desktop-2012",
        "exynos4-2012, kernel 3.4: steal is cheaper than copy", "x86-desktop-2012, kernel 3.4: steal is cheaper than copy");
    for (Scenario s : Catalogue.all()) {
      assertThat(r.out()).contains(s.name());
    }
    assertThat(r.err()).isEmpty();
  }

  @Test
  void versionIsTheBuildsOwnOnEveryCommand() {
    String expected = "userptr-lab " + Version.get();
    assertThat(Version.get()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    for (String cmd : new String[] {"compare", "sweep", "list"}) {
      Result r = run(cmd, "--version");
      assertThat(r.code()).isZero();
      assertThat(r.out().lines().findFirst()).hasValue(expected);
    }
    assertThat(run("--version").out().lines().findFirst()).hasValue(expected);
  }

  @Test
  void listNamesEveryStrategyScenarioProfileAndKernel() {
    Result r = run("list");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("copy", "SNAPSHOT", "backed-notifier", "COHERENT", "steal", "MOVE", "exynos4-2012", "3.4", "6.12");
    for (Scenario s : Catalogue.all()) {
      assertThat(r.out()).contains(s.name() + " ").contains(s.description());
    }
  }

  @Test
  void kernelsAreAcceptedAsTheOutputWritesThem() {
    Result byRelease = run(with(SMALL_COMPARE, "--kernels", "3.4", "--format", "csv"));
    Result byPointRelease = run(with(SMALL_COMPARE, "--kernel", "3.4.113", "--format", "csv"));
    assertThat(byRelease.code()).isZero();
    assertThat(byRelease.out()).isEqualTo(byPointRelease.out()).contains(",3.4,");
    Result toggled = run(with(SMALL_COMPARE, "--kernel", "3.4+foll-pin", "--format", "csv"));
    assertThat(toggled.code()).isZero();
    assertThat(toggled.out()).contains(",3.4+foll-pin,");
  }

  @Test
  void sizesTakeSuffixes() {
    Result r = run("sweep", "--from", "4K", "--to", "16K", "--kernels", "3.4", "--profiles", "exynos4-2012");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("4 KiB", "8 KiB", "16 KiB").doesNotContain("32 KiB");
  }

  @Test
  void theCrossoverLineAgreesWithTheTableWhenStealingWinsOnlyAtSmallSizes() {
    Result r = run("sweep", "--kernels", "3.4", "--to", "16K", "--profiles", "x86-desktop-2012");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("steal is cheaper than copy at 4 KiB only, not up to 16 KiB")
        .doesNotContain("at no size swept");
  }

  /** A strategy and the host kernel in capitals are the same as in lower case, as --format JSON is json. */
  @Test
  void namesTakeEitherCase() {
    Result r = run("compare", "--no-sweep", "--scenarios", "mid-page-range", "--strategies", "COPY,Steal", "--kernels", "6.12");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(run("compare", "--no-sweep", "--scenarios", "mid-page-range", "--strategies", "copy,steal",
        "--kernels", "6.12").out());
    assertThat(org.userptrlab.mm.KernelConfig.parse("HOST")).isEqualTo(org.userptrlab.mm.KernelConfig.parse("host"));
  }

  /** The first strategy given is the baseline, copy or not: its column comes first and the others are measured against it. */
  @Test
  void theFirstStrategyGivenIsTheSweepsBaseline() {
    Result r = run("sweep", "--kernels", "3.4", "--to", "16K", "--profiles", "x86-desktop-2012", "--strategies", "steal,copy");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("steal us  copy us").contains("copy is cheaper than steal").doesNotContain("steal is cheaper than copy");
  }

  @Test
  void aRefusedSizeIsARefusedPointAndTheSweepGoesOn() {
    Result r = run("sweep", "--kernels", "6.12", "--from", "256M", "--to", "1G", "--strategies", "copy,backed-longterm",
        "--profiles", "x86-desktop-2012", "--memlock", "512M");
    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains("1 GiB", "refused", "ENOMEM", "refused at 1 GiB")
        .contains("backed-longterm is cheaper than copy from 256 MiB up; refused at 1 GiB");
  }

  static final String[] SMALL_TIMELINE = {"timeline", "--scenarios", "fork-then-parent-writes", "--strategies", "copy,backed-longterm,cow",
      "--kernels", "3.4,5.4,5.10", "--profiles", "exynos4-2012"};

  @Test
  void theTimelineNamesTheChangeBehindEachFlipInEveryFormat(@TempDir Path dir) throws Exception {
    Result table = run(SMALL_TIMELINE);
    assertThat(table.code()).isZero();
    assertThat(table.out()).contains("Timeline: the verdict on each kernel",
        "fork-then-parent-writes under backed-longterm, 5.4 to 5.10: BROKEN with GPU_WRITE_REACHED_CHILD -> kept",
        "at fork-copy-pinned (5.9, 70e806e4e645 (\"mm: Do early cow for pinned pages during fork() for ptes\"))",
        "fork-then-parent-writes under cow, 5.4 to 5.10", "at wp-page-count (5.9, 09854ba94c6a");
    assertThat(run(with(SMALL_TIMELINE, "--format", "markdown")).out()).contains("| fork-then-parent-writes | backed-longterm | BROKEN! |");

    Result json = run(with(SMALL_TIMELINE, "--format", "json", "--svg", dir.toString()));
    assertThat(json.code()).isZero();
    var schema = new String(CliTest.class.getResourceAsStream(JsonWriter.SCHEMA).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    var validator = com.networknt.schema.SchemaRegistry.withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_2020_12)
        .getSchema(schema, com.networknt.schema.InputFormat.JSON);
    assertThat(validator.validate(json.out(), com.networknt.schema.InputFormat.JSON)).isEmpty();
    JsonNode flip = new ObjectMapper().readTree(json.out()).get("timeline").get("rows").get(1).get("flips").get(0);
    assertThat(flip.get("change").asText()).isEqualTo("fork-copy-pinned");
    assertThat(flip.get("commit").asText()).isEqualTo("70e806e4e645");
    assertThat(dir.resolve("timeline.svg")).content().contains("fork-copy-pinned", "wp-page-count");

    Result csv = run(with(SMALL_TIMELINE, "--format", "csv", "--out", dir.toString()));
    assertThat(csv.code()).isZero();
    assertThat(dir.resolve("timeline.csv")).content().startsWith("scenario,strategy,kernel,verdict,hazards")
        .contains("fork-then-parent-writes,backed-longterm,5.4,BROKEN,GPU_WRITE_REACHED_CHILD");
    assertThat(dir.resolve("flips.csv")).content()
        .contains("fork-then-parent-writes,backed-longterm,5.4,5.10,fork-copy-pinned,true,5.9,70e806e4e645,");
  }

  /** A user's program on the kernels' history: the flip of its outcome and the change behind it, as for the catalogue's. */
  @Test
  void theTimelineOfAProgramFileNamesTheChangeBehindItsFlip(@TempDir Path dir) throws Exception {
    Path program = dir.resolve("willneed.scenario");
    Files.writeString(program, "scenario willneed \"swapped-out pages read back ahead\"\nmachine ram 64M swap 64M\np = app app\n"
        + "buf = p.mmap 1M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.fill buf 1M 7\nreclaim\n"
        + "p.madvise buf 1M MADV_WILLNEED\ncheck \"the bytes came back\" p.sees buf 1M 7\n");
    Result r = run("timeline", program.toString(), "--strategies", "copy", "--kernels", "3.4,4.4,6.12");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("willneed under copy, 3.4 to 4.4: error EBADF -> kept, checks PASS, at madv-willneed-swap (3.9, 1998cc048901")
        .doesNotContain("fork-then-parent-writes");
    Result both = run("timeline", program.toString(), "--scenarios", "fork-then-parent-writes", "--strategies", "copy",
        "--kernels", "6.12");
    assertThat(both.out()).contains("fork-then-parent-writes", "willneed");
    Result twice = run("timeline", program.toString(), program.toString());
    assertThat(twice.code()).isEqualTo(Cli.USAGE);
    assertThat(twice.err()).contains("is given twice; give each file once");
  }

  /** {@code run} of a program of the lab's language written to a file in {@code dir}, on 6.12, under {@code strategies}. */
  private static String runProgram(Path dir, String program, String strategies) throws Exception {
    Path p = Files.writeString(dir.resolve("p.scenario"), program);
    Result r = run("run", p.toString(), "--strategies", strategies, "--kernels", "6.12");
    assertThat(r.code()).as(r.err()).isZero();
    return r.out();
  }

  /** run says which expectation of a program a strategy did not meet, with the words the program gave it. */
  @Test
  void runSaysWhichExpectationWasNotMet(@TempDir Path dir) throws Exception {
    assertThat(runProgram(dir, "scenario exp\nneeds GPU_SEES_LATER_CPU_WRITES\np = app app\n"
        + "buf = p.memalign 4K 64K\np.fill buf 64K 1\nobj = p.userptr buf 64K\np.fill buf 64K 2\n"
        + "expect GPU_SEES_LATER_CPU_WRITES \"the GPU sees the later write\" gpu.sees obj 2\n", "copy,backed-pin"))
        .contains("Expectations not met", "exp, kernel 6.12, copy: GPU_SEES_LATER_CPU_WRITES not met: the GPU sees the later write")
        .doesNotContain("backed-pin: GPU_SEES_LATER_CPU_WRITES not met");
  }

  /** A program that stops with an error says which of its own checks held before it stopped. */
  @Test
  void aProgramThatStopsSaysWhichOfItsChecksHeldBefore(@TempDir Path dir) throws Exception {
    assertThat(runProgram(dir, "scenario past-end\np = app app\nbuf = p.memalign 4K 64K\n"
        + "p.fill buf 64K 1\nobj = p.userptr buf 64K\nok = gpu.sees_at obj 0 4K 1 0\ncheck \"first page\" ok\n"
        + "bad = gpu.sees_at obj 60K 8K 1 60K\ncheck \"never here\" bad\n", "copy"))
        .contains("past-end, kernel 6.12, copy: error: EINVAL: GPU job:", "; before it, 1 check held: line 7: first page")
        .doesNotContain("2 checks held");
  }

  /**
   * The Checks table is of programs with checks of their own: a refused import in one without any is the verdicts' (the
   * table listed rlimit-memlock as REFUSED for the whole kernel, where only backed-longterm refused), and a cell whose
   * runs did not all come to one outcome names the strategies of each.
   */
  @Test
  void theChecksTableIsOfProgramsWithChecks(@TempDir Path dir) throws Exception {
    Result catalogue = run("compare", "--scenarios", "rlimit-memlock,file-backed-range", "--strategies", "copy,backed-longterm");
    assertThat(catalogue.code()).as(catalogue.err()).isZero();
    assertThat(catalogue.out()).contains("REFUSED").doesNotContain("Checks: what the programs' own checks");
    assertThat(runProgram(dir, "scenario held\np = app app\nbuf = p.malloc 64K\np.fill buf 64K 1\nobj = p.userptr buf 64K\n"
        + "check \"bytes\" gpu.sees obj 1\n", "copy,backed-longterm"))
        .contains("Checks: what the programs' own checks");
  }

  /** A scenario name longer than a file name may be still gets its Gantt chart, under a name cut short. */
  @Test
  void aLongScenarioNameStillGetsItsChart(@TempDir Path dir) throws Exception {
    String name = "s".repeat(5000);
    Path p = Files.writeString(dir.resolve("long.scenario"), "scenario " + name + "\np = app a\nb = p.malloc 64K\n");
    Path out = Files.createDirectory(dir.resolve("svg"));
    Result r = run("run", p.toString(), "--strategies", "copy", "--kernels", "6.12", "--svg", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    try (java.util.stream.Stream<Path> files = Files.list(out)) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("gantt-")).toList())
          .singleElement().satisfies(f -> assertThat(f).hasSizeLessThan(255).startsWith("gantt-sss").endsWith("-copy-6.12.svg"));
    }
  }

  @Test
  void svgIsWrittenWhateverTheFormatAndSaidOnStandardError(@TempDir Path dir) throws Exception {
    Result r = run(with(SMALL_COMPARE, "--format", "json", "--svg", dir.toString()));
    assertThat(r.code()).isZero();
    new ObjectMapper().readTree(r.out());
    assertThat(r.err()).contains("wrote " + dir.resolve("verdicts.svg"), "wrote " + dir.resolve("sweep-3.4.svg"));
    var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
    for (String name : new String[] {"verdicts.svg", "sweep-3.4.svg"}) {
      assertThat(factory.newDocumentBuilder().parse(dir.resolve(name).toFile()).getDocumentElement().getTagName()).isEqualTo("svg");
    }
    Result sweep = run(with(SMALL_SWEEP, "--format", "csv", "--svg", dir.toString()));
    assertThat(sweep.out()).doesNotContain("wrote");
    assertThat(dir.resolve("sweep-6.12.svg")).exists();
  }

  @Test
  void withoutTheSweepTheReportSaysSoAndDrawsNoSweep(@TempDir Path dir) {
    Result r = run("compare", "--scenarios", "heap-growth", "--no-sweep", "--svg", dir.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("skipped (--no-sweep): no crossover lines and no sweep chart");
    assertThat(dir.resolve("verdicts.svg")).exists();
    assertThat(dir.resolve("sweep-3.4.svg")).doesNotExist();
  }

  @Test
  void markdownListsAreLists() {
    Result r = run(with(SMALL_COMPARE, "--format", "markdown"));
    assertThat(r.out()).contains("## Scenarios\n\n- texture-upload-loop: ", "\n- fork-then-parent-writes: ",
        "### What went wrong\n\n- ", "\n  - hazard ", "| scenario | kernel |");
  }

  /** Every format, one thread and all, through --out: the same bytes. */
  @Test
  void everyFormatIsByteIdenticalForAnyNumberOfThreads(@TempDir Path dir) throws Exception {
    int cores = Math.max(2, Runtime.getRuntime().availableProcessors());
    for (String[] command : List.of(SMALL_COMPARE, SMALL_SWEEP)) {
      for (String format : new String[] {"table", "markdown", "csv", "json"}) {
        Map<String, String> first = null;
        for (int threads : new int[] {1, cores}) {
          Path out = dir.resolve(command[0] + "-" + format + "-" + threads);
          Result r = run(with(command, "--format", format, "--threads", Integer.toString(threads), "--out", out.toString()));
          assertThat(r.code()).as(r.err()).isZero();
          assertThat(r.out()).isEmpty();
          Map<String, String> files = read(out);
          assertThat(files).isNotEmpty();
          if (first == null) {
            first = files;
          } else {
            assertThat(files).as("%s %s", command[0], format).isEqualTo(first);
          }
        }
      }
    }
  }

  @Test
  void csvIsOneTidyTablePerFile(@TempDir Path dir) throws Exception {
    assertThat(run(with(SMALL_COMPARE, "--format", "csv", "--out", dir.toString())).code()).isZero();
    Map<String, String> files = read(dir);
    assertThat(files.keySet()).containsExactlyInAnyOrder("runs.csv", "hazards.csv", "costs.csv", "checks.csv", "calls.csv", "gpu.csv", "sweep.csv",
        "crossovers.csv");
    for (Map.Entry<String, String> f : files.entrySet()) {
      List<List<String>> rows = Csv.parse(f.getValue());
      assertThat(rows).as(f.getKey()).hasSizeGreaterThan(1);
      int width = rows.get(0).size();
      assertThat(rows).as(f.getKey()).allSatisfy(row -> assertThat(row).hasSize(width));
      int kernel = rows.get(0).indexOf("kernel");
      assertThat(kernel).as(f.getKey()).isNotNegative();
      assertThat(rows.subList(1, rows.size())).allSatisfy(row -> assertThat(row.get(kernel)).isIn("3.4", "6.12"));
    }
    List<List<String>> runs = Csv.parse(files.get("runs.csv"));
    assertThat(runs.get(0)).containsExactly("scenario", "kernel", "strategy", "contract", "verdict", "serves_needs", "hazards", "detail");
    assertThat(runs).hasSize(1 + 3 * 2 * org.userptrlab.core.inject.Strategies.names().size());
    List<List<String>> hazards = Csv.parse(files.get("hazards.csv"));
    assertThat(hazards).anySatisfy(row -> assertThat(row).contains("RLIMIT_MEMLOCK_BYPASS"));
  }

  /** compare --thp never,always: the same runs under each mode, and a section of the runs large folios change, in every format. */
  @Test
  void compareUnderTwoThpModesShowsTheRunsLargeFoliosChange(@TempDir Path dir) throws Exception {
    String[] cmd = {"compare", "--scenarios", "1mib-in-16mib-vma", "--strategies", "copy,backed-pin", "--kernels", "6.12",
        "--profiles", "exynos4-2012", "--no-sweep", "--thp", "never,always"};
    Result table = run(cmd);
    assertThat(table.code()).isZero();
    assertThat(table.out()).contains("Large folios: the runs that differ with transparent huge pages never, always")
        .containsPattern("1mib-in-16mib-vma +6\\.12 +backed-pin +kept +kept with PAGES_UNRECLAIMABLE")
        .doesNotContainPattern("1mib-in-16mib-vma +6\\.12 +copy +kept");
    Result json = run(with(cmd, "--format", "json"));
    var schema = new String(CliTest.class.getResourceAsStream(JsonWriter.SCHEMA).readAllBytes(), StandardCharsets.UTF_8);
    var validator = com.networknt.schema.SchemaRegistry.withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_2020_12)
        .getSchema(schema, com.networknt.schema.InputFormat.JSON);
    assertThat(validator.validate(json.out(), com.networknt.schema.InputFormat.JSON)).isEmpty();
    JsonNode thp = new ObjectMapper().readTree(json.out()).get("thp");
    assertThat(thp.get("modes").toString()).isEqualTo("[\"never\",\"always\"]");
    assertThat(thp.get("rows").get(0).get("outcomes").get(1).get("hazards").toString()).contains("PAGES_UNRECLAIMABLE");
    String junit = run(with(cmd, "--format", "junit", "--fail-on", "hazard")).out();
    assertThat(junit).contains("name=\"backed-pin on 6.12 with THP always\"").containsPattern(
        "name=\"backed-pin on 6\\.12 with THP always\" time=\"0\">\\s*<failure");
    assertThat(run(with(cmd, "--format", "csv", "--out", dir.toString())).code()).isZero();
    assertThat(dir.resolve("thp.csv")).content().contains("1mib-in-16mib-vma,6.12,backed-pin,always,kept with PAGES_UNRECLAIMABLE");
    Path svg = dir.resolve("svg");
    assertThat(run(with(cmd, "--svg", svg.toString())).code()).isZero();
    // A chart per mode, each saying which; the hazard dot only where THP is always.
    assertThat(svg.resolve("verdicts-thp-never.svg")).content().contains("keep its contract? (THP never)").doesNotContain("<circle");
    assertThat(svg.resolve("verdicts.svg")).doesNotExist();
    assertThat(svg.resolve("verdicts-thp-always.svg")).content().contains("keep its contract? (THP always)", "<circle");
  }

  /** A THP mode and a notifier policy are taken in any case, as --format and --fail-on are. */
  @Test
  void thpModeAndNotifierPolicyTakeCapitalsAsTheOtherNamedValuesDo() {
    String[] cmd = {"compare", "--scenarios", "fork-then-exec", "--strategies", "backed-notifier", "--kernels", "6.12",
        "--profiles", "exynos4-2012", "--no-sweep"};
    Result lower = run(with(cmd, "--thp", "always", "--notifier-policy", "xe-lr"));
    Result upper = run(with(cmd, "--thp", "ALWAYS", "--notifier-policy", "XE-LR"));
    assertThat(lower.code()).isZero();
    assertThat(upper.code()).isZero();
    assertThat(upper.out()).isEqualTo(lower.out());
  }

  @Test
  void jsonIsOneDocumentThatTheSchemaAccepts() throws Exception {
    String schema;
    try (var in = JsonWriter.class.getResourceAsStream(JsonWriter.SCHEMA)) {
      assertThat(in).as("the schema ships in the jar").isNotNull();
      schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    var validator = com.networknt.schema.SchemaRegistry.withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_2020_12)
        .getSchema(schema, com.networknt.schema.InputFormat.JSON);
    for (String[] command : List.of(SMALL_COMPARE, SMALL_SWEEP)) {
      Result r = run(with(command, "--format", "json"));
      assertThat(r.code()).isZero();
      JsonNode doc = new ObjectMapper().readTree(r.out());
      assertThat(doc.get("schemaVersion").asInt()).isEqualTo(JsonWriter.SCHEMA_VERSION);
      assertThat(doc.get("tool").get("version").asText()).isEqualTo(Version.get());
      assertThat(validator.validate(r.out(), com.networknt.schema.InputFormat.JSON)).as(command[0]).isEmpty();
    }
    String broken = run(with(SMALL_SWEEP, "--format", "json")).out().replace("\"schemaVersion\" : " + JsonWriter.SCHEMA_VERSION, "\"schemaVersion\" : 99");
    assertThat(validator.validate(broken, com.networknt.schema.InputFormat.JSON)).isNotEmpty();
  }

  @Test
  void jsonListsTheNeedsOfAScenarioInPromiseOrderEveryTime() {
    String a = run(with(SMALL_COMPARE, "--format", "json", "--no-sweep")).out();
    String b = run(with(SMALL_COMPARE, "--format", "json", "--no-sweep")).out();
    assertThat(a).isEqualTo(b).contains("\"needs\" : [ \"GPU_SEES_IMPORTED_BYTES\", \"GPU_KEEPS_SNAPSHOT\"");
  }

  @Test
  void theVerdictsDoNotDependOnWhereAslrPutsTheBuffers() {
    String plain = run("compare", "--format", "csv", "--no-sweep", "--kernels", "6.12").out();
    String moved = run("compare", "--format", "csv", "--no-sweep", "--kernels", "6.12", "--aslr", "--seed", "42").out();
    String addr = "0x[0-9a-f]+|\\b[0-9a-f]{12}-[0-9a-f]{12}\\b";
    assertThat(moved.replaceAll(addr, "ADDR")).isEqualTo(plain.replaceAll(addr, "ADDR"));
  }

  @Test
  void helpTellsTheTruthAboutDefaults() {
    String sweep = run("sweep", "--help").out().replaceAll("\\s+", " ");
    assertThat(sweep).contains("default: 4K", "default: 256M", "at most 1G", "moves addresses only with --aslr",
        "(default: copy,steal)");
    String compare = run("compare", "--help").out();
    assertThat(compare).contains("--ram", "--swap", "--cpus", "--memlock", "--threads", "--out", "--scenarios", "--verbose");
  }

  static Map<String, String> read(Path dir) throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (var s = Files.list(dir)) {
      for (Path p : s.toList()) {
        files.put(p.getFileName().toString(), Files.readString(p));
      }
    }
    return files;
  }

  /** RFC 4180, enough to read back what the writer wrote. */
  static final class Csv {
    static List<List<String>> parse(String text) {
      List<List<String>> rows = new ArrayList<>();
      List<String> row = new ArrayList<>();
      StringBuilder cell = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
            cell.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            cell.append(c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          row.add(cell.toString());
          cell.setLength(0);
        } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          row.add(cell.toString());
          cell.setLength(0);
          rows.add(row);
          row = new ArrayList<>();
          i++;
        } else {
          cell.append(c);
        }
      }
      if (quoted || cell.length() > 0 || !row.isEmpty()) {
        throw new IllegalArgumentException("the CSV does not end with a complete row");
      }
      return rows;
    }
  }
}
