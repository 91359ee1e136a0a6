package org.userptrlab.examples.badinput;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.userptrlab.lab.explore.ExploreReport;

/**
 * Rows of the bad-input table: where the commands write (--out, --svg), what explore does not take,
 * and what merge refuses (a directory that is not a finished explore output, a missing or repeated
 * shard, an output over an input).
 */
final class OutputRows {
  private OutputRows() {}

  /** A finished explore output of shard {@code shard} of {@code of}, with no findings. */
  static String result(int shard, int of) {
    return "{\"schemaVersion\": 3, \"seed\": 1, \"budget\": 4, \"shards\": [" + shard + "], \"of\": " + of
        + ", \"programs\": " + ((4 - shard + of) / of) + ", \"errors\": 0, \"findings\": [], " + NOTHING_REACHED + "}\n";
  }

  /** The coverage, catalogue and corpus of a result that reached nothing and kept nothing. */
  static final String NOTHING_REACHED = "\"coverage\": {\"counters\": [], \"paths\": [], \"consultedWith\": [], \"consultedWithout\": []}, \"catalogue\": [], \"kept\": 0, \"corpus\": [], "
      + "\"setup\": {\"strategies\": [\"copy\"], \"kernels\": [\"6.12\"], \"cpus\": 4, \"ramBytes\": 67108864, \"swapBytes\": 0, "
      + "\"memlockBytes\": -1, \"aslr\": false, \"thp\": \"MADVISE\", \"settings\": []}";

  static {
    // The rows' results are read whole: keep them of the version this build reads.
    if (ExploreReport.SCHEMA_VERSION != 3) {
      throw new IllegalStateException("OutputRows writes explore.json of schema version 3");
    }
  }

  /** A finished-looking explore output with one finding whose minimal program is not there. */
  static final String WITH_A_FINDING = "{\"schemaVersion\": 3, \"seed\": 1, \"budget\": 4, \"shards\": [1], \"of\": 1, \"programs\": 4, "
      + "\"errors\": 0, \"findings\": [{\"signature\": {\"strategy\": \"mlock\", \"kernel\": \"6.12\", \"kind\": \"HAZARD\", "
      + "\"what\": \"COMPACTION_BLOCKED\"}, \"first\": 0, \"hits\": 1, \"minimal\": \"scenario x\\n\", \"lines\": 1, "
      + "\"events\": [], \"inCatalogue\": true}], " + NOTHING_REACHED + "}\n";

  static BadInput files(String what, String expected, Map<String, String> files, String... args) {
    Map<String, byte[]> bytes = new LinkedHashMap<>();
    files.forEach((name, text) -> bytes.put(name, text.getBytes(StandardCharsets.UTF_8)));
    return new BadInput(what, List.of(args), bytes, expected);
  }

  /** A finished explore output of {@code json}: its result and its coverage. */
  static BadInput explored(String what, String expected, String json, String... args) {
    return files(what, expected, Map.of("explore.json", json, "coverage.csv", "kind,name,detail,value\n"), args);
  }

