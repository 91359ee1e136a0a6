package org.userptrlab.lab.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Check;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.mm.KernelConfig;

/** A program's {@code machine thp} reaches the model's machine, and {@code anon_huge} reads what it did. */
class ThpTest {
  private static final Comparison CMP = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12)
      .profiles(List.of(Profiles.all().get(0))).build());

  /** Writes the first byte of a 2 MiB-aligned 2 MiB range inside a 4 MiB mapping, as cow.c does for a THP. */
  private static RunResult run(String mode, String checks) {
    String text = "scenario huge \"a THP\"\nmachine ram 64M thp " + mode + "\n\np = spawn cow\n"
        + "big = p.mmap 4M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\nmem = align_down big+2M 2M\np.store mem 1\n" + checks;
    return CMP.run(new TextScenario("huge.scenario", Parser.parse("huge.scenario", text), s -> {}), "copy", KernelConfig.LINUX_6_12);
  }

  private static void holds(RunResult r) {
    assertThat(r.error()).as(r.summary()).isNull();
    assertThat(r.checks()).isNotEmpty().allMatch(Check::held, "held");
  }

  @Test
  void alwaysGivesAThpAtTheFirstWriteOfAnAlignedRange() {
    holds(run("always", "check \"a THP\" p.anon_huge mem == 2M\ncheck \"the VMA's, wherever asked\" p.anon_huge big == 2M\n"
        + "check \"aligned\" mem != big\n"));
  }

  @Test
  void neverGivesNone() {
    holds(run("never", "check \"no THP\" p.anon_huge mem == 0\n"));
  }

  @Test
  void madviseGivesOneOnlyAfterMadvHugepage() {
    holds(run("madvise", "check \"no THP without MADV_HUGEPAGE\" p.anon_huge mem == 0\n"));
    String after = "q = spawn other\nb2 = q.mmap 4M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\nm2 = align_down b2+2M 2M\n"
        + "q.madvise m2 2M MADV_HUGEPAGE\nq.store m2 1\ncheck \"a THP after MADV_HUGEPAGE\" q.anon_huge m2 == 2M\n"
        + "check \"hg in VmFlags\" q.vma_flag m2 hg\n";
    holds(run("madvise", after));
  }

  @Test
  void anAlignmentThatIsNoPowerOfTwoIsEinval() {
    holds(run("never", "r = try align_down big 3M\ncheck \"EINVAL\" r == EINVAL\n"));
  }

  @Test
  void noVmaHasNoHugePages() {
    holds(run("always", "p.munmap big 4M\ncheck \"nothing mapped\" p.anon_huge mem == 0\n"));
  }

  /** {@code p.populated}: pagemap's present or swapped bit, as the selftests' pagemap_is_populated; no fault taken. */
  @Test
  void populatedIsPresentOrSwappedOut() {
    holds(run("always", "check \"the THP's last page\" p.populated mem+2044K\ncheck \"untouched\" not p.populated big\n"
        + "check \"still untouched: the view takes no fault\" not p.populated big\n"
        + "p.madvise mem 2M MADV_DONTNEED\ncheck \"discarded\" not p.populated mem+2044K\n"));
    holds(run("always swap 16M", "r = try p.madvise mem 2M MADV_PAGEOUT\ncheck \"paged out\" p.swapped mem 2M\n"
        + "check \"a swapped-out page is populated\" p.populated mem+2044K\n"));
  }

  /** {@code machine thp SIZE MODE} reaches the machine: 64 KiB folios only, mapped by PTEs. */
  @Test
  void aThpSizeOfItsOwnGivesFoliosOfThatSize() {
    holds(run("never thp 2M never thp 64K always", "check \"the 64 KiB folio's last page\" p.populated mem+60K\n"
        + "check \"no further\" not p.populated mem+64K\ncheck \"no PMD\" p.anon_huge mem == 0\n"));
    holds(run("never thp 2M always", "check \"the PMD size set alone\" p.anon_huge mem == 2M\n"));
  }
}
