package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.userptrlab.executor.Availability;
import org.userptrlab.executor.NativeExecutor;
import org.userptrlab.lab.real.DiffJson;

/**
 * {@code diff} as a user runs it: the table by default, one JSON document that the published schema
 * accepts with {@code --format json}, a run the analogue cannot compare said as such and not as a
 * disagreement. Skipped, with the reason, where the executor cannot run.
 */
class DiffCommandTest {
  /** Not comparable under copy (mlockall locks the executor's own memory too, and VmLck is compared), agrees under mlock (it is not). */
  private static final String ALL = "scenario all\np = app app\nbuf = p.malloc 64K\np.mlockall MCL_CURRENT|MCL_FUTURE\n";

  @BeforeAll
  static void here() {
    Availability a = NativeExecutor.availability();
    assumeTrue(a.available(), a.reason());
  }

  /** A miss never prints as the bound it missed: 0.7496 is no "0.75", which would read as within 25%. */
  @Test
  void aRatioThatMissesIsPrintedPastItsBound() {
    assertThat(DiffCommand.runRatio(0.7496, true)).isEqualTo("0.7496");
    assertThat(DiffCommand.runRatio(1.2504, true)).isEqualTo("1.2504");
    assertThat(DiffCommand.runRatio(0.7449, true)).isEqualTo("0.74");
    assertThat(DiffCommand.runRatio(0.7504, false)).isEqualTo("0.75");
    assertThat(DiffCommand.runRatio(1.0, false)).isEqualTo("1.00");
  }

  /** What the published schema finds wrong with a diff's JSON document. */
  private static java.util.List<?> schemaErrors(String json) throws IOException {
    String schema;
    try (InputStream in = DiffJson.class.getResourceAsStream(DiffJson.SCHEMA)) {
      schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema, InputFormat.JSON)
        .validate(json, InputFormat.JSON);
  }

  @Test
  void jsonIsOneDocumentThatThePublishedSchemaAccepts(@TempDir Path dir) throws IOException {
    Path p = Files.writeString(dir.resolve("all.scenario"), ALL);
    CliTest.Result r = CliTest.run("diff", "--format", "json", "--strategies", "copy,mlock", p.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).as("nothing disagrees, and nothing died").isZero();
    assertThat(schemaErrors(r.out())).as(r.out()).isEmpty();
    JsonNode doc = new ObjectMapper().readTree(r.out());
    assertThat(doc.get("counts").get("NOT_COMPARABLE").asInt()).isEqualTo(1);
    assertThat(doc.get("counts").get("DISAGREE").asInt()).isZero();
    assertThat(doc.get("results")).anySatisfy(n -> {
      assertThat(n.get("strategy").asText()).isEqualTo("copy");
      assertThat(n.get("verdict").asText()).isEqualTo("NOT_COMPARABLE");
    });
  }

  @Test
  void theTableStaysTheDefaultAndCountsEachVerdict(@TempDir Path dir) throws IOException {
    Path p = Files.writeString(dir.resolve("all.scenario"), ALL);
    CliTest.Result r = CliTest.run("diff", "--strategies", "copy,mlock", p.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("all      copy      not comparable  line 4 (p.mlockall MCL_CURRENT|MCL_FUTURE): VmLck model")
        .endsWith("1 agree, 0 disagree, 0 not runnable, 1 not comparable\n");
  }

  /**
   * An mlock past the model's 1 GiB RLIMIT_MEMLOCK: ENOMEM on both sides where this machine lets the
   * executor raise its limit; where it does not, CAP_IPC_LOCK stands in for the limit and holds
   * nothing back, and the run is not comparable, saying why: never a disagreement.
   */
  @Test
  void anMlockPastTheLimitThatCapIpcLockStandsInForIsNotADisagreement(@TempDir Path dir) throws IOException {
    Path p = Files.writeString(dir.resolve("huge.scenario"), "scenario huge\np = app app\nbuf = p.malloc 16K\np.mlock buf 1G\n");
    CliTest.Result r = CliTest.run("diff", "--strategies", "copy", p.toString());
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).containsAnyOf("1 agree, 0 disagree", "0 agree, 0 disagree, 0 not runnable, 1 not comparable");
    if (r.out().contains("not comparable")) {
      assertThat(r.out()).contains("line 4 (p.mlock buf 1G): the model's process has RLIMIT_MEMLOCK of 1 GiB", "CAP_IPC_LOCK in its place");
    }
  }

