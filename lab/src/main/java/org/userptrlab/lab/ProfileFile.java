package org.userptrlab.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.userptrlab.core.cost.Figure;
import org.userptrlab.core.cost.Parameter;
import org.userptrlab.core.cost.PlatformProfile;

/**
 * A platform profile as a JSON file ({@code calibrate} writes one, {@code --profile-file} reads
 * it): {@code {"name", "description", "figures": {"FAULT": {"value", "source"}, ...}}}.
 */
public final class ProfileFile {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** A file of one JSON document, each key once: a second value of a figure would silently win. */
  private static final com.fasterxml.jackson.databind.ObjectReader READER = MAPPER.reader()
      .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .with(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION);

  private ProfileFile() {}

  /**
   * Writes {@code p} to {@code file} whole or not at all: into a new file beside it (created as any
   * tool creates one, 0666 less the umask), renamed over it once written; a failure leaves the old
   * file, if any, and nothing beside it.
   */
  public static void write(PlatformProfile p, Path file) throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("name", p.name());
    root.put("description", p.description());
    ObjectNode figures = root.putObject("figures");
    for (Map.Entry<Parameter, Figure> e : p.figures().entrySet()) {
      ObjectNode f = figures.putObject(e.getKey().name());
      double v = e.getValue().value();
      // A whole number as one: a size in bytes reads 503316480, not 5.0331648E8.
      if (whole(v)) {
        f.put("value", (long) v);
      } else {
        f.put("value", v);
      }
      f.put("unit", e.getKey().unit().symbol());
      f.put("source", e.getValue().source());
    }
    Path abs = file.toAbsolutePath();
    Path tmp = abs.resolveSibling("." + abs.getFileName() + ".partial-" + Long.toHexString(System.nanoTime()));
    try {
      Files.writeString(tmp, MAPPER.writeValueAsString(root) + "\n", java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE);
      Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  /**
   * What to tell the user of a profile read from {@code file} that lacked figures added since it
   * was written (the guest's stand in for them); empty when it lacked none.
   */
  public static java.util.Optional<String> borrowed(Path file, PlatformProfile p) {
    List<Parameter> lent = p.filledIn();
    if (lent.isEmpty()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(String.format("%s was written before %s existed, or has lost %s since: %s; calibrate again to "
        + "time %s here", file, String.join(", ", lent.stream().map(Parameter::name).toList()), lent.size() == 1 ? "it" : "them",
        standIns(p), lent.size() == 1 ? "it" : "them"));
  }

  /**
   * What stands in for the figures a profile lacked ({@link PlatformProfile#filledIn}): {@code the epyc-guest-2026 profile's
   * figure stands in for USER_CHECK (1.80 B/ns)}, or the file's own figure that priced it before; empty when it lacked none.
   */
  public static String standIns(PlatformProfile p) {
    List<Parameter> lent = p.filledIn();
    List<String> guest = lent.stream().filter(q -> q.before() == null).map(q -> valued(p, q)).toList();
    List<String> stands = new java.util.ArrayList<>();
    if (!guest.isEmpty()) {
      stands.add(String.format("the %s profile's %s in for %s", org.userptrlab.core.cost.Profiles.EPYC_GUEST.name(),
          guest.size() == 1 ? "figure stands" : "figures stand", String.join(", ", guest)));
    }
    lent.stream().filter(q -> q.before() != null).forEach(q -> stands.add(String.format("%s takes the file's own %s, which priced it "
        + "before", valued(p, q), q.before())));
    return String.join("; ", stands);
  }

  /**
   * Why a profile read from {@code file} cannot be used beside the built-in profiles: it is named as one of them with
   * other figures, which reports would give under the built-in's name; empty where it can.
   */
  public static java.util.Optional<String> nameClash(Path file, PlatformProfile read) {
    return org.userptrlab.core.cost.Profiles.byName(read.name()).filter(builtIn -> !builtIn.equals(read))
        .map(builtIn -> String.format("%s names its profile %s, as the built-in profile of that name is, with other figures: give "
            + "it a name of its own (the \"name\" in the file)", file, read.name()));
  }

  /** A figure as a note gives it: its name, its value and its unit. */
  private static String valued(PlatformProfile p, Parameter q) {
    double v = p.get(q);
    String value = whole(v) ? String.valueOf((long) v) : Calibration.figure(v);
    return q + " (" + value + " " + q.unit().symbol() + ")";
  }

  /** Whether a figure is a whole number a long holds exactly, written as one. */
  private static boolean whole(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15;
  }

  /** Reads a profile; {@link IllegalArgumentException} saying what is wrong with the file. */
  public static PlatformProfile read(Path file) throws IOException {
    if (file.toString().isEmpty()) {
      throw new IllegalArgumentException("a profile file needs a name, not '' (calibrate writes one)");
    }
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(file + " is a directory, not a profile file (calibrate writes one)");
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + " is not a regular file, not a profile file (calibrate writes one)");
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no profile file " + file + " (calibrate writes one)");
    }
    JsonNode root;
    try {
      root = READER.readTree(Files.readAllBytes(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
      // The parser's advice names its own switches and limits, which are not the user's to set.
      String why = e.getOriginalMessage().replaceAll(": enable `[^`]*` to allow", "").replaceAll(", from `[^`]*`", "")
          .replaceAll(" \\(bound as `[^`]*`\\)", "").replaceAll(": not allowed as per `[^`]*`", "");
      // Past its first switch or type name, or where it points into its own source, the rest is the parser's.
      int cut = why.length();
      for (String tail : new String[] {"`", " (start marker", "[Source"}) {
        int i = why.indexOf(tail);
        cut = i >= 0 ? Math.min(cut, i) : cut;
      }
      why = why.substring(0, cut).replaceAll("[ :(,]+$", "");
      throw new IllegalArgumentException(String.format("%s is not JSON%s: %s (calibrate writes a profile file)", file,
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr(), why));
    }
    if (root == null || root.path("name").isMissingNode() || !root.path("figures").isObject()) {
      throw new IllegalArgumentException(file + " is not a profile: it needs a \"name\" and \"figures\"");
    }
    String name = root.path("name").asText("");
    if (!root.path("name").isTextual() || name.isBlank() || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(file + ": the profile's \"name\" must be a line of text, the name reports give it");
    }
    PlatformProfile.Builder b = PlatformProfile.builder(name, root.path("description").asText(""));
    for (Map.Entry<String, JsonNode> e : root.get("figures").properties()) {
      Parameter p;
      try {
        p = Parameter.valueOf(e.getKey());
      } catch (IllegalArgumentException x) {
        throw new IllegalArgumentException(file + " gives a figure for " + e.getKey() + ", which is not a parameter of the cost model");
      }
      JsonNode given = e.getValue().path("value");
      if (!given.isNumber()) {
        throw new IllegalArgumentException(given.isMissingNode() || given.isNull()
            ? String.format("%s: the figure for %s has no \"value\" (calibrate writes a whole profile)", file, e.getKey())
            : String.format("%s: the figure for %s is %s, not a number of %s; correct it, or calibrate again", file, e.getKey(),
                given, p.unit().symbol()));
      }
      String unit = e.getValue().path("unit").asText(p.unit().symbol());
      if (!unit.equals(p.unit().symbol())) {
        throw new IllegalArgumentException(String.format("%s: the figure for %s is given in %s; %s is in %s", file, e.getKey(), unit,
            e.getKey(), p.unit().symbol()));
      }
      double value = e.getValue().get("value").asDouble();
      if (!(value >= 0) || !Double.isFinite(value)) {
        // Said as the file writes it (-5, not -5.0).
        throw new IllegalArgumentException(String.format("%s: the figure for %s is %s; a figure is a number of zero or more: "
            + "correct it, or calibrate again", file, e.getKey(), e.getValue().get("value").asText()));
      }
      try {
        b.set(p, value, e.getValue().path("source").asText("from " + file));
      } catch (IllegalArgumentException x) {
        throw new IllegalArgumentException(file + ": the figure for " + e.getKey() + ": " + x.getMessage());
      }
    }
    b.fillFrom(org.userptrlab.core.cost.Profiles.EPYC_GUEST);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage() + " (calibrate writes a whole profile)");
    }
  }
}
