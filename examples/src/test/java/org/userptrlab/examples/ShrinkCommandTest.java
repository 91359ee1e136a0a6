package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code shrink FILE}: the user's failing program minimised, printed and written; a program that fails in no way is said so. */
class ShrinkCommandTest {
  private static final String FAILING = """
      scenario failing "moves its pages while they are imported"
      machine ram 16M
      p = app app
      other = p.malloc 64K
      p.fill other 64K 2
      buf = p.memalign 4K 16K
      p.fill buf 16K 1
      obj = p.userptr buf 16K
      migrate p buf 16K
      p.close obj
      """;

  @Test
  void aFailingProgramIsPrintedShrunkAndWrittenUnderItsSignature(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("failing.scenario"), FAILING);
    Path out = dir.resolve("out");
    CliTest.Result r = CliTest.run("shrink", file.toString(), "--strategies", "backed-pin", "--kernels", "6.12", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("# HAZARD MIGRATION_BLOCKED under backed-pin on 6.12").doesNotContain("other");
    assertThat(out.resolve("backed-pin_6.12_hazard_migration_blocked.scenario")).content().isEqualTo(r.out());
    CliTest.Result replay = CliTest.run("run", out.resolve("backed-pin_6.12_hazard_migration_blocked.scenario").toString(),
        "--strategies", "backed-pin", "--kernels", "6.12");
    assertThat(replay.out()).contains("MIGRATION_BLOCKED");
  }

  @Test
  void aProgramThatFailsInNoWayOrNotInTheWayAskedExitsOneSayingSo(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("fine.scenario"), "scenario fine \"nothing wrong\"\np = app a\nbuf = p.malloc 4K\n");
    CliTest.Result r = CliTest.run("shrink", file.toString(), "--strategies", "copy", "--kernels", "6.12");
    assertThat(r.code()).isEqualTo(Cli.FAILURE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("userptr-lab: " + file + " shows no failure shrink keeps (a promise a strategy breaks where "
        + "another keeps it, or a hazard, in a run that ends without a scenario error; a run that ends in one, and the program's own "
        + "'check' lines, are not kept) under copy on 6.12; there is nothing to shrink\n");
    Path failing = Files.writeString(dir.resolve("failing.scenario"), FAILING);
    CliTest.Result other = CliTest.run("shrink", failing.toString(), "--strategies", "backed-pin", "--kernels", "6.12",
        "--what", "CHILD_LOST_MAPPING");
    assertThat(other.code()).isEqualTo(Cli.FAILURE);
    assertThat(other.err()).contains("shows no CHILD_LOST_MAPPING (it shows HAZARD MIGRATION_BLOCKED under backed-pin on 6.12)");
    // A name in lower case is the same name, as the other commands take theirs.
    CliTest.Result lower = CliTest.run("shrink", failing.toString(), "--strategies", "backed-pin", "--kernels", "6.12",
        "--what", "migration_blocked");
    assertThat(lower.code()).as(lower.err()).isZero();
    assertThat(lower.out()).startsWith("# HAZARD MIGRATION_BLOCKED under backed-pin on 6.12");
  }

  /**
   * A check of bytes no line wrote fails under every strategy: shrinking keeps the lines the broken check depends on (the
   * fork and the parent's write), as a strategy that kept the promise on the program must still keep it on each smaller one.
   */
  @Test
  void shrinkingKeepsWhatTheBrokenCheckDependsOn(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("fork.scenario"), """
        scenario forkimport "import, fork, the parent writes"
        p = app app
        buf = p.memalign 4K 16K
        p.fill buf 16K 1
        obj = p.userptr buf 16K
        child = p.fork
        p.fill buf 16K 2
        expect GPU_SEES_LATER_CPU_WRITES "the GPU sees the parent's write" gpu.sees obj 2
        """);
    CliTest.Result r = CliTest.run("shrink", file.toString(), "--kernels", "3.4");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("child = p.fork", "p.fill buf 4K 2", "expect GPU_SEES_LATER_CPU_WRITES");
  }

  /** An --out directory holding the user's own programs is theirs: refused, and left as it was. */
  @Test
  void anOutDirectoryOfTheUsersOwnProgramsIsNotReplaced(@TempDir Path dir) throws Exception {
    Path mine = Files.createDirectories(dir.resolve("mine"));
    Files.writeString(mine.resolve("own.scenario"), FAILING);
    CliTest.Result r = CliTest.run("shrink", mine.resolve("own.scenario").toString(), "--strategies", "backed-pin", "--kernels", "6.12",
        "--out", mine.toString());
    assertThat(r.code()).isEqualTo(Cli.USAGE);
    assertThat(r.err()).contains("holds own.scenario, which userptr-lab does not write");
    assertThat(mine.resolve("own.scenario")).content().isEqualTo(FAILING);
  }
}
