package org.userptrlab.examples.scenarios;

import java.util.List;
import org.userptrlab.core.harness.Scenario;

/** The scenarios of the comparison, one per use case and hazard of the thread. */
public final class Catalogue {
  private Catalogue() {}

  public static List<Scenario> all() {
    return List.of(new TextureUploadLoop(), new MidPageRange(), new ForkAfterImport());
  }
}