  /**
   * A program both sides stop before its end (a GPU job past its object's end: EINVAL on both) agrees as far as it
   * ran, and says where it stopped rather than nothing; an import of memory not mapped (EFAULT) likewise.
   */
  @Test
  void aProgramBothSidesStopEarlyAgreesAndSaysWhereItStopped(@TempDir Path dir) throws IOException {
    Path past = Files.writeString(dir.resolve("past-end.scenario"), "scenario past-end\np = app app\n"
        + "buf = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.fill buf 64K 1\nobj = p.userptr buf 64K\n"
        + "seen = gpu.sees_at obj 60K 8K 1 60K\ncheck \"read\" seen\n");
    CliTest.Result r = CliTest.run("diff", "--strategies", "copy", past.toString());
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("1 agree, 0 disagree", "both sides stopped at line 6 (gpu.sees_at obj 60K 8K 1 60K): EINVAL");
    Path unmapped = Files.writeString(dir.resolve("unmapped.scenario"), "scenario unmapped\np = app app\n"
        + "buf = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.munmap buf+32K 32K\nobj = p.userptr buf 64K\n");
    CliTest.Result u = CliTest.run("diff", "--strategies", "copy", unmapped.toString());
    assertThat(u.code()).as(u.out() + u.err()).isZero();
    assertThat(u.out()).contains("1 agree, 0 disagree", "both sides stopped at line 5 (p.userptr buf 64K): EFAULT");
    // The model's reason beside the errno: malloc's pointer is not page-aligned, which madvise wants.
    Path unaligned = Files.writeString(dir.resolve("unaligned.scenario"), "scenario unaligned\np = app app\nbuf = p.malloc 1M\n"
        + "p.fill buf 1M 1\np.madvise buf 1M MADV_DONTNEED\n");
    CliTest.Result a = CliTest.run("diff", "--strategies", "copy", unaligned.toString());
    assertThat(a.code()).as(a.out() + a.err()).isZero();
    assertThat(a.out()).containsPattern("both sides stopped at line 5 \\(p.madvise buf 1M MADV_DONTNEED\\): EINVAL \\(on the model: "
        + "madvise: address 0x[0-9a-f]+ is not page aligned \\(4096\\)\\)\n");
    // A check of the program's own that fails on both sides agrees, and says so; as JSON, in the schema's shape.
    Path wrong = Files.writeString(dir.resolve("wrong.scenario"), "scenario wrong\np = app app\nbuf = p.malloc 64K\n"
        + "p.fill buf 64K 1\nok = p.sees buf 64K 2\ncheck \"the other seed\" ok\n");
    CliTest.Result w = CliTest.run("diff", "--strategies", "copy", wrong.toString());
    assertThat(w.code()).as(w.out() + w.err()).isZero();
    assertThat(w.out()).contains("1 agree, 0 disagree", "both sides failed the program's check line 6: the other seed (ok was false)");
    CliTest.Result json = CliTest.run("diff", "--strategies", "copy", "--format=json", wrong.toString());
    assertThat(json.out()).contains("both sides failed the program's check line 6");
    assertThat(schemaErrors(json.out())).as(json.out()).isEmpty();
  }

