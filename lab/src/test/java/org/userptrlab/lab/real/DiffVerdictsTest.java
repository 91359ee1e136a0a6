package org.userptrlab.lab.real;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.executor.Availability;
import org.userptrlab.executor.NativeExecutor;
import org.userptrlab.executor.Session;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.mm.KernelConfig;

/**
 * The diff's verdicts besides agree and disagree: a program past the executor's old limits runs;
 * a limit of this machine's, a program too big for the model's machine, an analogue's own failure
 * and an executor that dies are each said as what they are, never as a disagreement. Skipped, with
 * the reason, where the executor cannot run.
 */
class DiffVerdictsTest {
  private static Comparison model;
  private static KernelConfig host;

  @BeforeAll
  static void here() {
    Availability a = NativeExecutor.availability();
    assumeTrue(a.available(), a.reason());
    host = KernelConfig.host();
    model = Diff.model(LabOptions.builder().profiles(List.of(Profiles.all().get(0))).build(), host);
  }

  private static Diff.Result diff(Supplier<Session> executor, String strategy, String text) {
    Program p = Parser.parse("p.scenario", text);
    try (Diff d = new Diff(model, host, 0, 1, 1, executor)) {
      return d.run(p, strategy, Strategies.contract(strategy));
    }
  }

  private static Diff.Result diff(String strategy, String text) {
    return diff(NativeExecutor::start, strategy, text);
  }

  /** 70 processes and 70 imports: past the 64 of each the executor once had, which the model never had. */
  @Test
  void aProgramWithMoreThan64ProcessesAndImportsAgrees() {
    StringBuilder text = new StringBuilder("scenario many\np = app app\nbuf = p.memalign 4K 16K\np.fill buf 16K 1\n");
    for (int i = 0; i < 70; i++) {
      text.append("c").append(i).append(" = p.fork\n");
    }
    for (int i = 0; i < 70; i++) {
      text.append("o").append(i).append(" = p.userptr buf 16K\n");
    }
    text.append("c69.exit\nexpect GPU_KEEPS_SNAPSHOT \"the last import holds the bytes\" gpu.sees o69 1\n");
    for (String strategy : List.of("copy", "backed-longterm", "backed-pin")) {
      Diff.Result r = diff(strategy, text.toString());
      assertThat(r.verdict()).as("%s: %s", strategy, r.detail()).isEqualTo(Diff.Verdict.AGREE);
    }
  }

  /** Threads, GPU jobs that take time and points in time are the model's: a program with any of them is not runnable, and says where. */
  @Test
  void threadsJobsAndTimeAreNotRunnableNotAFailureOfTheExecutor() {
    String head = "scenario timed\np = app app\nbuf = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n"
        + "p.fill buf 64K 1\nobj = p.userptr buf 64K\n";
    for (String[] line : List.of(new String[] {"t = p.thread\nt: p.fill buf 4K 2\n", "line 6 (p.thread)"},
        new String[] {"job = gpu.submit obj read 1ms\n", "line 6 (gpu.submit obj read 1ms)"},
        new String[] {"at 1ms\n", "line 6 (at 1ms)"})) {
      Diff.Result r = diff("copy", head + line[0]);
      assertThat(r.verdict()).as(r.detail()).isEqualTo(Diff.Verdict.NOT_RUNNABLE);
      assertThat(r.detail()).startsWith(line[1]);
    }
  }

  /** On a machine that lets a process open 24 files, a 64 MiB range under pin needs more pipes than that. */
  @Test
  void aLimitOfThisMachinesIsNotRunnableAndSaysSo() {
    String text = "scenario wide\nmachine ram 256M\np = app app\nbuf = p.mmap 64M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n"
        + "obj = p.userptr buf 64M\n";
    Diff.Result r = diff(() -> NativeExecutor.start(24), "backed-pin", text);
    assertThat(r.verdict()).isEqualTo(Diff.Verdict.NOT_RUNNABLE);
    assertThat(r.detail()).startsWith("executor limit: line 5 (p.userptr buf 64M): pipe2 failed with EMFILE");
    assertThat(diff("backed-pin", text).verdict()).as("where the machine allows it").isEqualTo(Diff.Verdict.AGREE);
  }

  @Test
  void aProgramTooBigForTheModelsMachineIsNotRunOnEitherSide() {
    Diff.Result r = diff(() -> {
      throw new AssertionError("the executor is not started for a program that cannot run on the model");
    }, "copy", "scenario big\np = app app\nbuf = p.malloc 1G\n");
    assertThat(r.verdict()).isEqualTo(Diff.Verdict.NOT_RUNNABLE);
    assertThat(r.detail()).contains("asks for 1G of memory in all, more than the machine's 64M");
  }

