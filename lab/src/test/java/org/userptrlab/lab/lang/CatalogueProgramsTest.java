package org.userptrlab.lab.lang;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.lab.scenarios.Catalogue;
import org.userptrlab.lab.scenarios.TextScenario;

/** The catalogue's programs are stored as the printer writes them, and read back to the same program. */
class CatalogueProgramsTest {
  @Test
  void everyCatalogueProgramIsStoredInCanonicalFormAndPrintsBackToIt() {
    assertThat(Catalogue.all()).hasSize(18);
    for (Scenario s : Catalogue.all()) {
      Program p = ((TextScenario) s).program();
      String printed = Printer.print(p);
      assertThat(Printer.print(Parser.parse(s.name(), printed))).as(s.name()).isEqualTo(printed);
      assertThat(Catalogue.text(s.name())).as("%s is stored in canonical form", s.name()).isEqualTo(printed);
      assertThat(Parser.parse(s.name(), printed)).as(s.name()).isEqualTo(p);
    }
  }
}
