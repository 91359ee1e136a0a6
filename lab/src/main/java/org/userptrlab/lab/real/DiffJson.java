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

  /** What a diff was run as and what it found. */
  public record Report(String version, String modelKernel, String realKernel, boolean timed, List<Diff.Result> results) {
    public Report {
      results = List.copyOf(results);
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
    root.put("realKernel", report.realKernel());
    root.put("timed", report.timed());
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
        if (Double.isFinite(r.predictedNanos())) {
          o.put("predictedNanos", Math.round(r.predictedNanos() * 10) / 10.0);
        }
        ArrayNode ops = o.putArray("operations");
        for (Diff.OpTime t : r.ops()) {
          ops.addObject().put("operation", t.op().written()).put("steps", t.steps()).put("realNanos", t.realNanos())
              .put("predictedNanos", t.predictedNanos()).put("scaffoldNanos", t.scaffoldNanos());
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
