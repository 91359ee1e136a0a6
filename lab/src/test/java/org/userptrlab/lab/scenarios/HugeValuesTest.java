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

/** The largest numbers a program can write behave as they would in a real program: NULL from malloc, SIGSEGV past a mapping. */
class HugeValuesTest {
  private static final Comparison CMP = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12)
      .profiles(List.of(Profiles.all().get(0))).build());

  private static Program program(String body) {
    return Parser.parse("huge.scenario", "scenario huge\nmachine ram 4M swap 8M\n\np = app app\n" + body);
  }

  private static RunResult run(String body) {
    return CMP.run(new TextScenario("huge.scenario", program(body)), "copy", KernelConfig.LINUX_6_12);
  }

  @Test
  void mallocAndMemalignOfMoreThanUserSpaceReturnNullAndAProgramAskingTwiceStillFits() {
    String body = "a = p.malloc 9223372036854775807\nb = p.malloc 9223372036854775807\nc = p.memalign 4K 9223372036854775807\n"
        + "expect PROGRAM_KEEPS_ITS_BYTES \"malloc gave NULL\" not p.readable a\n"
        + "expect PROGRAM_KEEPS_ITS_BYTES \"memalign gave NULL\" not p.readable c\n";
    assertThat(Programs.demand(program(body))).isZero();
    assertThat(Programs.doesNotFit(program(body), MachineConfig.builder().ram(4L << 20).build())).isNull();
    RunResult r = run(body);
    assertThat(r.error()).isNull();
    assertThat(r.checks()).hasSize(2).allSatisfy(c -> assertThat(c.held()).isTrue());
  }

  @Test
  void theDemandOfSizesThatSumPastTheLargestNumberStopsThere() {
    Program p = program("a = p.mmap 9223372036854775807 PROT_READ MAP_PRIVATE|MAP_ANONYMOUS\n"
        + "b = p.mmap 9223372036854775807 PROT_READ MAP_PRIVATE|MAP_ANONYMOUS\n");
    assertThat(Programs.demand(p)).isEqualTo(Long.MAX_VALUE);
    assertThat(Programs.doesNotFit(p, MachineConfig.builder().ram(4L << 20).build())).contains("asks for 9223372036854775807");
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
    assertThat(run(buffer + "ok = p.sees b 9223372036854775807 1\n").error().message()).startsWith("SIGSEGV");
  }

  @Test
  void reportsAndMigrationOverARangeAsLargeAsUserSpaceLookOnlyAtWhatIsMapped() {
    RunResult r = run("b = p.malloc 64K\np.fill b 64K 1\np.report_resident b 0x7ffffffff000\np.report_swapped b 0x7ffffffff000\n"
        + "migrate p b 0x7ffffffff000\n");
    assertThat(r.error()).isNull();
  }
}