  /** A program's own 'kernel' line is not what it is compared on, and diff says so; --seed without --explore is refused. */
  @Test
  void aProgramsKernelLineIsSaidNotToBeUsedAndASeedWithoutExploreIsRefused(@TempDir Path dir) throws IOException {
    Path p = Files.writeString(dir.resolve("old.scenario"), "scenario old\nkernel 3.4\np = spawn p\nbuf = p.malloc 4K\n");
    CliTest.Result r = CliTest.run("diff", "--strategies", "copy", p.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("program old names kernel 3.4: the model runs it as this machine's kernel");
    CliTest.Result seeded = CliTest.run("diff", "--strategies", "copy", "--seed", "5", p.toString());
    assertThat(seeded.code()).isEqualTo(Cli.USAGE);
    assertThat(seeded.err()).isEqualTo("userptr-lab: --seed is the seed of the explorer's programs: give --explore N too\n");
  }

  /**
   * A timed diff with a profile says where the time goes, how many runs came within 25%, and the machine's drift: a
   * reference program timed on both sides before the runs and after them. What the figures are is the machine's business.
   */
  @Test
  void aTimedDiffWithAProfileCountsTheRunsWithin25PercentAndSaysTheMachinesDrift(@TempDir Path dir) throws IOException {
    Path profile = dir.resolve("guest.json");
    org.userptrlab.lab.ProfileFile.write(org.userptrlab.core.cost.Profiles.EPYC_GUEST, profile);
    Path p = Files.writeString(dir.resolve("small.scenario"), "scenario small\np = app app\nb = p.malloc 64K\np.fill b 64K 1\n");
    CliTest.Result r = CliTest.run("diff", "--timing", "--profile-file", profile.toString(), "--strategies", "copy", p.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("; predicted ms: the model's virtual time for the run under the profile, what it says the real "
        + "kernel takes, and predicted/real how near that came.\n")
        // Every run within 25%: no word of others marked.
        .containsPattern("predicted within 25% of the real time: (0 of the 1 run that ran on both sides \\(the others' predicted/real "
            + "marked \\*\\)|1 of the 1 run that ran on both sides\n)")
        .contains("where the time goes").containsPattern("the machine's drift: the prediction for a reference program \\(4 MiB "
            + "written and read back\\) was [0-9.]+ of its real time before the runs and [0-9.]+ after them");
    CliTest.Result json = CliTest.run("diff", "--timing", "--profile-file", profile.toString(), "--strategies", "copy", "--format",
        "json", p.toString());
    assertThat(json.code()).as(json.err()).isZero();
    assertThat(json.out()).contains("\"profile\" : \"epyc-guest-2026\"", "\"timedRuns\" : 1", "\"driftBefore\"", "\"predictedNanos\"",
        "\"scaffoldNanos\"");
    assertThat(r.out()).contains("predicted under the profile epyc-guest-2026, read from " + profile);
    // The table's reading a point a line, and the notes after it set apart.
    assertThat(r.out()).contains("How to read it:\n- The executor runs each step", "\n- left out ms: what a step's real time "
        + "leaves out:\n  what the executor does only because it has no driver").contains("which no program makes.\n\npredicted "
        + "under the profile");
  }

  /** A profile file at {@code file} named {@code name} with the guest profile's figures. */
  private static Path guestFigures(Path file, String name) throws IOException {
    org.userptrlab.core.cost.PlatformProfile.Builder b = org.userptrlab.core.cost.PlatformProfile.builder(name, "a machine of mine");
    org.userptrlab.core.cost.Profiles.EPYC_GUEST.figures().forEach((q, f) -> b.set(q, f.value(), f.source()));
    org.userptrlab.lab.ProfileFile.write(b.build(), file);
    return file;
  }

  /** A profile file that lacks a figure added since it was written is said so beside the prediction, and in the JSON. */
  @Test
  void aProfileFileThatLackedAFigureIsNamedBesideThePrediction(@TempDir Path dir) throws IOException {
    Path profile = guestFigures(dir.resolve("old.json"), "old");
    ObjectMapper mapper = new ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode doc = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(profile.toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("figures")).remove("COMPACT_MEMORY");
    mapper.writeValue(profile.toFile(), doc);
    Path p = Files.writeString(dir.resolve("small.scenario"), "scenario small\np = app app\nb = p.malloc 64K\np.fill b 64K 1\n");
    CliTest.Result r = CliTest.run("diff", "--timing", "--profile-file", profile.toString(), "--strategies", "copy", p.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).as("a warning, which a reader of standard error tells from an error").startsWith("userptr-lab: warning: "
        + profile + " was written before COMPACT_MEMORY existed");
    // Which figure stood in, and how much, as standard error says it too.
    assertThat(r.out()).containsPattern(java.util.regex.Pattern.quote("predicted under the profile old, read from " + profile
        + ", which lacked COMPACT_MEMORY: the epyc-guest-2026 profile's figure stands in for COMPACT_MEMORY (") + "[0-9.e+]+ ns\\) "
        + java.util.regex.Pattern.quote("(calibrate again to time it here)"));
    CliTest.Result json = CliTest.run("diff", "--timing", "--profile-file", profile.toString(), "--strategies", "copy", "--format",
        "json", p.toString());
    assertThat(mapper.readTree(json.out()).get("prediction").get("standIns").toString()).isEqualTo("[\"COMPACT_MEMORY\"]");
    assertThat(schemaErrors(json.out())).isEmpty();
  }

  /**
   * A profile from a file (this machine's, as calibrate writes it) comes first without --profiles, so that the runs'
   * clocks are priced on it; --profiles may name it among the built-in ones, in its own order.
   */
  @Test
  void aProfileFromAFileComesFirstAndMayBeNamed(@TempDir Path dir) throws IOException {
    Path mine = guestFigures(dir.resolve("mine.json"), "mine");
    CliTest.Result first = CliTest.run("compare", "--scenarios", "free-and-reuse", "--strategies", "copy", "--no-sweep",
        "--profile-file", mine.toString());
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).containsPattern("(?s)^((?!Cost in microseconds on ).)*Cost in microseconds on mine ");
    CliTest.Result named = CliTest.run("compare", "--scenarios", "free-and-reuse", "--strategies", "copy", "--no-sweep",
        "--profiles", "exynos4-2012,mine", "--profile-file", mine.toString());
    assertThat(named.code()).as(named.err()).isZero();
    assertThat(named.out()).containsPattern("(?s)^((?!Cost in microseconds on ).)*Cost in microseconds on exynos4-2012 ")
        .contains("Cost in microseconds on mine ").doesNotContain("on epyc-guest-2026");
    CliTest.Result unknown = CliTest.run("compare", "--profiles", "yours", "--profile-file", mine.toString());
    assertThat(unknown.code()).isEqualTo(Cli.USAGE);
    assertThat(unknown.err()).contains("no platform profile 'yours'; there are exynos4-2012, x86-desktop-2012, epyc-guest-2026, "
        + "pcie5-dgpu-2026, mine");
  }

  /** On a kernel newer than the newest release the model follows, the diff says which it runs as, as run says it. */
  @Test
  void aHostPastTheNewestReleaseTheModelFollowsIsSaid(@TempDir Path dir) throws IOException {
    org.userptrlab.mm.KernelConfig host = org.userptrlab.mm.KernelConfig.host();
    assumeTrue(host.release().compareTo(org.userptrlab.lab.Kernels.newest()) > 0, "the model follows this machine's release");
    Path p = Files.writeString(dir.resolve("small.scenario"), "scenario small\np = app app\nb = p.malloc 64K\n");
    CliTest.Result r = CliTest.run("diff", "--strategies", "copy", p.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("userptr-lab diff: the model on " + host.name() + " (run as " + org.userptrlab.lab.Kernels.newest()
        + ", the newest release the model follows) against this machine's kernel, ");
  }

  /** A strategy named twice is refused before any run, as run refuses it: the report would count its runs twice. */
  @Test
  void aStrategyNamedTwiceIsRefused(@TempDir Path dir) throws IOException {
    Path p = Files.writeString(dir.resolve("small.scenario"), "scenario small\np = app app\nb = p.malloc 64K\n");
    for (String[] given : new String[][] {{"--strategies", "copy,mlock,copy"}, {"--strategies", "copy", "--strategies", "copy"}}) {
      String[] args = new String[given.length + 2];
      args[0] = "diff";
      System.arraycopy(given, 0, args, 1, given.length);
      args[args.length - 1] = p.toString();
      CliTest.Result r = CliTest.run(args);
      assertThat(r.code()).isEqualTo(Cli.USAGE);
      assertThat(r.err()).isEqualTo("userptr-lab: strategy copy is named twice; name each strategy once\n");
      assertThat(r.out()).isEmpty();
    }
  }

  /**
   * A report tells its profiles apart by name: a profile file named as a built-in profile with other figures, or as
   * another file given beside it, is refused naming both; a built-in profile written out as it is reads as itself.
   */
  @Test
  void aProfileFileNamedAsAnotherProfileIsRefused(@TempDir Path dir) throws IOException {
    Path edited = dir.resolve("edited.json");
    org.userptrlab.core.cost.PlatformProfile.Builder b = org.userptrlab.core.cost.PlatformProfile.builder("epyc-guest-2026", "edited");
    org.userptrlab.core.cost.Profiles.EPYC_GUEST.figures().forEach((q, f) -> b.set(q, f.value(), f.source()));
    org.userptrlab.lab.ProfileFile.write(b.set(org.userptrlab.core.cost.Parameter.FAULT, 1, "edited").build(), edited);
    Path p = Files.writeString(dir.resolve("small.scenario"), "scenario small\np = app app\nb = p.malloc 64K\n");
    CliTest.Result diff = CliTest.run("diff", "--timing", "--profile-file", edited.toString(), "--strategies", "copy", p.toString());
    assertThat(diff.code()).isEqualTo(Cli.USAGE);
    assertThat(diff.err()).contains(edited + " names its profile epyc-guest-2026, as the built-in profile of that name is, with other "
        + "figures: give it a name of its own");
    // Named in --profiles, the file's figures would stand under the built-in's name.
    CliTest.Result named = CliTest.run("run", "--profiles", "epyc-guest-2026", "--profile-file", edited.toString(), p.toString());
    assertThat(named.code()).isEqualTo(Cli.USAGE);
    assertThat(named.err()).contains(edited + " names its profile epyc-guest-2026, as the built-in profile of that name is, with "
        + "other figures: give it a name of its own");
    Path host = dir.resolve("host.json");
    org.userptrlab.core.cost.PlatformProfile.Builder own = org.userptrlab.core.cost.PlatformProfile.builder("host-test", "edited");
    org.userptrlab.core.cost.Profiles.EPYC_GUEST.figures().forEach((q, f) -> own.set(q, f.value(), f.source()));
    org.userptrlab.lab.ProfileFile.write(own.build(), host);
    CliTest.Result twice = CliTest.run("compare", "--profiles", "exynos4-2012", "--profile-file", host.toString(), "--profile-file",
        host.toString());
    assertThat(twice.code()).isEqualTo(Cli.USAGE);
    assertThat(twice.err()).contains(host + " is given twice to --profile-file; give each file once");
    Path copy = Files.copy(host, dir.resolve("copy.json"));
    CliTest.Result same = CliTest.run("compare", "--profiles", "exynos4-2012", "--profile-file", host.toString(), "--profile-file",
        copy.toString());
    assertThat(same.code()).isEqualTo(Cli.USAGE);
    assertThat(same.err()).contains(copy + " names its profile host-test, as " + host + " does: give each profile a name "
        + "of its own");
  }

  /**
   * Timed without a profile, a diff predicts nothing: the table has no prediction's columns and says how to have them, and
   * the JSON report no prediction either (the model's default profile is not this machine's).
   */
  @Test
  void aTimedDiffWithoutAProfilePredictsNothingAndSaysHow(@TempDir Path dir) throws IOException {
    Path p = Files.writeString(dir.resolve("small.scenario"), "scenario small\np = app app\nb = p.malloc 64K\np.fill b 64K 1\n");
    CliTest.Result r = CliTest.run("diff", "--timing", "--strategies", "copy", p.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("real/model").doesNotContain("predicted ms", "the machine's drift")
        .contains("with --profile-file FILE (calibrate writes one), each run's predicted time is printed beside its real one")
        // The columns said: model ms is the model's running time, not a prediction.
        .contains("model ms: the model's own running time (the median of 15 runs); real ms: the real kernel's (the median of 5); "
            + "real/model: how many times faster the model ran.\n");
    CliTest.Result json = CliTest.run("diff", "--timing", "--strategies", "copy", "--format", "json", p.toString());
    assertThat(json.code()).as(json.err()).isZero();
    assertThat(json.out()).contains("\"realNanos\"", "\"scaffoldNanos\"").doesNotContain("predictedNanos", "\"prediction\"");
  }

  /** reclaim on a machine with no swap, as root: a swap file for the run, said in one line after the table, gone after. */
  @Test
  void aSwapFileSetUpForARunIsSaidInOneLine(@TempDir Path dir) throws IOException {
    assumeTrue(Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.matches("Uid:\\s+0\\s.*")), "needs root");
    assumeTrue(Files.readAllLines(Path.of("/proc/swaps")).size() == 1, "swap is on already");
    Path p = Files.writeString(dir.resolve("reclaim.scenario"), "scenario reclaimed\nmachine swap 16M\np = app app\nbuf = p.malloc 64K\n"
        + "p.fill buf 64K 1\nreclaim\nexpect PROGRAM_KEEPS_ITS_BYTES \"the bytes come back\" p.sees buf 64K 1\n");
    CliTest.Result r = CliTest.run("diff", "--strategies", "copy", p.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).containsOnlyOnce("swap: ").containsPattern(
        "1 agree, 0 disagree, 0 not runnable\nswap: a 256 MiB swap file at /\\S+/swapfile, written once for the diff's runs, switched on for each and removed after the last\n$");
    assertThat(Files.readAllLines(Path.of("/proc/swaps"))).hasSize(1);
    // Timed, the program runs five times on the one file, which goes with the last.
    CliTest.Result timed = CliTest.run("diff", "--timing", "--strategies", "copy", p.toString());
    assertThat(timed.code()).as(timed.err()).isZero();
    java.util.regex.Matcher file = java.util.regex.Pattern.compile("swap file at (/\\S+/swapfile),").matcher(timed.out());
    assertThat(file.find()).as(timed.out()).isTrue();
    assertThat(Path.of(file.group(1))).doesNotExist();
    assertThat(Files.readAllLines(Path.of("/proc/swaps"))).hasSize(1);
    CliTest.Result json = CliTest.run("diff", "--format=json", "--strategies", "copy", p.toString());
    assertThat(new ObjectMapper().readTree(json.out()).get("notes").toString()).contains("swap: a 256 MiB swap file at /");
  }
}
