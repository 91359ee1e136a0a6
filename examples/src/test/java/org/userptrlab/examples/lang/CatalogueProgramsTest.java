package org.userptrlab.examples.lang;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.Hazard;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.examples.scenarios.Catalogue;
import org.userptrlab.examples.scenarios.TextScenario;
import org.userptrlab.mm.KernelConfig;

/** The catalogue's programs in the language run exactly as the Java scenarios they were written from. */
class CatalogueProgramsTest {
  static List<String> withText() {
    List<String> out = new ArrayList<>();
    for (Scenario s : Catalogue.all()) {
      if (Catalogue.text(s.name()).isPresent()) {
        out.add(s.name());
      }
    }
    return out;
  }

  @Test
  void everyCatalogueProgramPrintsBackToItsCanonicalText() {
    for (String name : withText()) {
      Program p = Catalogue.program(name).orElseThrow().program();
      String printed = Printer.print(p);
      assertThat(Printer.print(Parser.parse(name, printed))).as(name).isEqualTo(printed);
      assertThat(Catalogue.text(name).orElseThrow()).as("%s is stored in canonical form", name).isEqualTo(printed);
    }
  }

  @Test
  void theProgramsRunAsTheirJavaScenariosUnderEveryStrategyOnEveryPreset() {
    Comparison cmp = new Comparison(LabOptions.builder().kernels(KernelConfig.presets()).profiles(List.of(Profiles.all().get(0))).build());
    List<String> names = withText();
    assertThat(names).hasSizeGreaterThanOrEqualTo(4);
    for (String name : names) {
      Scenario java = Catalogue.byName(name);
      TextScenario text = Catalogue.program(name).orElseThrow();
      assertThat(text.description()).isEqualTo(java.description());
      for (String strategy : Strategies.names()) {
        for (KernelConfig k : KernelConfig.presets()) {
          RunResult a = cmp.run(java, strategy, k);
          RunResult b = cmp.run(text, strategy, k);
          String who = name + " under " + strategy + " on " + k;
          assertThat(b.verdict()).as(who).isEqualTo(a.verdict());
          assertThat(b.checks()).as(who).isEqualTo(a.checks());
          assertThat(b.hazards().stream().map(Hazard::toString).toList()).as(who)
              .isEqualTo(a.hazards().stream().map(Hazard::toString).toList());
          assertThat(b.counters()).as(who).isEqualTo(a.counters());
        }
      }
    }
  }
}
