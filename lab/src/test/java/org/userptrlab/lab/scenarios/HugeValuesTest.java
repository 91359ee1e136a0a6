package org.userptrlab.lab.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.RunResult.Verdict;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.lang.Programs;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;

/** The largest numbers a program can write behave as they would in a real program: ENOMEM from malloc, SIGSEGV past a mapping. */
class HugeValuesTest {
  private static final Comparison CMP = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12)
      .profiles(List.of(Profiles.all().get(0))).build());

  private static Program program(String body) {
    return Parser.parse("huge.scenario", "scenario huge\nmachine ram 4M swap 8M\n\np = app app\n" + body);
  }

  private static RunResult run(String body) {
    return CMP.run(new TextScenario("huge.scenario", program(body)), "copy", KernelConfig.LINUX_6_12);
  }

  /** malloc and posix_memalign answer NULL with ENOMEM past user space, as the executor's C library reports it; such a request takes nothing. */
  @Test
  void mallocAndMemalignOfMoreThanUserSpaceAnswerEnomemAndAProgramAskingTwiceStillFits() {
    String body = "a = try p.malloc 9223372036854775807\nb = try p.malloc 9223372036854775807\nc = try p.memalign 4K 9223372036854775807\n"
        + "check \"malloc answered ENOMEM\" a == ENOMEM\n"
        + "check \"memalign answered ENOMEM\" c == ENOMEM\n";
    assertThat(Programs.demand(program(body))).isZero();
    assertThat(Programs.doesNotFit(program(body), MachineConfig.builder().ram(4L << 20).build())).isNull();
    RunResult r = run(body);
    assertThat(r.error()).isNull();
    assertThat(r.checks()).hasSize(2).allSatisfy(c -> assertThat(c.held()).isTrue());
    assertThat(run("a = p.malloc 1T\n").error().message()).as("a request past RAM plus swap: the kernel's ENOMEM, not a refusal")
        .startsWith("ENOMEM: malloc");
  }

  @Test
  void theDemandOfSizesThatSumPastTheLargestNumberStopsThere() {
    Program p = program("a = p.mmap 9223372036854775807 PROT_READ MAP_SHARED|MAP_ANONYMOUS\n"
        + "b = p.mmap 9223372036854775807 PROT_READ MAP_SHARED|MAP_ANONYMOUS\n");
    assertThat(Programs.demand(p)).isEqualTo(Long.MAX_VALUE);
    assertThat(Programs.doesNotFit(p, MachineConfig.builder().ram(4L << 20).build()))
        .as("shared anonymous memory is committed when it is made (shmem_acct_size)").contains("asks for 9223372036854775807");
    Program written = program("a = p.mmap 9223372036854775807 PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n");
    assertThat(Programs.doesNotFit(written, MachineConfig.builder().ram(4L << 20).build())).as("private and writable: "
        + "more than RAM plus swap at once is the kernel's ENOMEM, nothing taken").isNull();
    Program twice = program("a = p.mmap 3M PROT_READ MAP_SHARED|MAP_ANONYMOUS\nb = p.mmap 3M PROT_READ MAP_SHARED|MAP_ANONYMOUS\n");
    assertThat(Programs.doesNotFit(twice, MachineConfig.builder().ram(4L << 20).build())).contains("asks for 6M");
  }

  /**
   * A private mapping that is read-only, or MAP_NORESERVE, commits no memory when it is made (accountable_mapping):
   * it reserves addresses, so a program of one larger than the machine runs, and reads zeroes there, as on
   * Linux 6.18; an mremap of one grows it by addresses too.
   */
  @Test
  void aMappingThatCommitsNoMemoryRunsOnAMachineSmallerThanIt() {
    String body = "a = p.mmap 100M PROT_READ MAP_PRIVATE|MAP_ANONYMOUS\ncheck \"reads zero\" p.zero a+99M 4K\n"
        + "r = try p.mmap 1T PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE\ncheck \"no reserve, no refusal\" r == OK\n"
        + "b = p.mmap 4K PROT_READ MAP_PRIVATE|MAP_ANONYMOUS\nm = try p.mremap b 4K 1T MREMAP_MAYMOVE\n"
        + "check \"grown by addresses\" m == OK\n";
    assertThat(Programs.demand(program(body))).isZero();
    RunResult r = run(body);
    assertThat(r.error()).as(r.summary()).isNull();
    assertThat(r.checks()).hasSize(3).allSatisfy(c -> assertThat(c.held()).as(c.described()).isTrue());
  }

  @Test
  void aFillPastTheBufferIsTheSameSigsegvWhateverItsLength() {
    String buffer = "b = p.malloc 4K\n";
    RunResult justPast = run(buffer + "p.fill b 1M 1\n");
    assertThat(justPast.error().message()).startsWith("SIGSEGV");
    for (String size : List.of("9223372036854775807", "0x7ffffffffffff000", "140737488355328", "1T")) {
      RunResult r = run(buffer + "p.fill b " + size + " 1\n");
      assertThat(r.verdict()).as(size).isEqualTo(Verdict.ERROR);
      // The same signal at the same address, on the same line; the place names the call with its own size.
      assertThat(r.error().message().replaceFirst(" \\(at huge.scenario:6, [^)]*\\)$", "")).as(size)
          .isEqualTo(justPast.error().message().replaceFirst(" \\(at huge.scenario:6, p.fill b 1M 1\\)$", ""))
          .doesNotContain("(at");
    }
    assertThat(run(buffer + "ok = p.sees b 9223372036854775807 1\n").error()).as("the check stops at its first differing byte, "
        + "short of the end").isNull();
    assertThat(run(buffer + "p.fill b 4K 1\nok = p.sees b 9223372036854775807 1\n").error()).isNull();
  }

  @Test
  void reportsAndMigrationOverARangeAsLargeAsUserSpaceLookOnlyAtWhatIsMapped() {
    RunResult r = run("b = p.malloc 64K\np.fill b 64K 1\np.report_resident b 0x7ffffffff000\np.report_swapped b 0x7ffffffff000\n"
        + "migrate p b 0x7ffffffff000\n");
    assertThat(r.error()).isNull();
  }
}
