package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Printer;
import org.userptrlab.lab.scenarios.Suite;

/** {@code show}: a catalogue scenario's program, or a suite's case, as text {@code run} takes. */
class ShowCommandTest {
  @Test
  void aSuitesCaseIsShownAsItsProgram() {
    CliTest.Result r = CliTest.run("show", "cow-basic-cow-after-fork-pte-mapped-thp-64k");
    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith("# tools/testing/selftests/mm/cow.c (6.18)\n")
        .contains("\"Basic COW after fork() ... with PTE-mapped THP (64 kB)\"\nmachine thp 2M never thp 64K always\n")
        .isEqualTo(Suite.KERNEL_SELFTESTS.text("cow-basic-cow-after-fork-pte-mapped-thp-64k").orElseThrow());
    assertThat(Printer.print(Parser.parse("shown", r.out()))).isEqualTo(r.out());
  }

  /** A suite's name lists its cases, a line each, in the suite's order: the name a case is shown by, then its description. */
  @Test
  void aSuitesNameListsItsCases() {
    CliTest.Result r = CliTest.run("show", "kernel-selftests");
    assertThat(r.code()).as(r.err()).isZero();
    java.util.List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(Suite.KERNEL_SELFTESTS.names().size())
        .contains("cow-basic-cow-after-fork-pte-mapped-thp-64k  Basic COW after fork() ... with PTE-mapped THP (64 kB)");
    assertThat(lines).extracting(l -> l.substring(0, l.indexOf("  "))).containsExactlyElementsOf(Suite.KERNEL_SELFTESTS.names());
    assertThat(CliTest.run("show", "KERNEL-SELFTESTS").out()).isEqualTo(r.out());
    assertThat(Suite.of("Kernel-Selftests")).isEqualTo(Suite.KERNEL_SELFTESTS);
  }

  /** --scenarios takes a catalogue name in capitals as the same name, as show does. */
  @Test
  void aScenarioNamedInCapitalsIsRunAsTheSame() {
    CliTest.Result r = CliTest.run("compare", "--scenarios", "Heap-Growth", "--strategies", "copy", "--kernels", "6.12");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(CliTest.run("compare", "--scenarios", "heap-growth", "--strategies", "copy", "--kernels", "6.12").out());
  }

  @Test
  void aCatalogueScenarioIsStillShown() {
    CliTest.Result r = CliTest.run("show", "texture-upload-loop");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("scenario texture-upload-loop");
  }

  /** Every name is lower case: one in capitals is the same name, and a mistyped one in capitals finds its nearest. */
  @Test
  void aNameInCapitalsIsTheSameName() {
    CliTest.Result r = CliTest.run("show", "TEXTURE-UPLOAD-LOOP");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(CliTest.run("show", "texture-upload-loop").out());
    assertThat(CliTest.run("show", "FORK-THEN-PARENT-WRITE").err()).contains("did you mean fork-then-parent-writes?");
  }

  @Test
  void aMistypedNameIsAnsweredWithTheNearestOfTheCatalogueAndTheSuites() {
    CliTest.Result r = CliTest.run("show", "cow-basic-cow-after-fork-pte-mapped-thp-64kk");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("userptr-lab: no scenario 'cow-basic-cow-after-fork-pte-mapped-thp-64kk' in the catalogue, nor a "
        + "case of kernel-selftests; did you mean cow-basic-cow-after-fork-pte-mapped-thp-64k, ");
    assertThat(CliTest.run("show", "fork-then-parent-write").err()).contains("did you mean fork-then-parent-writes?");
    assertThat(org.userptrlab.lab.lang.EditDistance.between("kitten", "sitting")).isEqualTo(3);
  }
}
