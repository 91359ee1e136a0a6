package org.userptrlab.lab.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.Hazard;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.RunResult.Verdict;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.mm.KernelConfig;

/** What the harness sees for itself in a program that says {@code observe}: breaks of the contract, and hazards, and nothing else. */
class ObserveTest {
  private static final Comparison CMP = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_3_4, KernelConfig.LINUX_6_12)
      .profiles(List.of(Profiles.all().get(0))).build());

  private static RunResult run(String strategy, String body) {
    String text = "scenario observed \"a program the harness watches\"\nmachine ram 4M swap 8M\nobserve\n\np = app app\n" + body;
    return CMP.run(new TextScenario("observed.scenario", Parser.parse("observed.scenario", text)), strategy, KernelConfig.LINUX_6_12);
  }

  private static List<HazardKind> kinds(RunResult r) {
    return r.hazards().stream().map(Hazard::kind).toList();
  }

  /** The parent's write after fork goes to a new page; a plain reference stays with the old one, which the child now has. */
  @Test
  void aReferenceThatStaysWithTheChildAfterForkIsABrokenPromiseOfACoherentStrategy() {
    String body = "buf = p.memalign 4K 4K\nobj = p.userptr buf 4K\nchild = p.fork\np.fill buf 4K 1\n";
    assertThat(run("backed-pin", body).verdict()).isEqualTo(Verdict.BROKEN);
    assertThat(run("backed-longterm", body).verdict()).as("fork copies a pinned page for the child since 5.9").isEqualTo(Verdict.KEPT);
    assertThat(run("copy", body).verdict()).isEqualTo(Verdict.KEPT);
  }

  /**
   * The oracle follows a call whatever statement makes it: a GPU write or a write job on a line of
   * its own, or under {@code try}, lands as one bound to a name does; an mmap that failed under {@code try}
   * changes nothing; and buffers mapped or moved without a name are no error.
   */
  @Test
  void aCallIsFollowedWhetherItsLineBindsANameTriesItOrNeither() {
    String head = "buf = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.fill buf 64K 1\nobj = p.userptr buf 64K\n";
    for (String write : List.of("w = gpu.write obj 2\n", "gpu.write obj 2\n", "w = try gpu.write obj 2\n",
        "j = try gpu.submit obj write 1ms\n", "gpu.submit obj write 1ms\n", "m = try p.mmap_at buf 4K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE\n"
            + "check \"refused\" m == EEXIST\n")) {
      for (String strategy : List.of("copy", "backed-notifier", "backed-longterm")) {
        RunResult r = run(strategy, head + write);
        assertThat(r.error()).as(write + strategy).isNull();
        assertThat(r.verdict()).as(write + strategy + r.summary()).isEqualTo(Verdict.KEPT);
        assertThat(r.failedChecks()).isEmpty();
      }
    }
    String unnamed = head + "p.mmap_at buf 4K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED\np.malloc 4K\n"
        + "p.mremap buf 64K 128K MREMAP_MAYMOVE\np.userptr buf 4K\n";
    RunResult r = run("backed-longterm", unnamed);
    assertThat(r.error()).as(r.summary()).isNull();
    assertThat(r.verdict()).isEqualTo(Verdict.KEPT);
  }

  /**
   * free() of a small heap block leaves the page mapped, and the next memalign gets it back: a
   * GPU write through the object lands in the new allocation. That is the program's hazard, not a
   * promise the strategy broke, and a snapshot strategy's object is not affected.
   */
  @Test
  void aGpuWriteThroughAnObjectWhoseBufferWasFreedAndReusedIsAHazard() {
    String body = "buf = p.memalign 4K 4K\nobj = p.userptr buf 4K\np.free buf\nagain = p.memalign 4K 4K\np.fill again 4K 4\n"
        + "wrote = gpu.write obj 1\n";
    for (String coherent : List.of("backed-pin", "backed-longterm", "backed-notifier", "mlock")) {
      RunResult r = run(coherent, body);
      assertThat(r.verdict()).as(coherent).isEqualTo(Verdict.KEPT);
      assertThat(kinds(r)).as(coherent).contains(HazardKind.REUSED_MEMORY_WRITTEN);
    }
    RunResult copy = run("copy", body);
    assertThat(copy.verdict()).isEqualTo(Verdict.KEPT);
    assertThat(kinds(copy)).doesNotContain(HazardKind.REUSED_MEMORY_WRITTEN);
  }

  /**
   * MADV_DONTNEED zeroes the page for the program (zap_page_range_single), and a coherent object
   * sees the program's memory: its GPU sees the zeros too, which keeps the promise. A pinned page
   * the zap left behind keeps the old bytes: the GPU no longer sees the program's memory.
   */
  @Test
  void aPageTheProgramDroppedWithMadvDontneedIsNoBrokenPromiseWhereTheGpuSeesItsZerosToo() {
    String body = "buf = p.mmap 128K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.fill buf 128K 7\n"
        + "obj = p.userptr buf 128K\np.madvise buf+64K 4K MADV_DONTNEED\n";
    for (String strategy : List.of("backed-notifier", "svm-mirror", "backed-pin", "backed-longterm", "copy")) {
      assertThat(run(strategy, body).verdict()).as(strategy).isEqualTo(Verdict.KEPT);
    }
    String zeroed = body + "sees = gpu.sees_at obj 64K 4K 7 64K\ncheck \"the GPU sees zeros where the program does\" not sees\n";
    assertThat(run("backed-notifier", zeroed).checkOutcome()).isEqualTo(RunResult.CheckOutcome.PASS);
    assertThat(run("backed-longterm", zeroed).checkOutcome()).as("the pin keeps the old page").isEqualTo(RunResult.CheckOutcome.FAIL);
  }

  /** A read of bytes outside the object is the call's own EINVAL, before any job: no strategy's hazard. */
  @Test
  void aGpuReadOutsideTheObjectIsTheCallsEinval() {
    String body = "buf = p.memalign 4K 16K\nobj = p.userptr buf 16K\nr = try gpu.sees_at obj 8K 16K 1 0\n"
        + "z = try gpu.sees_at obj 0 0 1 0\ncheck \"past the end\" r == EINVAL\ncheck \"no bytes\" z == EINVAL\n";
    for (String strategy : List.of("copy", "backed-longterm", "svm-mirror")) {
      RunResult r = run(strategy, body);
      assertThat(r.checkOutcome()).as(strategy).isEqualTo(RunResult.CheckOutcome.PASS);
      assertThat(kinds(r)).as(strategy).doesNotContain(HazardKind.GPU_JOB_FAILED);
    }
  }

  /** Once the buffer is freed its addresses belong to whatever is mapped there next: that memory swapping out is no hazard of the object's. */
  @Test
  void pagesSwappedAtTheAddressesOfAFreedBufferAreNotTheObjects() {
    String body = "buf = p.memalign 4K 144K\nobj = p.userptr buf 144K\np.free buf\nagain = p.malloc 184K\np.fill again 184K 2\n"
        + "pressure 3840K\n";
    assertThat(kinds(run("backed-longterm", body))).doesNotContain(HazardKind.SWAPPED_WHILE_HELD);
  }

  /** A munlock behind the driver's back lets reclaim take the pages the mlock strategy shares with the program. */
  @Test
  void pagesSwappedWhileTheObjectHoldsThemAreAHazard() {
    String body = "buf = p.memalign 4K 256K\np.fill buf 256K 1\nobj = p.userptr buf 256K\np.munlock buf 256K\npressure 4M\n";
    assertThat(kinds(run("mlock", body))).contains(HazardKind.SWAPPED_WHILE_HELD);
    assertThat(kinds(run("backed-longterm", body))).as("reclaim skips pinned pages since 5.11")
        .doesNotContain(HazardKind.SWAPPED_WHILE_HELD);
  }

  /** The OOM killer's victim takes its objects with it: the harness looks at them no more, as after exit. */
  @Test
  void theObjectsOfAProcessTheOomKillerTookAreNotLookedAtAfterwards() {
    String body = "buf = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.fill buf 64K 7\nobj = p.userptr buf 64K\n"
        + "oom_kill p\n";
    for (String strategy : List.of("copy", "backed-notifier", "backed-longterm")) {
      RunResult r = run(strategy, body);
      assertThat(r.error()).as(strategy).isNull();
      assertThat(r.brokenPromises()).as(strategy).isEmpty();
    }
    RunResult closed = run("copy", "buf = p.malloc 64K\np.fill buf 64K 7\nobj = p.userptr buf 64K\np.close_drm\n");
    assertThat(closed.error()).as("an object gone with its file is not looked at").isNull();
  }

  /** A notifier's mirror holds no page: reclaim swapping the range out only invalidates it (the next GPU job faults it back). */
  @Test
  void aMirrorHoldsNoPagesSoTheirSwapOutIsNoHazard() {
    String body = "buf = p.memalign 4K 256K\np.fill buf 256K 1\nobj = p.userptr buf 256K\npressure 4M\np.report_swapped buf 256K\n";
    RunResult notifier = run("backed-notifier", body);
    assertThat(notifier.verdict()).isEqualTo(Verdict.KEPT);
    assertThat(kinds(notifier)).doesNotContain(HazardKind.SWAPPED_WHILE_HELD);
    String munlocked = "buf = p.memalign 4K 256K\np.fill buf 256K 1\nobj = p.userptr buf 256K\np.munlock buf 256K\npressure 4M\n"
        + "p.report_swapped buf 256K\n";
    assertThat(kinds(run("mlock", munlocked))).as("the mlock strategy's reference holds the pages").contains(HazardKind.SWAPPED_WHILE_HELD);
  }

  /**
   * The program's munlock of what the Exynos patch locked uncharged wraps locked_vm; the probe that
   * reports it observes and never fails the run, even where RLIMIT_MEMLOCK is far above RAM and swap.
   */
  @Test
  void aWrappedLockedVmIsReportedWhateverTheLimitAndTheRunGoesOn() {
    for (String limit : List.of("64K", "1G")) {
      String body = "p.setrlimit_memlock " + limit + "\nbuf = p.memalign 4K 256K\np.fill buf 256K 1\nobj = p.userptr buf 256K\n"
          + "p.munlock buf 256K\np.report_locked_vm\n";
      RunResult r = run("mlock", body);
      assertThat(r.verdict()).as("limit %s: %s", limit, r.summary()).isNotEqualTo(Verdict.ERROR);
      assertThat(kinds(r)).as("limit %s", limit).contains(HazardKind.LOCKED_VM_WRAPPED);
    }
  }

  /** The Exynos patch locks without asking RLIMIT_MEMLOCK; a long-term pin is charged to pinned_vm instead. */
  @Test
  void pagesLockedPastTheLimitAreSeenWithoutTheProgramAsking() {
    String body = "p.setrlimit_memlock 64K\nbuf = p.memalign 4K 256K\nobj = p.userptr buf 256K\n";
    assertThat(kinds(run("mlock", body))).contains(HazardKind.RLIMIT_MEMLOCK_BYPASS);
    assertThat(kinds(run("copy", body))).doesNotContain(HazardKind.RLIMIT_MEMLOCK_BYPASS);
  }

  /**
   * Among more processes than each line's checks walk (TextScenario.STEP_CHECKED_PROCESSES), the line's own process is
   * still watched: the Exynos patch's lock past the limit is seen.
   */
  @Test
  void amongThousandsOfProcessesTheLinesOwnProcessIsStillWatched() {
    String body = "repeat 500\nc = p.fork\nend\np.setrlimit_memlock 64K\nbuf = p.memalign 4K 256K\nobj = p.userptr buf 256K\n";
    RunResult r = run("mlock", body);
    assertThat(r.error()).isNull();
    assertThat(kinds(r)).contains(HazardKind.RLIMIT_MEMLOCK_BYPASS);
  }

  /** setrlimit may lower RLIMIT_MEMLOCK below what the process has locked already (the pages stay locked): no one bypassed it. */
  @Test
  void aLimitLoweredBelowWhatIsLockedIsNoBypass() {
    String body = "buf = p.mmap 96K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.mlock buf 96K\np.setrlimit_memlock 4K\n";
    assertThat(kinds(run("copy", body))).doesNotContain(HazardKind.RLIMIT_MEMLOCK_BYPASS);
    assertThat(kinds(run("mlock", body + "b2 = p.memalign 4K 64K\nobj = p.userptr b2 64K\n")))
        .as("the Exynos patch locking more past the lowered limit is").contains(HazardKind.RLIMIT_MEMLOCK_BYPASS);
  }

  /** A page the object holds cannot move (migrate_pages: EAGAIN while the extra reference is there); a copy's source can. */
  @Test
  void movePagesOfAnImportedRangeIsBlockedWhileTheObjectHoldsThem() {
    String body = "buf = p.memalign 4K 64K\np.fill buf 64K 1\nobj = p.userptr buf 64K\nmigrate p buf 64K\n";
    assertThat(kinds(run("backed-pin", body))).contains(HazardKind.MIGRATION_BLOCKED);
    assertThat(kinds(run("copy", body))).doesNotContain(HazardKind.MIGRATION_BLOCKED);
  }

  /** sbrk gives the old break and moves it; the bytes above the old break are the program's. */
  @Test
  void sbrkGrowsTheHeap() {
    String body = "top = p.sbrk 0\nold = p.sbrk 64K\np.fill old 64K 3\nexpect PROGRAM_KEEPS_ITS_BYTES \"the new heap holds the bytes\" "
        + "p.sees old 64K 3\n";
    RunResult r = run("copy", body);
    assertThat(r.verdict()).isEqualTo(Verdict.KEPT);
    assertThat(r.checks()).isNotEmpty();
  }

  /** A negative increment gives the top of the heap back (brk shrinks it: do_vmi_munmap); its pages are gone. */
  @Test
  void sbrkWithANegativeIncrementGivesTheHeapBack() {
    RunResult r = run("copy", "old = p.sbrk 64K\np.fill old 64K 3\nback = p.sbrk -64K\nr = try p.fill old 4K 1\n"
        + "check \"the break came back down\" back == old+64K\ncheck \"the heap given back is gone\" r == SIGSEGV\n");
    assertThat(r.checks()).hasSize(2).allSatisfy(c -> assertThat(c.held()).isTrue());
  }

  /** mlock2 with no flags locks and populates the range, as mlock(2) does. */
  @Test
  void mlock2WithNoFlagsLocksAndPopulatesTheRange() {
    RunResult r = run("copy", "m = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.mlock2 m 64K 0\nl = p.vm_lck\n"
        + "check \"the range is locked\" l == 64K\n");
    assertThat(r.failedChecks()).isEmpty();
    assertThat(r.counters().get(org.userptrlab.mm.VmEvent.UNEVICTABLE_PGS_MLOCKED)).as("populated as it was locked")
        .isGreaterThanOrEqualTo(16L);
  }
}