  /** A hole in the range is EFAULT on both sides under every strategy with an analogue: mlock's gets the pages before it locks. */
  @Test
  void aHoleAgreesUnderEveryStrategy() {
    String text = "scenario hole\np = app app\nbuf = p.mmap 16K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n"
        + "p.munmap buf+4K 4K\nobj = p.userptr buf 16K\n";
    for (String strategy : List.of("copy", "backed-longterm", "backed-pin", "mlock", "steal")) {
      Diff.Result r = diff(strategy, text);
      assertThat(r.verdict()).as("%s: %s", strategy, r.detail()).isEqualTo(Diff.Verdict.AGREE);
    }
  }

  /** A fill far past a 1 MiB buffer runs into libc's mappings on a real machine, which the model's process does not have. */
  @Test
  void anAccessThatReachesTheExecutorsOwnMemoryIsNotComparable() {
    Diff.Result r = diff("copy", "scenario wild\np = app app\nbuf = p.malloc 1M\np.fill buf 1G 1\n");
    assertThat(r.verdict()).as(r.detail()).isEqualTo(Diff.Verdict.NOT_COMPARABLE);
    assertThat(r.detail()).isEqualTo("line 4 (p.fill buf 1G 1): the range reaches the executor's own memory (its code, libc, "
        + "ld.so or stack), which the model's process does not have; the model answers SIGSEGV there");
  }

  /**
   * A malloc over a heap given back under it (a negative sbrk) dies of SIGSEGV on both sides: the
   * executor's worker, killed by the signal outside the program's own accesses, says which first.
   */
  @Test
  void aMallocOverAHeapGivenBackUnderItDiesOfTheSameSignalOnBothSides() {
    Diff.Result r = diff("copy", "scenario given-back\np = app app\nx = p.malloc 16\nr = try p.sbrk -64K\ny = p.malloc 100K\n");
    assertThat(r.verdict()).as(r.detail()).isEqualTo(Diff.Verdict.AGREE);
  }

  /** glibc aborts on a free of a pointer another process's malloc handed out; the model's allocator answers false. */
  @Test
  void aFreeThatGlibcWouldAbortOnIsNotComparable() {
    Diff.Result r = diff("copy", "scenario foreign\np = app app\nbuf = p.memalign 4K 1M\nq = app app\nq.free buf\n");
    assertThat(r.verdict()).as(r.detail()).isEqualTo(Diff.Verdict.NOT_COMPARABLE);
    assertThat(r.detail()).startsWith("line 5 (q.free buf): glibc's free(3) aborts on a pointer this process's malloc did not hand "
        + "out, or has taken back; the model answers false there");
  }

  @Test
  void anImportTheModelsDriverRefusesForItsArgumentsIsNotComparable() {
    Diff.Result r = diff("copy", "scenario empty\np = app app\nbuf = p.memalign 4K 4K\nobj = p.userptr buf 0\n");
    assertThat(r.verdict()).as(r.detail()).isEqualTo(Diff.Verdict.NOT_COMPARABLE);
    assertThat(r.detail()).startsWith("line 4 (p.userptr buf 0): the model's driver refuses the import's arguments");
  }

  /**
   * A GPU read of a closed object ends the program with ENOENT on both sides, not with a false read
   * on one, even where a later import could have taken the closed one's number.
   */
  @Test
  void aGpuReadOfAClosedObjectAgrees() {
    String text = "scenario closed\np = app app\nbuf = p.memalign 4K 4K\np.fill buf 4K 1\nobj = p.userptr buf 4K\np.close obj\n"
        + "other = p.userptr buf 4K\nseen = gpu.sees obj 1\n";
    for (String strategy : List.of("copy", "backed-longterm", "backed-pin")) {
      Diff.Result r = diff(strategy, text);
      assertThat(r.verdict()).as("%s: %s", strategy, r.detail()).isEqualTo(Diff.Verdict.AGREE);
    }
  }

  /** mlockall(2) locks the executor's image, libc and stack besides the program's memory: VmLck cannot be compared after it. */
  @Test
  void vmLckAfterMlockallIsNotComparable() {
    Diff.Result r = diff("copy", "scenario all\np = app app\nbuf = p.malloc 64K\np.mlockall MCL_CURRENT|MCL_FUTURE\n");
    assertThat(r.verdict()).as(r.detail()).isEqualTo(Diff.Verdict.NOT_COMPARABLE);
    assertThat(r.detail()).startsWith("line 4 (p.mlockall MCL_CURRENT|MCL_FUTURE): VmLck model ")
        .endsWith("mlockall(2) locked the executor's own memory too (its image, libc, ld.so, stack), which the model's process "
            + "does not have");
  }

