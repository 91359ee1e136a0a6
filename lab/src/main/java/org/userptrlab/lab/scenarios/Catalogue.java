package org.userptrlab.lab.scenarios;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.lab.lang.Parser;

/**
 * The scenarios of the comparison, one per use case and hazard of the thread, each a program in
 * the language stored in the jar as {@code NAME.scenario}.
 */
public final class Catalogue {
  private Catalogue() {}

  /** Where the catalogue's programs lie on the class path. */
  static final String PROGRAMS = "/org/userptrlab/lab/scenarios/";

  private static final List<String> USE_CASES = List.of("texture-upload-loop", "pixman-2d", "opencl-use-host-ptr", "mid-page-range");
  private static final List<String> HAZARDS = List.of("fork-then-parent-writes", "fork-then-child-writes",
      "fork-with-madv-dontfork", "fork-then-exec", "munlock-behind-driver", "rlimit-memlock", "1mib-in-16mib-vma", "heap-growth",
      "cma-while-imported", "compaction-while-imported", "memory-pressure", "free-and-reuse", "exit-while-imported",
      "file-backed-range");

  /** Parsed once: a program is immutable and each run interprets it afresh. */
  private static final class Loaded {
    static final List<Scenario> USE_CASES = load(Catalogue.USE_CASES);
    static final List<Scenario> HAZARDS = load(Catalogue.HAZARDS);

    private static List<Scenario> load(List<String> names) {
      return names.stream().<Scenario>map(n -> new TextScenario(n + ".scenario", Parser.parse(n + ".scenario", text(n)))).toList();
    }
  }

  /** The use cases the thread names. */
  public static List<Scenario> useCases() {
    return Loaded.USE_CASES;
  }

  /** The hazards the thread names. */
  public static List<Scenario> hazards() {
    return Loaded.HAZARDS;
  }

  public static List<Scenario> all() {
    List<Scenario> all = new ArrayList<>(useCases());
    all.addAll(hazards());
    return List.copyOf(all);
  }

  /** The text of scenario {@code name}'s program, as stored in the jar. */
  public static String text(String given) {
    // Every name is lower case: FORK-THEN-PARENT-WRITES names the same scenario.
    String name = given.toLowerCase(java.util.Locale.ROOT);
    if (!USE_CASES.contains(name) && !HAZARDS.contains(name)) {
      throw unknown(given);
    }
    try (InputStream in = Catalogue.class.getResourceAsStream(PROGRAMS + name + ".scenario")) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks the program of " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the program of " + name, e);
    }
  }

  /** Scenario {@code name}, run from its program. */
  public static TextScenario byName(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    return (TextScenario) all().stream().filter(s -> s.name().equals(lower)).findFirst().orElseThrow(() -> unknown(name));
  }

  private static IllegalArgumentException unknown(String name) {
    List<String> names = new ArrayList<>(USE_CASES);
    names.addAll(HAZARDS);
    return new IllegalArgumentException("no scenario '" + name + "'; there are " + String.join(", ", names));
  }
}
