package org.userptrlab.lab.explore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.userptrlab.lab.report.Document;
import org.userptrlab.lab.report.Format;
import org.userptrlab.mm.Coverage;
import org.userptrlab.mm.KernelChange;
import org.userptrlab.mm.ModelPath;
import org.userptrlab.mm.VmEvent;

/**
 * An explorer result on disk ({@code explore.json}, in the shape of {@value #SCHEMA}, and each
 * finding's minimal program as {@code SIGNATURE.scenario}) and for a person (the summary, as a
 * table, Markdown, CSV or the JSON itself).
 */
public final class ExploreReport {
  /** The file a run or a shard writes under {@code --out}, last, and {@code merge} reads. */
  public static final String FILE = "explore.json";

  /** The version of {@link #FILE}'s shape; a change of shape raises it. */
  public static final int SCHEMA_VERSION = 3;

  /** The JSON schema of {@link #FILE}, a resource of this jar. */
  public static final String SCHEMA = "/org/userptrlab/lab/report/userptr-lab-explore.schema.json";

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ExploreReport() {}

  /**
   * The files of {@code r}: each finding's minimal program, then the result; the result comes last,
   * so that a directory holding it holds everything.
   */
  public static List<Document> files(ExploreResult r) {
    List<Document> out = new ArrayList<>();
    for (Finding f : r.findings()) {
      out.add(new Document(f.signature().slug() + ".scenario", f.minimal()));
    }
    // The corpus, for a later run's --corpus (which reads every .scenario file of a directory).
    for (int i = 0; i < r.corpus().size(); i++) {
      out.add(new Document(String.format(Locale.ROOT, "corpus-%05d.scenario", i), r.corpus().get(i)));
    }
    out.add(new Document(COVERAGE, coverageCsv(r)));
    out.add(new Document(FILE, json(r)));
    return out;
  }

  /** What a minimal program's first line says after its signature: how a file tells it is one explore wrote. */
  static final String MINIMAL_MARK = ": the smallest program found, from ";

  private static final java.util.regex.Pattern CORPUS_FILE = java.util.regex.Pattern.compile("corpus-[0-9]{5}\\.scenario");

  /** A file's first line, or null for an empty file, read only when asked for. */
  @FunctionalInterface
  public interface FirstLine {
    String read() throws IOException;
  }

  /**
   * Whether a file named {@code name} that an output directory holds passes as one the lab wrote, as far as program
   * files go: a .scenario file must be explore's corpus or a minimal program (its first line says so), since a user's
   * own programs have the same extension; any other file passes (its name is judged elsewhere).
   */
  public static boolean wroteProgram(String name, FirstLine firstLine) throws IOException {
    if (!name.endsWith(".scenario") || CORPUS_FILE.matcher(name).matches()) {
      return true;
    }
    String first = firstLine.read();
    return first != null && first.startsWith("# ") && first.contains(MINIMAL_MARK);
  }

