package org.userptrlab.lab.explore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.mm.KernelConfig;

/** A user's programs as the corpus's seeds: the explorer searches around them, and shrinks what it finds there. */
class CorpusTest {
  private static final List<KernelConfig> KERNELS = List.of(KernelConfig.LINUX_6_12);
  private static final Signature BLOCKED = new Signature("backed-pin", "6.12", Signature.Kind.HAZARD, "MIGRATION_BLOCKED");

  /** Looks for leaks once it has let go of everything: fine as written; looking before it exits, it finds its own pages. */
  private static final Program NEAR = Parser.parse("near.scenario", """
      scenario near "imports, lets go, exits, then looks for leaks"
      machine ram 16M
      p = app app
      buf = p.memalign 4K 16K
      p.fill buf 16K 1
      obj = p.userptr buf 16K
      p.close obj
      p.exit
      report_leaks
      """);
  private static final Signature LEAKED = new Signature("backed-pin", "6.12", Signature.Kind.HAZARD, "PAGES_LEAKED");

  private static Comparison cmp() {
    return new Comparison(LabOptions.builder().strategies("backed-pin").kernels(KERNELS).profiles(List.of(Profiles.all().get(0))).build());
  }

  /** Generation and the catalogue's corpus never write report_leaks; a mutant of the user's program does, out of place. */
  @Test
  void aFailureNextToAUsersProgramIsFoundFromItAndNotFromAFreshSeedInTheSameBudget() {
    Comparison cmp = cmp();
    Explorer guided = new Explorer(cmp, List.of("backed-pin"), KERNELS, List.of(NEAR));
    assertThat(guided.signatures(NEAR)).as("the program as written fails in no way").isEmpty();
    ExploreResult near = guided.run(1, 60, 1, 1, n -> { });
    assertThat(near.findings()).extracting(Finding::signature).contains(LEAKED);
    ExploreResult fresh = new Explorer(cmp, List.of("backed-pin"), KERNELS).run(1, 60, 1, 1, n -> { });
    assertThat(fresh.findings()).extracting(Finding::signature).doesNotContain(LEAKED);
    Finding f = near.findings().stream().filter(x -> x.signature().equals(LEAKED)).findFirst().orElseThrow();
    Program min = Parser.parse("min.scenario", f.minimal());
    assertThat(guided.signatures(min)).contains(LEAKED);
  }

  @Test
  void aUsersFailingProgramShrinksToTheLinesThatMakeTheFailure() {
    Program failing = Parser.parse("failing.scenario", """
        scenario failing "moves its pages while they are imported"
        machine ram 16M
        p = app app
        other = p.malloc 64K
        p.fill other 64K 2
        buf = p.memalign 4K 16K
        p.fill buf 16K 1
        obj = p.userptr buf 16K
        child = p.fork
        child.exit
        migrate p buf 16K
        p.close obj
        """);
    Explorer e = new Explorer(cmp(), List.of("backed-pin"), KERNELS);
    assertThat(e.signatures(failing)).contains(BLOCKED);
    Finding f = e.shrink(failing, BLOCKED, "failing.scenario");
    assertThat(f.minimal()).startsWith("# HAZARD MIGRATION_BLOCKED under backed-pin on 6.12: the smallest program found, from failing.scenario.")
        .doesNotContain("fork", "other").contains("migrate p buf", "kernel 6.12");
    assertThat(e.signatures(Parser.parse("min.scenario", f.minimal()))).contains(BLOCKED);
  }
}
