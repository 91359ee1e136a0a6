package org.userptrlab.examples.scenarios;

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

  public static Scenario byName(String name) {
    return all().stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no scenario '" + name + "'; there are "
            + String.join(", ", all().stream().map(Scenario::name).toList())));
  }
}