  /** The result as {@link #FILE} holds it. */
  public static String json(ExploreResult r) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.setAll((ObjectNode) MAPPER.valueToTree(r));
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The coverage every explore output writes beside {@link #FILE}. */
  static final String COVERAGE = "coverage.csv";

  /**
   * The result a finished explorer output directory holds: refuses (with an {@link IOException}
   * naming the directory) one without {@link #FILE}, with a cut or foreign one, or missing its
   * coverage or a finding's minimal program.
   */
  public static ExploreResult read(Path dir) throws IOException {
    Path f = dir.resolve(FILE);
    if (!Files.isRegularFile(f)) {
      if (!Files.exists(dir)) {
        throw new IOException(dir + " does not exist; give the directories 'explore --out' wrote");
      }
      throw new IOException(dir + " holds no " + FILE + ", so it is not a finished explore output; give the directories 'explore --out' wrote");
    }
    ExploreResult r;
    try {
      JsonNode root = MAPPER.readTree(Files.readString(f, StandardCharsets.UTF_8));
      if (root == null || !root.isObject() || !root.path("schemaVersion").isInt()) {
        throw new IOException(f + " is not an explore result");
      }
      if (root.get("schemaVersion").asInt() != SCHEMA_VERSION) {
        throw new IOException(f + " has schema version " + root.get("schemaVersion").asInt() + "; this build reads " + SCHEMA_VERSION);
      }
      ((ObjectNode) root).remove("schemaVersion");
      // Every field an explore run writes: one left out would read as 0 or empty, and say something the run did not.
      for (java.lang.reflect.RecordComponent c : ExploreResult.class.getRecordComponents()) {
        if (!root.has(c.getName()) || root.get(c.getName()).isNull()) {
          throw new IOException(f + " is not a finished explore result: it has no '" + c.getName() + "', which every explore run writes");
        }
      }
      r = MAPPER.treeToValue(root, ExploreResult.class);
    } catch (com.fasterxml.jackson.core.JsonParseException e) {
      throw new IOException(String.format(Locale.ROOT, "%s is not a finished explore result: its JSON is cut or malformed at line %d, "
          + "column %d", f, e.getLocation().getLineNr(), e.getLocation().getColumnNr()));
    } catch (JsonProcessingException e) {
      String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()
          ? m.getPath().stream().map(x -> x.getFieldName() != null ? x.getFieldName() : "[" + x.getIndex() + "]")
              .collect(java.util.stream.Collectors.joining(".")).replace(".[", "[")
          : null;
      throw new IOException(f + " is not a finished explore result: " + (field == null ? "a field" : "'" + field + "'")
          + " does not hold what an explore run writes there");
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IOException(f + " is not a finished explore result: it is not UTF-8 text");
    }
    if (r.of() < 1 || r.shards().isEmpty() || r.shards().stream().anyMatch(s -> s < 1 || s > r.of()) || r.programs() > r.planned()
        || r.programs() < 0 || r.errors() < 0 || r.kept() < 0 || r.budget() < 0) {
      throw new IOException(f + " is not a consistent explore result (its shards or counts are out of range)");
    }
    if (!Files.isRegularFile(dir.resolve(COVERAGE))) {
      throw new IOException(dir + " is not a finished explore output: " + COVERAGE + " is missing");
    }
    for (Finding x : r.findings()) {
      if (!Files.isRegularFile(dir.resolve(x.signature().slug() + ".scenario"))) {
        throw new IOException(dir + " is not a finished explore output: " + x.signature().slug() + ".scenario is missing");
      }
    }
    return r;
  }

  /** The result for a person, in {@code format}: the summary table, Markdown, the findings as CSV, or the JSON of {@link #FILE}. */
  public static String render(ExploreResult r, Format format) {
    return switch (format) {
      case TABLE -> summary(r);
      case MARKDOWN -> markdown(r);
      case CSV -> csv(r);
      case JSON -> json(r);
      case JUNIT -> throw new IllegalArgumentException("explore's result is findings, not runs to be test cases; "
          + "render it as table, markdown, csv or json");
    };
  }

  /** The first line: how many programs ran, of how many, and whether a time limit stopped them. */
  private static String headline(ExploreResult r) {
    String of = r.programs() == r.planned() ? "" : " of " + r.planned();
    String stopped = r.programs() == r.planned() ? "" : ", stopped by the time limit";
    // errors: runs the program itself ended early, on an errno or a signal of its own (not a finding).
    return String.format(Locale.ROOT, "explored %d%s program%s (seed %d%s%s), %d run%s ended on the program's own errno or signal",
        r.programs(), of, r.planned() == 1 ? "" : "s", r.seed(), r.shards().size() == r.of() ? "" : ", shards " + r.shards() + " of " + r.of(),
        stopped, r.errors(), r.errors() == 1 ? "" : "s");
  }

  /** The summary: per strategy and kernel, each signature, how many programs hit it, the minimal program's length. */
  public static String summary(ExploreResult r) {
    StringBuilder sb = new StringBuilder();
    sb.append(headline(r)).append("\n\n");
    String fmt = "%-16s %-7s %-10s %-26s %6s %6s  %-9s %s%n";
    sb.append(String.format(Locale.ROOT, fmt, "strategy", "kernel", "kind", "what", "hits", "lines", "catalogue", "events"));
    for (Finding f : r.findings()) {
      Signature s = f.signature();
      sb.append(String.format(Locale.ROOT, fmt, s.strategy(), s.kernel(), s.kind(), s.what(), f.hits(), f.lines(),
          f.inCatalogue() ? "yes" : "no", String.join(" ", f.events())));
    }
    if (r.findings().isEmpty()) {
      sb.append("(nothing found)\n");
    }
    sb.append('\n').append(coverage(r));
    if (modelBug(r)) {
      sb.append("\n").append(MODEL_BUG).append("\n");
    }
    return sb.toString();
  }

  /**
   * What the run reached and did not, as lines: the share of coverage points, the model paths and
   * counters never reached, the kernel changes consulted each way, and the catalogue's signatures
   * no finding shows.
   */
  static String coverage(ExploreResult r) {
    Coverage c = r.coverage();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "coverage: %d of %d points reached: counters %d of %d, model paths %d of %d, kernel "
        + "changes consulted present %d and absent %d of %d each; the corpus kept %d explored program%s%n", c.size(), Coverage.points(),
        c.counters().size(), VmEvent.values().length, c.paths().size(), ModelPath.values().length, c.consultedWith().size(),
        c.consultedWithout().size(), KernelChange.values().length, r.kept(), r.kept() == 1 ? "" : "s"));
    List<String> paths = new ArrayList<>();
    for (ModelPath p : ModelPath.values()) {
      if (!c.paths().contains(p)) {
        paths.add(p + " (" + p.function() + ": " + p.outcome() + "; not reached yet, reachable by " + reachedBy(p) + ")");
      }
    }
    sb.append("model paths not reached: ").append(paths.isEmpty() ? "none" : String.join(", ", paths)).append('\n');
    List<String> counters = new ArrayList<>();
    for (VmEvent e : VmEvent.values()) {
      if (!c.counters().contains(e)) {
        counters.add(e.procName());
      }
    }
    sb.append("counters that never moved: ").append(counters.isEmpty() ? "none" : String.join(", ", counters)).append('\n');
    List<String> never = new ArrayList<>();
    for (KernelChange k : KernelChange.values()) {
      if (!c.consultedWith().contains(k) && !c.consultedWithout().contains(k)) {
        never.add(k.id());
      }
    }
    sb.append("kernel changes the memory manager never consulted (a strategy's own choice by kernel aside): ")
        .append(never.isEmpty() ? "none" : String.join(", ", never)).append('\n');
    List<Signature> missed = r.missed();
    sb.append(String.format(Locale.ROOT, "catalogue signatures found: %d of %d%s%n", r.catalogue().size() - missed.size(),
        r.catalogue().size(), missed.isEmpty() ? "" : "; not found: " + String.join(", ", missed.stream().map(Signature::toString).toList())));
    return sb.toString();
  }

  /**
   * What in the language reaches {@code p}: every model path is reachable by a program (none is unreachable by
   * design), so one no program reached is not reached yet, a gap of this run's programs, and this says what fills it.
   */
  static String reachedBy(ModelPath p) {
    return switch (p) {
      case GUP_FAST_FELL_BACK -> "p.pin_fast of a page not yet faulted in";
      case GUP_UNSHARE -> "p.pin FOLL_LONGTERM without FOLL_WRITE of a page shared after fork";
      case GUP_REFUSED -> "p.pin of a range with a hole or without PROT_WRITE";
      case GUP_LONGTERM_MIGRATED -> "p.pin FOLL_LONGTERM of pages in CMA or ZONE_MOVABLE (machine cma, machine movable)";
      case WP_PAGE_SHARED -> "a write through a MAP_SHARED mapping of a file after a read";
      case DO_COW_FAULT -> "a write to a MAP_PRIVATE mapping of a file";
      case DO_SHARED_FAULT -> "a read of a file mapping";
      case SWAP_CACHE_HIT -> "a read of a swapped-out page a pin still holds";
      case MLOCK_OVER_LIMIT -> "p.mlock past p.setrlimit_memlock";
      case RECLAIM_SKIPPED_PINNED -> "pressure or reclaim over a FOLL_PIN'd page on 5.11+";
      case RECLAIM_KEPT_HELD -> "pressure over a page get_user_pages holds";
      case RECLAIM_KEPT_WRITEBACK -> "p.madvise MADV_PAGEOUT, or pressure, over written anonymous pages with swap on";
      case RECLAIM_NO_SWAP_SLOT -> "a fork whose parent and child both write more than RAM and swap hold between them";
      case RECLAIM_DROPPED_FILE -> "pressure over clean file pages";
      case RECLAIM_LARGE_HELD -> "pressure over a THP with a page held";
      case MIGRATE_HELD -> "migrate, compact or cma_alloc over a held page";
      case MIGRATE_UNMOVABLE -> "migrate of a page migration cannot move (a kernel or device page)";
      case FORK_DONTCOPY -> "MADV_DONTFORK, then fork";
      case FORK_WIPEONFORK -> "MADV_WIPEONFORK (4.14), then fork";
      case DIRECT_RECLAIM -> "an allocation with memory full";
      case OUT_OF_MEMORY -> "an allocation with memory and swap full";
      case HUGETLB_FAULT -> "a touch of a MAP_HUGETLB mapping";
      case HUGETLB_WP_COPY -> "a write to a MAP_HUGETLB page after fork";
      case HUGETLB_NO_PAGE -> "more huge pages touched than the pool has";
      case DEVICE_PRIVATE_FAULT -> "under svm, a CPU touch of a buffer of 64K or more after a GPU job moved it to device memory";
      case FORK_DEVICE_PRIVATE -> "under svm, a fork after a GPU job moved a buffer of 64K or more to device memory";
      case MIGRATE_DEVICE_HELD -> "under svm, a GPU job on a buffer of 64K or more a pin holds a page of";
    };
  }

  private static final String MODEL_BUG = "MODEL BUG: a program broke the memory manager's invariants. That is a bug of the model, "
      + "not of a strategy; its minimal program reproduces it.";

  private static boolean modelBug(ExploreResult r) {
    return r.findings().stream().anyMatch(f -> f.signature().kind() == Signature.Kind.MODEL_BUG);
  }

  private static String markdown(ExploreResult r) {
    StringBuilder sb = new StringBuilder("# Explore\n\n").append(headline(r)).append(".\n\n");
    if (r.findings().isEmpty()) {
      return sb.append("Nothing found.\n\n").append(coverage(r)).toString();
    }
    // Text columns left-aligned, counts right-aligned.
    sb.append("| strategy | kernel | kind | what | hits | lines | catalogue | events | minimal program |\n");
    sb.append("|:---|:---|:---|:---|---:|---:|:---|:---|:---|\n");
    for (Finding f : r.findings()) {
      Signature s = f.signature();
      sb.append("| ").append(String.join(" | ", s.strategy(), s.kernel(), s.kind().name(), s.what(), Long.toString(f.hits()),
          Integer.toString(f.lines()), f.inCatalogue() ? "yes" : "no", String.join(" ", f.events()), "`" + s.slug() + ".scenario`"))
          .append(" |\n");
    }
    sb.append('\n').append(coverage(r));
    if (modelBug(r)) {
      sb.append("\n**").append(MODEL_BUG).append("**\n");
    }
    return sb.toString();
  }

  private static String csv(ExploreResult r) {
    StringBuilder sb = new StringBuilder("strategy,kernel,kind,what,hits,lines,first_program,in_catalogue,events,minimal_program\n");
    for (Finding f : r.findings()) {
      Signature s = f.signature();
      sb.append(String.join(",", quote(s.strategy()), quote(s.kernel()), s.kind().name(), quote(s.what()), Long.toString(f.hits()),
          Integer.toString(f.lines()), Long.toString(f.first()), Boolean.toString(f.inCatalogue()), quote(String.join(" ", f.events())),
          quote(s.slug() + ".scenario"))).append('\n');
    }
    return sb.toString();
  }

  /** Every point of coverage, one a row: what it is (counter, path, change present, change absent), its name, whether reached. */
  static String coverageCsv(ExploreResult r) {
    Coverage c = r.coverage();
    StringBuilder sb = new StringBuilder("point,name,kernel_function,reached\n");
    for (VmEvent e : VmEvent.values()) {
      sb.append("counter,").append(e.name()).append(",,").append(c.counters().contains(e)).append('\n');
    }
    for (ModelPath p : ModelPath.values()) {
      sb.append("path,").append(p.name()).append(',').append(p.function()).append(',').append(c.paths().contains(p)).append('\n');
    }
    for (KernelChange k : KernelChange.values()) {
      sb.append("change_present,").append(k.id()).append(",,").append(c.consultedWith().contains(k)).append('\n');
      sb.append("change_absent,").append(k.id()).append(",,").append(c.consultedWithout().contains(k)).append('\n');
    }
    return sb.toString();
  }

  private static String quote(String s) {
    return s.matches("[^,\"\\r\\n]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
  }
}
