package org.userptrlab.examples.scenarios;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.userptrlab.examples.lang.Parser;

import java.util.List;
import org.userptrlab.core.harness.Scenario;

/** The scenarios of the comparison, one per use case and hazard of the thread. */
public final class Catalogue {
  private Catalogue() {}

  /** The use cases the thread names. */
  public static List<Scenario> useCases() {
    return List.of(new TextureUploadLoop(), new Pixman2d(), new OpenclHostPtr(), new MidPageRange());
  }

  /** The hazards the thread names. */
  public static List<Scenario> hazards() {
    return List.of(new ForkThenWrite(false), new ForkThenWrite(true), new ForkWorkaround(true), new ForkWorkaround(false),
        new MunlockBehindDriver(), new RlimitMemlock(),
        new RangeInLargeVma(), new HeapGrowth(), new CmaWhileImported(), new CompactionWhileImported(),
        new MemoryPressure(), new FreeAndReuse(), new ExitWhileImported(), new FileBackedRange());
  }

  public static List<Scenario> all() {
    List<Scenario> all = new java.util.ArrayList<>(useCases());
    all.addAll(hazards());
    return List.copyOf(all);
  }

  /** Where the catalogue's programs lie on the class path, one {@code NAME.scenario} file each. */
  static final String PROGRAMS = "/org/userptrlab/examples/scenarios/";

  /** The text of scenario {@code name}'s program, if it has one in the jar. */
  public static Optional<String> text(String name) {
    byName(name);
    try (InputStream in = Catalogue.class.getResourceAsStream(PROGRAMS + name + ".scenario")) {
      return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the program of " + name, e);
    }
  }

  /** The scenarios written in the language, in catalogue order. */
  public static List<String> programNames() {
    return all().stream().map(Scenario::name)
        .filter(n -> Catalogue.class.getResource(PROGRAMS + n + ".scenario") != null).toList();
  }

  /** Scenario {@code name} run from its program's text. */
  public static Optional<TextScenario> program(String name) {
    return text(name).map(t -> new TextScenario(name + ".scenario", Parser.parse(name + ".scenario", t)));
  }

  public static Scenario byName(String name) {
    return all().stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no scenario '" + name + "'; there are "
            + String.join(", ", all().stream().map(Scenario::name).toList())));
  }
}
