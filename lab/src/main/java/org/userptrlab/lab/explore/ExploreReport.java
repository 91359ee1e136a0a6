package org.userptrlab.lab.explore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.userptrlab.lab.report.Document;

/**
 * An explorer result on disk ({@code explore.json}, and each finding's minimal program as
 * {@code SIGNATURE.scenario}) and for a person (the summary table).
 */
public final class ExploreReport {
  /** The file a run or a shard writes under {@code --out}, and {@code merge} reads. */
  public static final String FILE = "explore.json";

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ExploreReport() {}

  /** The files of {@code r}: the result, then each finding's minimal program. */
  public static List<Document> files(ExploreResult r) throws IOException {
    List<Document> out = new ArrayList<>();
    out.add(new Document(FILE, MAPPER.writeValueAsString(r) + "\n"));
    for (Finding f : r.findings()) {
      out.add(new Document(f.signature().slug() + ".scenario", f.minimal()));
    }
    return out;
  }

  public static ExploreResult read(Path dir) throws IOException {
    Path f = dir.resolve(FILE);
    if (!Files.isRegularFile(f)) {
      throw new IOException(dir + " holds no " + FILE + "; give the directories 'explore --out' wrote");
    }
    return MAPPER.readValue(Files.readString(f, StandardCharsets.UTF_8), ExploreResult.class);
  }

  /** The summary: per strategy and kernel, each signature, how many programs hit it, the minimal program's length. */
  public static String summary(ExploreResult r) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "explored %d programs (seed %d%s), %d runs failed on their own%n%n", r.programs(), r.seed(),
        r.shards().size() == r.of() ? "" : ", shards " + r.shards() + " of " + r.of(), r.errors()));
    String fmt = "%-16s %-7s %-10s %-26s %6s %6s  %-9s %s%n";
    sb.append(String.format(Locale.ROOT, fmt, "strategy", "kernel", "kind", "what", "hits", "lines", "catalogue", "events"));
    boolean bug = false;
    for (Finding f : r.findings()) {
      Signature s = f.signature();
      bug |= s.kind() == Signature.Kind.MODEL_BUG;
      sb.append(String.format(Locale.ROOT, fmt, s.strategy(), s.kernel(), s.kind(), s.what(), f.hits(), f.lines(),
          f.inCatalogue() ? "yes" : "no", String.join(" ", f.events())));
    }
    if (r.findings().isEmpty()) {
      sb.append("(nothing found)\n");
    }
    if (bug) {
      sb.append("\nMODEL BUG: a program broke the memory manager's invariants. That is a bug of the model, not of a strategy; "
          + "its minimal program reproduces it.\n");
    }
    return sb.toString();
  }
}