  /** The model holds a process to one DRM file; a real process may receive a second, which the model has no outcome for. */
  @Test
  void aProgramTheModelCannotRunIsNotRunnableWithItsReason() {
    Diff.Result r = diff("copy", "scenario two-files\na = app a\nb = app b\na.send_drm b\n");
    assertThat(r.verdict()).as(r.detail()).isEqualTo(Diff.Verdict.NOT_RUNNABLE);
    assertThat(r.detail()).startsWith("the model stops the program with no outcome: ").contains("holds another DRM file already");
  }

  /**
   * The real process has ld.so and libc right after its first mapping, so growing that mapping moves it
   * where the model's process grows it in place: what depends on the address is not compared from there.
   */
  @Test
  void aGrowthThatTheExecutorsOwnMemoryMovedIsNotComparableFromThere() {
    Diff.Result r = diff("copy", "scenario grow\np = spawn s\nc = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n"
        + "p.fill c 64K 3\ne = p.mremap c 64K 128K MREMAP_MAYMOVE\ncheck \"bytes\" p.sees e 64K 3\ncheck \"in place\" e == c\n");
    assertThat(r.verdict()).as(r.detail()).isEqualTo(Diff.Verdict.NOT_COMPARABLE);
    assertThat(r.detail()).startsWith("line 5 (p.mremap c 64K 128K MREMAP_MAYMOVE): the real process's own memory (ld.so, libc) lies "
        + "after the mapping").contains("line 7");
  }

  /** A process made by spawn frees what it mallocs on both sides. */
  @Test
  void aSpawnedProcessMallocsAndFreesOnBothSides() {
    Diff.Result r = diff("copy", "scenario spawned\np = spawn s\nbuf = p.malloc 4K\nok = p.free buf\ncheck \"freed\" ok\n");
    assertThat(r.verdict()).as(r.detail()).isEqualTo(Diff.Verdict.AGREE);
  }

  @Test
  void anExecutorKilledUnderAProgramIsNotRunWithItsSignal() {
    Diff.Result r = diff(() -> {
      Session s = NativeExecutor.start();
      ProcessHandle executor = ProcessHandle.of(s.pid()).orElseThrow();
      executor.destroyForcibly();
      try {
        executor.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return s;
    }, "copy", "scenario killed\np = app app\nbuf = p.malloc 4K\n");
    assertThat(r.verdict()).isEqualTo(Diff.Verdict.NOT_RUN);
    // Said where the program was, as every other failure of a run is, not in the executor's protocol.
    assertThat(r.detail()).isEqualTo("the executor died of signal 9 (SIGKILL) at line 2 (app app): the program did not finish on "
        + "the real kernel");
  }

  /** GEM_CLOSE of a handle already closed: EINVAL on the real kernel's side as on the model's (drm_gem_handle_delete), not a lookup's ENOENT. */
  @Test
  void closingAHandleTwiceIsEinvalOnBothSides() {
    String text = "scenario twice\np = app app\nbuf = p.memalign 4K 16K\np.fill buf 16K 1\nobj = p.userptr buf 16K\np.close obj\n"
        + "p.close obj\n";
    for (String strategy : List.of("copy", "backed-pin")) {
      Diff.Result r = diff(strategy, text);
      assertThat(r.verdict()).as("%s: %s", strategy, r.detail()).isEqualTo(Diff.Verdict.AGREE);
    }
  }

  /** After fork the child imports through the file it shares: its own pages, charged to its own VmPin, on both sides. */
  @Test
  void aChildsImportTakesTheChildsMemoryOnTheRealKernelAsOnTheModel() {
    String text = "scenario child\np = app app\nbuf = p.memalign 4K 16K\np.fill buf 16K 1\nchild = p.fork\nchild.fill buf 16K 2\n"
        + "obj = child.userptr buf 16K\nexpect GPU_SEES_IMPORTED_BYTES \"the GPU sees the child's bytes\" gpu.sees obj 2\n";
    for (String strategy : List.of("copy", "backed-longterm", "backed-pin", "mlock", "steal")) {
      Diff.Result r = diff(strategy, text);
      assertThat(r.verdict()).as("%s: %s", strategy, r.detail()).isEqualTo(Diff.Verdict.AGREE);
    }
  }
}