  static List<BadInput> rows() {
    List<BadInput> rows = new ArrayList<>(List.of(
        BadInput.of("compare --out ''", "--out needs a directory name, not ''", "compare", "--scenarios", "heap-growth", "--out", ""),
        BadInput.of("compare --out -", "--out names a directory to write; '-' is not standard output here: leave --out out to print "
            + "the report", "compare", "--scenarios", "heap-growth", "--out", "-"),
        new BadInput("shrink --out DIR holding an explore run", java.util.List.of("shrink", "{dir}/p.scenario", "--out", "{dir}"),
            java.util.Map.of("explore.json", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), "p.scenario",
                "scenario p\np = app a\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            "--out {dir} holds an explore run (explore.json), which only explore and merge replace: give another directory"),
        BadInput.of("compare --svg ''", "--svg needs a directory name, not ''", "compare", "--scenarios", "heap-growth", "--svg", ""),
        BadInput.of("sweep --out ''", "--out needs a directory name, not ''", "sweep", "--out", ""),
        BadInput.of("sweep --svg ''", "--svg needs a directory name, not ''", "sweep", "--svg", ""),
        BadInput.of("timeline --out ''", "--out needs a directory name, not ''", "timeline", "--out", ""),
        BadInput.of("explore --out ''", "--out needs a directory name, not ''", "explore", "--out", ""),
        BadInput.of("merge --out ''", "--out needs a directory name, not ''", "merge", "{dir}", "--out", ""),
        BadInput.of("merge ''", "merge: '' is not a directory", "merge", ""),
        BadInput.of("compare --out .", "--out . is the current directory or holds it", "compare", "--out", "."),
        BadInput.of("sweep --svg /", "--svg / is the current directory or holds it", "sweep", "--svg", "/"),
        BadInput.of("compare --out {dir}/o --svg {dir}/o/charts", "must be one directory or two apart, not one inside the other",
            "compare", "--out", "{dir}/o", "--svg", "{dir}/o/charts"),
        BadInput.of("explore --svg", "explore does not take --svg: it draws no charts", "explore", "--svg", "{dir}/charts"),
        BadInput.of("explore --profiles", "explore does not take --profiles", "explore", "--profiles", "exynos4-2012"),
        BadInput.of("explore --profile-file", "explore does not take --profile-file", "explore", "--profile-file", "{dir}/host.json"),
        BadInput.of("explore --seconds 0", "--seconds must be 1..1000000000: 0", "explore", "--seconds", "0"),
        BadInput.of("explore --seconds 1000000001", "--seconds must be 1..1000000000: 1000000001", "explore", "--seconds", "1000000001"),
        BadInput.of("explore --shard 1/2/3", "--shard must be K/N", "explore", "--shard", "1/2/3"),
        BadInput.of("explore --format xml", "--format takes one of table, markdown, csv, json, junit, not 'xml'", "explore", "--format", "xml"),
        BadInput.of("help nope", "nope", "help", "nope"),
        BadInput.of("compare --out /proc/x", "cannot create the directory /proc/x: /proc ", "compare", "--out",
            "/proc/x"),
        BadInput.of("timeline --svg /proc/x", "cannot create the directory /proc/x: /proc ", "timeline", "--svg",
            "/proc/x"),
        BadInput.of("explore --out /proc/x", "cannot create the directory /proc/x: /proc ", "explore", "--out",
            "/proc/x"),
        BadInput.of("sweep --out /proc/x", "cannot create the directory /proc/x: /proc ", "sweep", "--out", "/proc/x"),
        BadInput.of("calibrate --out /proc/x.json", "cannot write /proc/x.json: /proc ", "calibrate", "--out",
            "/proc/x.json"),
        BadInput.of("explore --seconds=-5", "--seconds must be 1..1000000000: -5", "explore", "--seconds=-5")));
    rows.add(files("compare --out a directory of the user's", "holds notes.txt, which userptr-lab does not write",
        Map.of("notes.txt", "mine"), "compare", "--scenarios", "heap-growth", "--out", "{dir}"));
    rows.add(files("explore --out a directory of the user's", "holds notes.txt, which userptr-lab does not write",
        Map.of("notes.txt", "mine"), "explore", "--out", "{dir}"));
    rows.add(files("calibrate --out a file of the user's", "--out {dir}/notes.json is a file that is not a profile",
        Map.of("notes.json", "my precious profile"), "calibrate", "--out", "{dir}/notes.json"));
    rows.add(files("sweep --svg below a file", "cannot create the directory {dir}/f/charts: {dir}/f is a file",
        Map.of("f", "x"), "sweep", "--svg", "{dir}/f/charts"));
    rows.add(files("explore --out over a file", "a file of that name is in the way", Map.of("f", "x"), "explore", "--out", "{dir}/f"));
    rows.add(explored("merge --out over its input", "merge: --out {dir} would overwrite the input {dir}", result(1, 1),
        "merge", "{dir}", "--out", "{dir}"));
    rows.add(explored("merge --out inside its input", "would overwrite the input {dir}", result(1, 1),
        "merge", "{dir}", "--out", "{dir}/merged"));
    rows.add(explored("merge of a shard given twice", "merge: shard 1/1 is given twice, in {dir} and in {dir}/.", result(1, 1),
        "merge", "{dir}", "{dir}/."));
    rows.add(explored("merge of half a set of shards", "merge: shards 2/3, 3/3 are missing", result(1, 3), "merge", "{dir}"));
    rows.add(files("merge of an output without its coverage", "is not a finished explore output: coverage.csv is missing",
        Map.of("explore.json", result(1, 1)), "merge", "{dir}"));
    rows.add(explored("merge of a cut explore.json", "is not a finished explore result", result(1, 1).substring(0, 40),
        "merge", "{dir}"));
    rows.add(explored("merge of an explore.json of another version", "{dir}/explore.json has schema version 9; this build reads " + ExploreReport.SCHEMA_VERSION,
        result(1, 1).replace("\"schemaVersion\": 3", "\"schemaVersion\": 9"), "merge", "{dir}"));
    rows.add(explored("merge of a JSON that is not a result", "{dir}/explore.json is not an explore result", "[1, 2]\n", "merge", "{dir}"));
    rows.add(explored("merge of a shard out of range", "is not a consistent explore result", result(1, 1).replace("[1]", "[3]"),
        "merge", "{dir}"));
    rows.add(explored("merge of an output missing a minimal program",
        "{dir} is not a finished explore output: mlock_6.12_hazard_compaction_blocked.scenario is missing", WITH_A_FINDING,
        "merge", "{dir}"));
    rows.add(files("merge of minimal programs without explore.json", "merge: {dir} holds no explore.json, so it is not a finished",
        Map.of("mlock_6.12_hazard_compaction_blocked.scenario", "scenario x\n"), "merge", "{dir}"));
    return rows;
  }
}
