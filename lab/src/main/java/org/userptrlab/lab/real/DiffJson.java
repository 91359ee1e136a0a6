package org.userptrlab.lab.real;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A diff's results as one JSON document, in the shape of {@value #SCHEMA} (shipped in the jar):
 * the model's kernel and the real one, then each program under each strategy with its verdict and
 * detail, and, where the diff was timed and the program ran on both sides, the times in
 * nanoseconds, in all and per operation of the language; then how many of each verdict.
 */
public final class DiffJson {
  /** The version of the document's shape; raised on any change a reader could trip over. */
  public static final int SCHEMA_VERSION = 3;

  /** Where the JSON Schema of the document lies on the class path. */
  public static final String SCHEMA = "/org/userptrlab/lab/report/userptr-lab-diff.schema.json";

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * What a diff was run as and what it found; {@code prediction} null unless it was timed with a
   * profile, whose predictions the runs then carry; {@code notes} what the table says after its verdicts
   * (a swap file set up for the runs, a program's kernel line not used, the machine's drift); {@code modelRunsAs} the
   * release the model runs this machine's as, where it is past the newest the model follows, else null.
   */
  public record Report(String version, String modelKernel, String realKernel, boolean timed, List<Diff.Result> results,
      Prediction prediction, List<String> notes, String modelRunsAs) {
    public Report {
      results = List.copyOf(results);
      notes = List.copyOf(notes);
    }

    /** A report of a kernel release the model follows. */
    public Report(String version, String modelKernel, String realKernel, boolean timed, List<Diff.Result> results,
        Prediction prediction, List<String> notes) {
      this(version, modelKernel, realKernel, timed, results, prediction, notes, null);
    }

    /** A report without notes. */
    public Report(String version, String modelKernel, String realKernel, boolean timed, List<Diff.Result> results,
        Prediction prediction) {
      this(version, modelKernel, realKernel, timed, results, prediction, List.of());
    }

    /** A report without predictions or notes. */
    public Report(String version, String modelKernel, String realKernel, boolean timed, List<Diff.Result> results) {
      this(version, modelKernel, realKernel, timed, results, null);
    }
  }

  /**
   * The profile a timed diff predicted with, and the machine's drift: a reference program's
   * predicted time over its real one before the runs and after them (NaN where it was not timed);
   * and the figures the profile's file lacked, which others stood in for.
   */
  public record Prediction(String profile, double driftBefore, double driftAfter, List<String> standIns) {
    public Prediction {
      standIns = List.copyOf(standIns);
    }

    /** A prediction under a profile that lacked no figure. */
    public Prediction(String profile, double driftBefore, double driftAfter) {
      this(profile, driftBefore, driftAfter, List.of());
    }
  }

  private DiffJson() {}

  /** The document, ending in a newline. */
  public static String write(Report report) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.putObject("tool").put("name", "userptr-lab").put("version", report.version());
    root.put("command", "diff");
    root.put("modelKernel", report.modelKernel());
    if (report.modelRunsAs() != null) {
      root.put("modelRunsAs", report.modelRunsAs());
    }
    root.put("realKernel", report.realKernel());
    root.put("timed", report.timed());
    Prediction prediction = report.timed() ? report.prediction() : null;
    if (prediction != null) {
      ObjectNode p = root.putObject("prediction").put("profile", prediction.profile())
          .put("withinQuarter", Diff.withinQuarter(report.results())).put("timedRuns", Diff.timedRuns(report.results()));
      if (Double.isFinite(prediction.driftBefore()) && Double.isFinite(prediction.driftAfter())) {
        p.put("driftBefore", Math.round(prediction.driftBefore() * 1000) / 1000.0)
            .put("driftAfter", Math.round(prediction.driftAfter() * 1000) / 1000.0);
      }
      if (!prediction.standIns().isEmpty()) {
        prediction.standIns().forEach(p.putArray("standIns")::add);
      }
    }
    if (!report.notes().isEmpty()) {
      report.notes().forEach(root.putArray("notes")::add);
    }
    ArrayNode results = root.putArray("results");
    Map<Diff.Verdict, Integer> counts = new EnumMap<>(Diff.Verdict.class);
    for (Diff.Verdict v : Diff.Verdict.values()) {
      counts.put(v, 0);
    }
    for (Diff.Result r : report.results()) {
      counts.merge(r.verdict(), 1, Integer::sum);
      ObjectNode o = results.addObject().put("program", r.program()).put("strategy", r.strategy())
          .put("verdict", r.verdict().name()).put("detail", r.detail());
      if (report.timed() && r.ran()) {
        o.put("modelNanos", r.modelNanos()).put("realNanos", r.realNanos());
        if (prediction != null && Double.isFinite(r.predictedNanos())) {
          o.put("predictedNanos", Math.round(r.predictedNanos()));
          if (r.realNanos() > 0) {
            o.put("withinQuarter", Diff.withinQuarter(r));
          }
        }
        ArrayNode ops = o.putArray("operations");
        for (Diff.OpTime t : r.ops()) {
          ObjectNode op = ops.addObject().put("operation", t.op().written()).put("steps", t.steps()).put("realNanos", t.realNanos());
          if (prediction != null) {
            op.put("predictedNanos", t.predictedNanos());
          }
          op.put("scaffoldNanos", t.scaffoldNanos());
        }
      }
    }
    ObjectNode c = root.putObject("counts");
    counts.forEach((v, n) -> c.put(v.name(), n));
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the diff as JSON", e);
    }
  }
}
