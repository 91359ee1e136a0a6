package org.userptrlab.lab.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Parameter;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.time.CallKind;
import org.userptrlab.core.time.Latency;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.strategy.backed.NotifierPolicy;

/**
 * GPU jobs take time, and an invalidation of a mirrored range waits for them as the driver whose
 * policy the strategy follows does: i915_gem_userptr_invalidate waits on the object's dma_resv
 * for the rest of the job, xe's long-running mode preempts the queue instead, and a strategy that
 * holds its pages never waits.
 */
class TimeTest {
  private static final long MS = 1_000_000L;
  private static final Comparison CMP = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12)
      .profiles(List.of(Profiles.EPYC_GUEST)).build());
  /** The same, keeping every span for a Gantt chart. */
  private static final Comparison SPANS = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12)
      .profiles(List.of(Profiles.EPYC_GUEST)).spans(true).build());

  private static RunResult run(Comparison cmp, String strategy, String body) {
    String text = "scenario time \"a GPU job that takes time\"\nmachine ram 64M swap 64M\n\np = app app\n"
        + "buf = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.fill buf 64K 7\nobj = p.userptr buf 64K\n" + body;
    RunResult r = cmp.run(new TextScenario("time.scenario", Parser.parse("time.scenario", text)), strategy, KernelConfig.LINUX_6_12);
    assertThat(r.error()).as(r.summary()).isNull();
    return r;
  }

  private static Latency latency(RunResult r, CallKind kind) {
    return r.timing().latency(kind).orElseThrow(() -> new AssertionError("no " + kind + " in " + r.timing().latencies()));
  }

  @Test
  void munmapUnderI915WaitsForTheRestOfTheJob() {
    RunResult r = run(CMP, "backed-notifier", "job = gpu.submit obj read 5ms\np.munmap buf 64K\n"
        + "check \"the job ended before munmap returned\" gpu.done job\n");
    Latency munmap = latency(r, CallKind.MUNMAP);
    assertThat(munmap.max()).isBetween(5 * MS - 100_000, 5 * MS + 100_000);
    assertThat(munmap.waited()).isGreaterThan(4 * MS);
    assertThat(r.failedChecks()).isEmpty();
    assertThat(r.timing().stalled("p")).isEqualTo(munmap.waited());
    assertThat(r.hazards()).noneMatch(h -> h.kind() == HazardKind.GPU_TOUCHED_FREED_PAGES);
  }

  @Test
  void munmapUnderALongtermPinReturnsAtOnceAndTheGpuKeepsItsPages() {
    RunResult r = run(CMP, "backed-longterm", "job = gpu.submit obj read 5ms\np.munmap buf 64K\n"
        + "check \"the job still runs when munmap returns\" not gpu.done job\ngpu.wait job\n");
    assertThat(latency(r, CallKind.MUNMAP).max()).isLessThan(100_000);
    assertThat(r.timing().stalled("p")).isZero();
    assertThat(r.failedChecks()).isEmpty();
    assertThat(r.hazards()).noneMatch(h -> h.kind() == HazardKind.GPU_TOUCHED_FREED_PAGES || h.kind() == HazardKind.GPU_JOB_FAILED);
  }

  @Test
  void forkDuringAJobStallsOnlyTheMirror() {
    String body = "job = gpu.submit obj read 3ms\nc = p.fork\n";
    assertThat(latency(run(CMP, "backed-notifier", body), CallKind.FORK).waited()).isGreaterThan(2 * MS);
    for (String s : List.of("copy", "backed-pin", "backed-longterm", "mlock", "steal", "cow")) {
      assertThat(run(CMP, s, body).timing().latency(CallKind.FORK).orElseThrow().waited()).as(s).isZero();
    }
  }

  /** A job sized by its bytes takes the GPU's fixed cost of a job and its bytes at the DMA bandwidth; a timed one its time. */
  @Test
  void aSizedJobTakesItsFixedCostAndItsBytesAtTheDmaBandwidth() {
    long sized = Math.round(Profiles.EPYC_GUEST.get(Parameter.GPU_JOB) + (1 << 20) / Profiles.EPYC_GUEST.get(Parameter.GPU_DMA));
    RunResult r = run(CMP, "backed-longterm", "job = gpu.submit obj read 1M\ngpu.wait job\njob2 = gpu.submit obj read 2ms\n"
        + "gpu.wait job2\n");
    assertThat(r.timing().gpu().busyNs()).isEqualTo(sized + 2 * MS);
  }

  /** A write job sized by its bytes moves them at GPU_DMA_WRITE, a read job at GPU_DMA: a profile tells the two apart. */
  @Test
  void aSizedWriteJobMovesItsBytesAtTheWriteBandwidth() {
    PlatformProfile.Builder b = PlatformProfile.builder("slow-writes", "the guest's figures, its GPU writing at half its reads' rate");
    Profiles.EPYC_GUEST.figures().forEach((p, f) -> b.set(p, f.value(), f.source()));
    PlatformProfile slow = b.set(Parameter.GPU_DMA_WRITE, Profiles.EPYC_GUEST.get(Parameter.GPU_DMA) / 2, "half the reads'").build();
    Comparison cmp = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12).profiles(List.of(slow)).build());
    RunResult r = run(cmp, "backed-longterm", "w = gpu.submit obj write 1M\ngpu.wait w\nr = gpu.submit obj read 1M\ngpu.wait r\n");
    double job = slow.get(Parameter.GPU_JOB);
    assertThat(r.timing().gpu().busyNs()).isEqualTo(Math.round(job + (1 << 20) / slow.get(Parameter.GPU_DMA_WRITE))
        + Math.round(job + (1 << 20) / slow.get(Parameter.GPU_DMA)));
  }

  @Test
  void aJobWaitedForIsNoStallOfTheKernel() {
    RunResult r = run(CMP, "backed-notifier", "job = gpu.submit obj read 2ms\ngpu.wait job\nt = now\ncheck \"two ms later\" t >= 2ms\n");
    assertThat(r.failedChecks()).isEmpty();
    assertThat(r.timing().stalled("p")).isZero();
  }

  @Test
  void anInvalidationBetweenHmmRangeFaultAndTheCommitMakesTheDriverStartOver() {
    // t1 looks the pages up (mmu_interval_read_begin, hmm_range_fault); the main thread's mprotect invalidates before t1 commits.
    RunResult r = run(CMP, "backed-notifier", "t1 = p.thread\nt1: job = gpu.submit obj read 1ms\np.madvise buf 64K MADV_DONTNEED\n"
        + "t1: gpu.wait job\n");
    assertThat(r.timing().gpu().retries()).isEqualTo(1);
    RunResult plain = run(CMP, "backed-notifier", "t1 = p.thread\nt1: job = gpu.submit obj read 1ms\nt1: gpu.wait job\n"
        + "p.madvise buf 64K MADV_DONTNEED\n");
    assertThat(plain.timing().gpu().retries()).isZero();
  }

  /**
   * A fork between a submission's lookup and its commit makes the pages stale; the ioctl starts over
   * on its thread, and its hmm_range_fault takes mmap_lock again, which fork holds for write: the
   * thread waits for fork's dup_mmap to end, and the job starts after it.
   */
  @Test
  void aSubmissionStartingOverAfterAForkWaitsForForksWriteLock() {
    RunResult r = run(SPANS, "backed-notifier", "big = p.mmap 16M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.fill big 16M 3\n"
        + "t1 = p.thread\nj = gpu.submit obj read 1ms\nt1: c = p.fork\ngpu.wait j\n");
    assertThat(r.timing().gpu().retries()).isPositive();
    org.userptrlab.core.time.Span fork = span(r, "p/t1", "p.fork");
    org.userptrlab.core.time.Span again = span(r, "p", "gpu.submit starts over");
    assertThat(again.start()).isLessThan(fork.end());
    assertThat(span(r, "p", "waits for mmap_lock, which fork").end()).isEqualTo(fork.end());
    assertThat(span(r, "gpu/rcs0", "read object").start()).isGreaterThanOrEqualTo(fork.end());
    assertThat(r.timing().stalled("p")).isGreaterThanOrEqualTo(fork.end() - again.start());
  }

  /**
   * i915's execbuf looks the pages up and commits the job (mmu_interval_read_retry under the
   * notifier lock) before the ioctl returns: an munmap another thread makes after that waits for
   * the rest of the job, whatever line of the submitter comes next.
   */
  @Test
  void anInvalidationAfterTheSubmissionReturnedWaitsForTheJobAndIsNoRetry() {
    RunResult r = run(CMP, "backed-notifier", "t1 = p.thread\njob = gpu.submit obj read 5ms\nt1: at 1ms\nt1: p.munmap buf 64K\n"
        + "t = now\ngpu.wait job\n");
    assertThat(r.timing().gpu().retries()).isZero();
    assertThat(latency(r, CallKind.MUNMAP).waited()).isGreaterThan(3 * MS);
    assertThat(r.hazards()).noneMatch(h -> h.kind() == HazardKind.GPU_JOB_FAILED);
  }

  /**
   * A thread's submission is committed on that thread before its ioctl returns, whatever the main
   * flow does next: the job starts when the submission returns, not at the main flow's time (before
   * it, when the main flow's next line looks at nothing; after, when it sleeps), and an invalidation
   * during the ioctl makes the driver start over then: the job starts once it has looked the pages up again.
   */
  @Test
  void aThreadsJobStartsWhenItsSubmissionReturnsWhateverTheMainFlowDoesNext() {
    for (String next : List.of("x = p.alive\n", "x = p.alive\nat 5ms\n", "p.madvise buf 64K MADV_DONTNEED\nat 5ms\n")) {
      RunResult r = run(SPANS, "backed-notifier", "t1 = p.thread\nt1: job = gpu.submit obj read 10us\n" + next);
      org.userptrlab.core.time.Span submit = r.timing().spans().stream().filter(s -> s.label().startsWith("gpu.submit"))
          .reduce((first, last) -> last).orElseThrow();
      assertThat(submit.label()).as(next).startsWith(next.startsWith("p.madvise") ? "gpu.submit starts over" : "gpu.submit obj");
      org.userptrlab.core.time.Span job = r.timing().spans().stream().filter(s -> s.label().startsWith("read object")).findFirst()
          .orElseThrow();
      assertThat(job.start()).as(next).isEqualTo(submit.end());
    }
  }

  /**
   * munmap holds mmap_lock while its notifier waits for the rest of a GPU job: another thread's
   * mprotect, which takes it for write, waits until munmap returns; since 4.20 munmap holds it for
   * read by then, so another thread's MADV_DONTNEED (madvise_need_mmap_write: a reader) goes on at
   * once, where on 4.19 it waited too.
   */
  @Test
  void anotherThreadsCallWaitsForTheMmapLockMunmapHoldsWhileItWaitsForTheGpu() {
    String head = "other = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.fill other 64K 3\nt1 = p.thread\n"
        + "job = gpu.submit obj read 10ms\np.munmap buf 64K\nt1: at 2ms\n";
    RunResult writer = run(CMP, "backed-notifier", head + "t1: p.mprotect other 64K PROT_READ\nt1: x = now\n"
        + "check \"mprotect waited for munmap\" x >= 10ms\n");
    assertThat(writer.failedChecks()).isEmpty();
    assertThat(latency(writer, CallKind.MPROTECT).waited()).isGreaterThan(7 * MS);
    String reader = head + "t1: p.madvise other 64K MADV_DONTNEED\nt1: y = now\n";
    RunResult modern = run(CMP, "backed-notifier", reader + "check \"madvise went on beside munmap\" y < 3ms\n");
    assertThat(modern.failedChecks()).isEmpty();
    Comparison old = new Comparison(LabOptions.builder().kernels(KernelConfig.linux("4.19")).profiles(List.of(Profiles.EPYC_GUEST)).build());
    String text = "scenario time \"a GPU job that takes time\"\nmachine ram 64M swap 64M\n\np = app app\n"
        + "buf = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.fill buf 64K 7\nobj = p.userptr buf 64K\n" + reader
        + "check \"madvise waited for munmap's write lock\" y >= 10ms\n";
    RunResult before = old.run(new TextScenario("time.scenario", Parser.parse("time.scenario", text)), "backed-notifier",
        KernelConfig.linux("4.19"));
    assertThat(before.error()).as(before.summary()).isNull();
    assertThat(before.failedChecks()).isEmpty();
  }

  /**
   * A thread's exit while another thread of the process is in its submission ioctl: the address space
   * goes only when that thread has left the kernel (mmput of the last user), so the job is committed
   * and runs, and the teardown's invalidation waits for it as at any exit under i915's policy.
   */
  @Test
  void anExitOnAnotherThreadLetsASubmissionInItsIoctlCommitThenWaitsForTheJob() {
    RunResult r = run(CMP, "backed-notifier", "t1 = p.thread\njob = gpu.submit obj read 5ms\nt1: p.exit\n");
    assertThat(r.hazards()).noneMatch(h -> h.kind() == HazardKind.GPU_JOB_FAILED);
    assertThat(latency(r, CallKind.EXIT).waited()).isGreaterThan(4 * MS);
  }

  /**
   * A program whose main thread ends while another thread is still in its submission: the exit_group
   * at its end tears the address space down once that thread has left the kernel, so the release of
   * the object's range, and its wait for the job, come after the submission returned.
   */
  @Test
  void theProgramsEndWaitsForItsLastThreadToLeaveTheKernel() {
    RunResult r = run(SPANS, "backed-notifier", "t1 = p.thread\nt1: job = gpu.submit obj read 1ms\nx = p.alive\n");
    org.userptrlab.core.time.Span submit = r.timing().spans().stream().filter(s -> s.label().startsWith("gpu.submit")).findFirst()
        .orElseThrow();
    org.userptrlab.core.time.Span wait = r.timing().spans().stream().filter(s -> s.label().contains("dma_resv_wait_timeout")).findFirst()
        .orElseThrow(() -> new AssertionError("the exit's invalidation waits for the job: " + r.timing().spans()));
    assertThat(wait.start()).isGreaterThanOrEqualTo(submit.end());
    assertThat(r.hazards()).noneMatch(h -> h.kind() == HazardKind.GPU_JOB_FAILED);
  }

  /** fork's dup_mmap holds mmap_lock for write through the wait of its write-protection's notifier: another thread's munmap waits for it. */
  @Test
  void aForkWaitingForTheGpuHoldsUpAnotherThreadsMunmap() {
    RunResult r = run(CMP, "backed-notifier", "other = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\nt1 = p.thread\n"
        + "job = gpu.submit obj read 10ms\nc = p.fork\nt1: at 2ms\nt1: p.munmap other 64K\nt1: y = now\n"
        + "check \"munmap waited for the fork\" y >= 10ms\n");
    assertThat(r.failedChecks()).isEmpty();
    assertThat(latency(r, CallKind.MUNMAP).waited()).isGreaterThan(7 * MS);
  }

  /**
   * A page fault takes mmap_lock for read, or from 6.4 its VMA's own lock: another thread's fault in
   * a VMA that the main thread's mprotect does not change waits for that mprotect, which waits for
   * the GPU in its notifier, on 6.1 and goes on at once on 6.12; a fault in the VMA mprotect changes
   * waits on both, as does any fault while fork holds every VMA.
   */
  @Test
  void aPageFaultWaitsForAWriterOfItsVmaOrFromSixFourOnlyOfItsVma() {
    // PROT_EXEC keeps the buffer a VMA of its own; its pages are zapped so that the thread's fill faults.
    String head = "other = p.mmap 64K PROT_READ|PROT_WRITE|PROT_EXEC MAP_PRIVATE|MAP_ANONYMOUS\np.fill other 64K 3\n"
        + "p.madvise other 64K MADV_DONTNEED\nt1 = p.thread\njob = gpu.submit obj read 10ms\n";
    String elsewhere = head + "p.mprotect buf 64K PROT_READ\nt1: at 2ms\nt1: p.fill other 64K 4\nt1: y = now\n";
    RunResult modern = run(CMP, "backed-notifier", elsewhere + "check \"the fault went on beside mprotect\" y < 3ms\n");
    assertThat(modern.failedChecks()).isEmpty();
    RunResult before = run(KernelConfig.linux("6.1"), elsewhere + "check \"the fault waited for mprotect's write lock\" y >= 10ms\n");
    assertThat(before.failedChecks()).isEmpty();
    assertThat(latency(before, CallKind.PAGE_FAULT).waited()).isGreaterThan(7 * MS);
    String same = "wide = p.mmap 128K PROT_READ|PROT_WRITE|PROT_EXEC MAP_PRIVATE|MAP_ANONYMOUS\np.fill wide 64K 5\n"
        + "half = p.userptr wide 64K\nt1 = p.thread\njob = gpu.submit half read 10ms\np.mprotect wide 64K PROT_READ\nt1: at 2ms\n"
        + "t1: p.fill wide+64K 64K 4\nt1: y = now\ncheck \"the fault waited for the VMA mprotect splits\" y >= 10ms\n";
    assertThat(run(CMP, "backed-notifier", same).failedChecks()).isEmpty();
    String fork = head + "c = p.fork\nt1: at 2ms\nt1: p.fill other 64K 4\nt1: y = now\ncheck \"the fault waited for the fork\" y >= 10ms\n";
    assertThat(run(CMP, "backed-notifier", fork).failedChecks()).isEmpty();
  }

  /**
   * What holds mmap_lock for write is the change of the VMAs: mlock and mmap with MAP_POPULATE let
   * it go before they fault the pages in (do_mlock, vm_mmap_pgoff, then __mm_populate under the
   * read lock), and a shrinking mremap zaps under the read lock from 4.20, as munmap does. A fault
   * in another VMA meanwhile goes on. A fault in copy_from_user is a kernel-mode fault, which takes
   * mmap_lock even from 6.4.
   */
  @Test
  void onlyTheChangeOfTheVmasHoldsOffAFaultAndAKernelModeFaultTakesMmapLock() {
    String other = "other = p.mmap 1M PROT_READ|PROT_WRITE|PROT_EXEC MAP_PRIVATE|MAP_ANONYMOUS\np.fill other 4K 1\nt1 = p.thread\n";
    String fault = "t1: at 2ms\nt1: p.fill other+512K 64K 4\nt1: y = now\n";
    // The population's faults are the kernel's own, without a trap: 16 MiB takes under a millisecond or so.
    String early = "t1: at 300us\nt1: p.fill other+512K 64K 4\nt1: y = now\n";
    for (String populate : List.of("big = p.mmap 16M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.mlock big 16M\n",
        "big = p.mmap 16M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_POPULATE\n")) {
      RunResult r = run(CMP, "copy", other + populate + early + "check \"the fault went on beside the population\" y < 600us\n");
      assertThat(r.failedChecks()).as(populate).isEmpty();
      assertThat(latency(r, populate.contains("mlock") ? CallKind.MLOCK : CallKind.MMAP).max()).as("the population outlasts the fault")
          .isGreaterThan(MS * 6 / 10);
    }
    String shrink = other + "job = gpu.submit obj read 10ms\nnb = p.mremap buf 64K 32K 0\n" + fault;
    assertThat(run(CMP, "backed-notifier", shrink + "check \"the fault went on beside mremap's zap\" y < 3ms\n").failedChecks())
        .isEmpty();
    assertThat(run(KernelConfig.linux("4.19"), shrink + "check \"the fault waited for mremap\" y >= 10ms\n").failedChecks())
        .isEmpty();
    String fixed = other + "job = gpu.submit obj read 10ms\n"
        + "n = p.mmap_at buf 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_POPULATE\n" + fault;
    assertThat(run(CMP, "backed-notifier", fixed + "check \"the fault went on beside the fixed mapping's unmap\" y < 3ms\n")
        .failedChecks()).isEmpty();
    String grow = other + "lk = p.mmap 1M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.mlock lk 1M\nt2 = p.thread\nt2: at 1ms\n"
        + "t2: n = p.mremap lk 1M 16M MREMAP_MAYMOVE\nt1: at 2ms\nt1: p.madvise other 4K MADV_DONTNEED\nt1: y = now\n"
        + "check \"MADV_DONTNEED went on beside the population of the grown locked VMA\" y < 3ms\n";
    RunResult grown = run(CMP, "copy", grow);
    assertThat(grown.failedChecks()).isEmpty();
    assertThat(latency(grown, CallKind.MREMAP).max()).as("the population, from 1 ms, outlasts the madvise at 2 ms").isGreaterThan(MS);
    String copy = other + "o2 = p.create 64K\njob = gpu.submit obj read 10ms\np.mprotect buf 64K PROT_READ\nt1: at 2ms\n"
        + "t1: p.pwrite o2 0 other+512K 64K\nt1: y = now\ncheck \"copy_from_user's faults waited for mprotect\" y >= 10ms\n";
    assertThat(run(CMP, "backed-notifier", copy).failedChecks()).isEmpty();
  }

  private static RunResult run(KernelConfig kernel, String body) {
    Comparison cmp = new Comparison(LabOptions.builder().kernels(kernel).profiles(List.of(Profiles.EPYC_GUEST)).build());
    String text = "scenario time \"a GPU job that takes time\"\nmachine ram 64M swap 64M\n\np = app app\n"
        + "buf = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.fill buf 64K 7\nobj = p.userptr buf 64K\n" + body;
    RunResult r = cmp.run(new TextScenario("time.scenario", Parser.parse("time.scenario", text)), "backed-notifier", kernel);
    assertThat(r.error()).as(r.summary()).isNull();
    return r;
  }

  /** A thread cannot use a buffer before the mmap that makes it has returned, whatever the line's place in the program. */
  @Test
  void aThreadsLineStartsOnlyOnceTheNamesItUsesHaveBeenSet() {
    RunResult r = run(SPANS, "copy", "t1 = p.thread\nt2 = p.thread\na = p.mmap 4M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_POPULATE\n"
        + "t1: p.fill a 4K 2\nt2: p.fill buf 4K 3\n");
    org.userptrlab.core.time.Span mmap = span(r, "p", "p.mmap 4M");
    assertThat(span(r, "p/t1", "p.fill a").start()).as("the fill of a waits for the mmap that makes it").isGreaterThanOrEqualTo(mmap.end());
    assertThat(span(r, "p/t2", "p.fill buf").start()).as("a fill of another buffer runs beside it").isLessThan(mmap.end());
  }

  /** pthread_create makes a new thread each time: a name set again names a second thread, which runs beside the first. */
  @Test
  void aThreadNameSetAgainNamesANewThread() {
    RunResult r = run(CMP, "copy", "t = p.thread\nt: p.fill buf 64K 1\nt = p.thread\nt: p.fill buf 64K 2\n");
    assertThat(r.timing().actors()).extracting(org.userptrlab.core.time.Timing.ActorTime::name).contains("p/t", "p/t#2");
  }

  /**
   * Three threads of one process each write 8 MiB: on a machine of two CPUs the third waits on the
   * run queue until one of the first two is done, on three they run side by side; a thread's waits
   * leave its CPU to the others.
   */
  @Test
  void threadsBeyondTheMachinesCpusWaitForOne() {
    String body = "a = p.mmap 8M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\nb = p.mmap 8M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n"
        + "c = p.mmap 8M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\nt1 = p.thread\nt2 = p.thread\nt3 = p.thread\n"
        + "t1: p.fill a 8M 1\nt2: p.fill b 8M 2\nt3: p.fill c 8M 3\n";
    RunResult two = runOn(SPANS, "cpus 2", body);
    RunResult three = runOn(SPANS, "cpus 3", body);
    long fill = end(three, "p/t1") - span(three, "p/t1", "p.fill").start();
    assertThat(three.timing().spans()).noneMatch(s -> s.label().equals("waits for a CPU"));
    assertThat(end(three, "p/t3") - end(three, "p/t1")).as("side by side").isLessThan(fill / 10);
    assertThat(span(two, "p/t3", "waits for a CPU").end() - span(two, "p/t3", "waits for a CPU").start()).isGreaterThan(fill * 9 / 10);
    assertThat(end(two, "p/t3") - end(two, "p/t1")).as("after one of the others").isGreaterThan(fill * 9 / 10);
    assertThat(two.timing().stalled("p")).as("the run queue is the scheduler's wait, no stall of the kernel's").isZero();
    RunResult sleeping = runOn(SPANS, "cpus 1", "job = gpu.submit obj read 5ms\nt1 = p.thread\nt1: gpu.wait job\np.fill buf 64K 3\n");
    assertThat(sleeping.timing().spans()).as("a wait leaves the CPU to the other thread").noneMatch(s -> s.label().equals("waits for a CPU"));
  }

  /**
   * Under drm_gpusvm the GPU faults as its job runs, and the driver's fault handler services the
   * faults (xe_svm_handle_pagefault): the submission returns at once and the job waits for them. A
   * CPU touch of a range during the job makes it fault again: it ends later, and a wait for it
   * returns when it ends.
   */
  @Test
  void anSvmJobWaitsForItsGpuFaultsAndTheSubmittingCallDoesNot() {
    Comparison spans = new Comparison(LabOptions.builder().kernels(KernelConfig.linux("6.15")).profiles(List.of(Profiles.EPYC_GUEST))
        .spans(true).build());
    String text = "scenario svm \"GPU faults take the job's time\"\n\np = app app\nbuf = p.memalign 2M 4M\np.fill buf 4M 1\n"
        + "obj = p.userptr buf 4M\nj = gpu.submit obj read 1ms\nt = now\nt1 = p.thread\nt1: p.store buf 9\nt1: gpu.wait j\nt1: w = now\n";
    RunResult r = spans.run(new TextScenario("svm.scenario", Parser.parse("svm.scenario", text)), "svm", KernelConfig.linux("6.15"));
    assertThat(r.error()).as(r.summary()).isNull();
    org.userptrlab.core.time.Span submit = span(r, "p", "gpu.submit");
    assertThat(submit.end() - submit.start()).as("the submission looks nothing up").isLessThan(MS / 10);
    List<org.userptrlab.core.time.Span> job = r.timing().spans().stream()
        .filter(s -> s.actor().equals("gpu/rcs0") && s.label().startsWith("read object")).toList();
    long ran = job.stream().mapToLong(s -> s.end() - s.start()).sum();
    assertThat(ran).as("1 ms, the faults, and the 4 MiB migrated").isGreaterThan(MS + 4 * (1L << 20)
        / Math.round(Profiles.EPYC_GUEST.get(Parameter.GPU_DMA)));
    assertThat(r.timing().spans()).as("the store made the job fault again").anyMatch(s -> s.label().startsWith("faults on"));
    assertThat(span(r, "p/t1", "gpu.wait").end()).isEqualTo(job.get(job.size() - 1).end());
  }

  /**
   * The driver's fault handler takes mmap_lock for hmm_range_fault in its worker, not in the exec
   * ioctl (xe_svm_handle_pagefault, drm_gpusvm_range_get_pages): while another thread's fork holds
   * the lock for write, the submission returns at once and the job waits on its engine until fork
   * lets go.
   */
  @Test
  void anSvmJobsFaultHandlerWaitsForAWriterOfMmapLockAndTheSubmittingThreadGoesOn() {
    Comparison spans = new Comparison(LabOptions.builder().kernels(KernelConfig.linux("6.15")).profiles(List.of(Profiles.EPYC_GUEST))
        .spans(true).build());
    String text = "scenario svm \"a fault handler waits for fork\"\nmachine ram 128M\n\np = app app\n"
        + "big = p.mmap 16M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.fill big 16M 3\nbuf = p.memalign 2M 2M\n"
        + "p.fill buf 2M 1\nobj = p.userptr buf 2M\nt1 = p.thread\nt1: at 30ms\nt1: c = p.fork\nr = p.readable buf\n"
        + "j = gpu.submit obj read 1ms\ngpu.wait j\n";
    for (String strategy : List.of("svm", "svm-mirror")) {
      RunResult r = spans.run(new TextScenario("svm.scenario", Parser.parse("svm.scenario", text)), strategy, KernelConfig.linux("6.15"));
      assertThat(r.error()).as(r.summary()).isNull();
      org.userptrlab.core.time.Span fork = span(r, "p/t1", "p.fork");
      org.userptrlab.core.time.Span submit = span(r, "p", "gpu.submit");
      assertThat(fork.start()).isEqualTo(30 * MS);
      assertThat(submit.start()).as(strategy).isLessThan(fork.end());
      assertThat(submit.end() - submit.start()).as("%s: the submission waits for nothing", strategy).isLessThan(MS / 10);
      org.userptrlab.core.time.Span waited = span(r, "gpu/rcs0", "GPU fault waits for mmap_lock, which fork");
      assertThat(waited.start()).as(strategy).isEqualTo(submit.end());
      assertThat(waited.end()).as(strategy).isEqualTo(fork.end());
      assertThat(span(r, "gpu/rcs0", "read object").start()).as(strategy).isGreaterThanOrEqualTo(fork.end());
      assertThat(span(r, "gpu/rcs0", "GPU fault on").start()).as("%s: the fault is drawn on the engine, once serviced", strategy)
          .isEqualTo(fork.end());
      assertThat(r.timing().spans()).noneMatch(s -> s.actor().startsWith("p") && s.label().startsWith("GPU fault on"));
      assertThat(r.timing().actors()).filteredOn(a -> a.name().equals("gpu/rcs0")).singleElement()
          .satisfies(a -> assertThat(a.waited()).as("%s: the engine's wait", strategy).isGreaterThanOrEqualTo(waited.end() - waited.start()));
      assertThat(r.timing().stalled("p")).as("%s: the kernel held up no thread", strategy).isZero();
    }
  }

  /**
   * A malloc is the call it makes, for its latency: an mmap for a block in a mapping of its own, a
   * brk where it grows the heap. Under mlockall(MCL_FUTURE) the mmap and the brk populate what they
   * map (__mm_populate), which are no page faults of the program's: the first malloc, 64 KiB, makes
   * the heap by brk, as sbrk grows it; 32 MiB by mmap is one mmap. A malloc the heap has room for
   * stays a page fault.
   */
  @Test
  void aMallocIsTheCallItMakesAndAPopulationNoPageFaultsOfTheProgram() {
    RunResult r = run(CMP, "copy", "p.mlockall MCL_CURRENT|MCL_FUTURE\nheap = p.malloc 64K\nbig = p.malloc 32M\ntop = p.sbrk 64K\n");
    assertThat(latency(r, CallKind.MMAP).count()).isEqualTo(2);
    assertThat(latency(r, CallKind.MMAP).max()).as("the population").isGreaterThan(MS);
    assertThat(latency(r, CallKind.BRK).count()).isEqualTo(2);
    assertThat(r.timing().latency(CallKind.PAGE_FAULT)).as("%s", r.timing().latencies())
        .hasValueSatisfying(l -> assertThat(l.count()).as("the first fill of buf alone").isLessThan(20));
    RunResult small = run(CMP, "copy", "first = p.malloc 4K\nsecond = p.malloc 4K\n");
    assertThat(latency(small, CallKind.MMAP).count()).as("buf's mmap alone").isEqualTo(1);
    assertThat(latency(small, CallKind.BRK).count()).as("the heap made").isEqualTo(1);
  }

  /**
   * A thread woken from a sleep takes a CPU that is idle, whichever it ran on before; one whose line
   * ended running keeps its CPU for its next line; a thread's swap-in sleeps on the disk and leaves
   * the CPU to the others.
   */
  @Test
  void aWokenThreadTakesAnIdleCpuARunningOneKeepsItsAndDiskIoLeavesTheCpu() {
    String big = "big = p.mmap 8M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n";
    RunResult woken = runOn(SPANS, "copy", "cpus 2", big + "t1 = p.thread\nt2 = p.thread\nt1: at 2ms\nt2: p.fill big 8M 2\n"
        + "t1: p.fill buf 64K 3\nt1: a = now\n");
    assertThat(woken.timing().spans()).noneMatch(s -> s.label().equals("waits for a CPU"));
    assertThat(end(woken, "p/t1")).isLessThan(3 * MS).isLessThan(end(woken, "p/t2"));
    RunResult munmap = runOn(SPANS, "backed-notifier", "cpus 1", big + "t1 = p.thread\nt2 = p.thread\n"
        + "t1: j = gpu.submit obj read 5ms\nt1: p.munmap buf 64K\nt2: p.fill big 8M 2\nt1: a = now\n");
    assertThat(munmap.timing().spans()).as("t1 runs on").noneMatch(s -> s.actor().equals("p/t1") && s.label().equals("waits for a CPU"));
    assertThat(end(munmap, "p/t1")).isEqualTo(span(munmap, "p/t1", "p.munmap").end());
    RunResult io = runOn(SPANS, "copy", "cpus 1 swap 64M", big + "p.fill big 8M 1\npressure 72M\nt1 = p.thread\nt2 = p.thread\n"
        + "t1: ok = p.sees big 8M 1\nt2: p.fill buf 4K 2\n");
    assertThat(io.timing().latency(CallKind.PAGE_FAULT)).isPresent();
    assertThat(end(io, "p/t2")).as("t2 wrote while t1 slept on the disk").isLessThan(end(io, "p/t1"));
  }

  /** A job the main flow's last line submitted is committed by another thread's later line, and has ended by its time. */
  @Test
  void aJobSubmittedLastIsDoneForAnotherThreadLater() {
    RunResult r = run(CMP, "copy", "t1 = p.thread\njob = gpu.submit obj read 5ms\nt1: at 20ms\nt1: d = gpu.done job\n"
        + "check \"the job ended 15 ms ago\" d\n");
    assertThat(r.failedChecks()).isEmpty();
  }

  private static RunResult runOn(Comparison cmp, String machine, String body) {
    return runOn(cmp, "copy", machine, body);
  }

  private static RunResult runOn(Comparison cmp, String strategy, String machine, String body) {
    String text = "scenario cpus \"threads and CPUs\"\nmachine ram 64M " + machine + "\n\np = app app\n"
        + "buf = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.fill buf 64K 7\nobj = p.userptr buf 64K\n" + body;
    RunResult r = cmp.run(new TextScenario("cpus.scenario", Parser.parse("cpus.scenario", text)), strategy, KernelConfig.LINUX_6_12);
    assertThat(r.error()).as(r.summary()).isNull();
    return r;
  }

  private static long end(RunResult r, String actor) {
    return r.timing().actors().stream().filter(a -> a.name().equals(actor)).findFirst().orElseThrow().busyUntil();
  }

  private static org.userptrlab.core.time.Span span(RunResult r, String actor, String label) {
    return r.timing().spans().stream().filter(s -> s.actor().equals(actor) && s.label().startsWith(label)).findFirst()
        .orElseThrow(() -> new AssertionError("no span " + label + " of " + actor + " in " + r.timing().spans()));
  }

  /**
   * The reaper skips a mirrored VMA (its notifier would block) and tries again HZ/10 apart; the
   * victim's own exit_mmap waits for the GPU job meanwhile. A job of two seconds outlasts the ten
   * attempts: the reaper gives up. A pinned range is reaped at once.
   */
  @Test
  void theOomReaperSkipsAMirroredVmaAndReapsAPinnedOne() {
    String body = "job = gpu.submit obj read 2s\noom_kill p\n";
    RunResult mirror = run(CMP, "backed-notifier", body);
    assertThat(mirror.has(HazardKind.OOM_REAPER_SKIPPED)).as(mirror.hazards().toString()).isTrue();
    RunResult pinned = run(CMP, "backed-longterm", body);
    assertThat(pinned.has(HazardKind.OOM_REAPER_SKIPPED)).isFalse();
  }

  /** exit_mmap sets MMF_OOM_SKIP: once the victim's exit is done, within a short job, the reaper's next attempt stops there. */
  @Test
  void theOomReaperStopsOnceTheVictimHasExited() {
    RunResult r = run(CMP, "backed-notifier", "job = gpu.submit obj read 5ms\noom_kill p\n");
    assertThat(r.has(HazardKind.OOM_REAPER_SKIPPED)).as(r.hazards().toString()).isFalse();
  }

  @Test
  void xeLongRunningModePreemptsInsteadOfWaiting() {
    Comparison xe = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12).profiles(List.of(Profiles.EPYC_GUEST))
        .modules(List.of(NotifierPolicy.XE_VMA_USERPTR_INVALIDATE_LR.binding())).build());
    RunResult r = run(xe, "backed-notifier", "job = gpu.submit obj read 5ms\np.madvise buf 64K MADV_DONTNEED\ngpu.wait job\n");
    Latency madvise = latency(r, CallKind.MADVISE);
    assertThat(madvise.waited()).isEqualTo(Math.round(Profiles.EPYC_GUEST.get(org.userptrlab.core.cost.Parameter.GPU_PREEMPT)));
    assertThat(r.timing().gpu().preemptions()).isEqualTo(1);
    assertThat(r.timing().gpu().refaults()).isEqualTo(1);
    RunResult gone = run(xe, "backed-notifier", "job = gpu.submit obj read 5ms\np.munmap buf 64K\ngpu.wait job\nt = now\n"
        + "check \"the job ended when its rebind found the range gone, not at its planned end\" t < 1ms\n");
    assertThat(gone.has(HazardKind.GPU_JOB_FAILED)).as(gone.hazards().toString()).isTrue();
    assertThat(gone.has(HazardKind.GPU_TOUCHED_FREED_PAGES)).isFalse();
    assertThat(gone.failedChecks()).isEmpty();
    assertThat(gone.timing().gpu().busyNs()).as("the work the killed job had left is no busy time").isLessThan(MS);
  }

  /** A preempted job's bar stops at the preemption and resumes after it, ending with its fence; a killed one's ends where it stopped. */
  @Test
  void aPreemptedJobsBarsEndWithItsFenceAndAKilledOnesWhereItStopped() {
    Comparison xe = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12).profiles(List.of(Profiles.EPYC_GUEST))
        .modules(List.of(NotifierPolicy.XE_VMA_USERPTR_INVALIDATE_LR.binding())).spans(true).build());
    RunResult resumed = run(xe, "backed-notifier", "job = gpu.submit obj read 5ms\np.madvise buf 64K MADV_DONTNEED\ngpu.wait job\n"
        + "t = now\n");
    List<org.userptrlab.core.time.Span> bars = resumed.timing().spans().stream()
        .filter(s -> s.kind() == org.userptrlab.core.time.SpanKind.JOB).toList();
    // The madvise comes as the job starts: nothing of it runs before the preemption, and no empty bar is drawn there.
    assertThat(bars).hasSize(1).allSatisfy(b -> assertThat(b.end()).isGreaterThan(b.start()));
    long waitedUntil = resumed.timing().spans().stream().filter(s -> s.label().startsWith("gpu.wait")).findFirst().orElseThrow().end();
    assertThat(bars.get(0).end()).as("the resumed bar ends with the fence gpu.wait waited for").isEqualTo(waitedUntil);
    assertThat(bars.get(0).start()).as("it resumes after the preemption and the rebind").isEqualTo(resumed.timing().spans().stream()
        .filter(s -> s.kind() == org.userptrlab.core.time.SpanKind.PREEMPTED).mapToLong(org.userptrlab.core.time.Span::end).max().orElseThrow());
    RunResult killed = run(xe, "backed-notifier", "job = gpu.submit obj read 5ms\np.munmap buf 64K\ngpu.wait job\n");
    List<org.userptrlab.core.time.Span> killedBars = killed.timing().spans().stream()
        .filter(s -> s.kind() == org.userptrlab.core.time.SpanKind.JOB).toList();
    assertThat(killedBars).hasSize(1);
    assertThat(killedBars.get(0).label()).endsWith("(killed)");
    assertThat(killed.timing().spans()).filteredOn(s -> s.kind() == org.userptrlab.core.time.SpanKind.PREEMPTED).hasSize(1)
        .allSatisfy(s -> assertThat(s.label()).as("the preemption it never came back from says how it ended")
            .endsWith(", then the job was killed"));
    assertThat(resumed.timing().spans()).filteredOn(s -> s.kind() == org.userptrlab.core.time.SpanKind.PREEMPTED)
        .allSatisfy(s -> assertThat(s.label()).doesNotContain("killed"));
  }

  /** Under drm_gpusvm a running job touches an unmapped range again at once: the GPU fault fails, and the job ends then. */
  @Test
  void anSvmJobWhoseRangeIsUnmappedEndsAtItsFailedFault() {
    RunResult r = run(CMP, "svm", "job = gpu.submit obj read 5ms\np.munmap buf 64K\ngpu.wait job\nt = now\n"
        + "check \"the job ended at its failed fault, not at its planned end\" t < 1ms\n");
    assertThat(r.has(HazardKind.GPU_JOB_FAILED)).as(r.hazards().toString()).isTrue();
    assertThat(r.failedChecks()).isEmpty();
    RunResult remapped = run(CMP, "svm", "job = gpu.submit obj read 5ms\np.munmap buf 64K\n"
        + "again = p.mmap_at buf 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED\ngpu.wait job\nt = now\n"
        + "check \"the fault found the new mapping and the job ran on\" t >= 5ms\n");
    assertThat(remapped.failedChecks()).isEmpty();
  }

  /**
   * xe's rebind worker faults a preempted job's range in again (preempt_rebind_work_func): its time is
   * the job's, off its engine until the queue resumes, and no thread's that happens to wake meanwhile.
   */
  @Test
  void aPreemptedJobsRebindIsItsOwnTimeNotAWokenThreads() {
    Comparison xe = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12).profiles(List.of(Profiles.EPYC_GUEST))
        .modules(List.of(NotifierPolicy.XE_VMA_USERPTR_INVALIDATE_LR.binding())).spans(true).build());
    RunResult r = run(xe, "backed-notifier", "t1 = p.thread\njob = gpu.submit obj read 2ms\nt1: at 200us\n"
        + "t1: p.madvise buf 64K MADV_DONTNEED\nat 500us\nts = now\ngpu.wait job\n"
        + "check \"the main thread woke at 500us and did nothing else\" ts == 500us\n");
    assertThat(r.failedChecks()).isEmpty();
    List<org.userptrlab.core.time.Span> preempted = r.timing().spans().stream()
        .filter(s -> s.kind() == org.userptrlab.core.time.SpanKind.PREEMPTED).toList();
    assertThat(preempted).hasSize(2);
    org.userptrlab.core.time.Span rebind = preempted.get(1);
    assertThat(rebind.label()).contains("rebind");
    assertThat(rebind.start()).isEqualTo(preempted.get(0).end());
    assertThat(rebind.end()).as("16 pages faulted in again take time").isGreaterThan(rebind.start());
    List<org.userptrlab.core.time.Span> bars = r.timing().spans().stream().filter(s -> s.kind() == org.userptrlab.core.time.SpanKind.JOB).toList();
    assertThat(bars).hasSize(2);
    assertThat(bars.get(1).start()).as("the queue resumes once the rebind is done").isEqualTo(rebind.end());
  }

  /**
   * When the rebind worker cannot fault a preempted job's range in again (it was unmapped), xe_vm_kill
   * kills the queue and bans the VM: xe_exec_ioctl refuses every later job on it with ECANCELED, on
   * any of its objects.
   */
  @Test
  void aVmXeKilledRefusesEveryLaterJobWithEcanceled() {
    Comparison xe = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12).profiles(List.of(Profiles.EPYC_GUEST))
        .modules(List.of(NotifierPolicy.XE_VMA_USERPTR_INVALIDATE_LR.binding())).build());
    String body = "b2 = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.fill b2 64K 8\no2 = p.userptr b2 64K\n"
        + "j1 = gpu.submit obj read 5ms\nat 1ms\n";
    RunResult killed = run(xe, "backed-notifier", body + "p.munmap buf 64K\ngpu.wait j1\nr = try gpu.submit o2 read 1ms\n"
        + "o3 = p.create 64K\nr3 = try gpu.submit o3 read 1ms\n"
        + "check \"the banned VM takes no job, on a userptr or a shmem object\" r == ECANCELED and r3 == ECANCELED\n");
    assertThat(killed.failedChecks()).isEmpty();
    RunResult preempted = run(xe, "backed-notifier", body + "p.madvise buf 64K MADV_DONTNEED\ngpu.wait j1\n"
        + "r = try gpu.submit o2 read 1ms\ncheck \"a VM whose rebind succeeded takes jobs\" r == OK\n");
    assertThat(preempted.failedChecks()).isEmpty();
  }

  /**
   * xe's exec ioctl looks at no page of an svm range: a job over a range nothing maps is taken, and
   * ends at its first GPU fault (xe_svm_handle_pagefault finds no VMA), its queue killed.
   */
  @Test
  void anSvmJobOverAnUnmappedRangeIsTakenAndEndsAtItsFailedFault() {
    Comparison svm = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12).profiles(List.of(Profiles.EPYC_GUEST))
        .spans(true).build());
    RunResult r = run(svm, "svm", "p.munmap buf 64K\nr = try gpu.submit obj read 5ms\njob = gpu.submit obj read 5ms\n"
        + "gpu.wait job\nt = now\ncheck \"the submission was taken\" r == OK\n"
        + "check \"the job ended at its fault, not after 5 ms\" t < 1ms\n");
    assertThat(r.failedChecks()).isEmpty();
    assertThat(r.has(HazardKind.GPU_JOB_FAILED)).as(r.hazards().toString()).isTrue();
    long fault = Math.round(Profiles.EPYC_GUEST.get(Parameter.GPU_FAULT));
    assertThat(r.timing().spans()).filteredOn(s -> s.kind() == org.userptrlab.core.time.SpanKind.JOB)
        .allSatisfy(s -> assertThat(s.end() - s.start()).isEqualTo(fault));
    // A job that was running when its range went: the failed fault it waits for until its end is drawn on its engine.
    RunResult running = run(svm, "svm", "job = gpu.submit obj read 5ms\np.munmap buf 64K\ngpu.wait job\n");
    assertThat(running.timing().spans()).anyMatch(s -> s.kind() == org.userptrlab.core.time.SpanKind.GPU_FAULT
        && s.label().contains("no VMA") && s.end() - s.start() == fault);
    // A GPU read the program waits for fails as it did: false, and the hazard.
    RunResult sync = run(svm, "svm", "p.munmap buf 64K\nsaw = gpu.sees obj 7\ncheck \"nothing read\" not saw\n");
    assertThat(sync.failedChecks()).isEmpty();
    assertThat(sync.has(HazardKind.GPU_JOB_FAILED)).isTrue();
  }

  /**
   * A submission written without {@code T:} after another thread's line runs on that thread, and the
   * main flow's next line still comes after it: its job is committed (the ioctl returned), so a
   * munmap waits for it. That munmap came between the two halves and the job failed with EFAULT.
   */
  @Test
  void theMainFlowsNextLineComesAfterItsSubmissionWhicheverThreadRanIt() {
    RunResult r = run(CMP, "backed-notifier", "t1 = p.thread\nt1: p.fill buf 4K 1\njob = gpu.submit obj read 1ms\n"
        + "p.munmap buf 64K\n");
    assertThat(r.has(HazardKind.GPU_JOB_FAILED)).as(r.hazards().toString()).isFalse();
    assertThat(r.timing().stalled("p")).isGreaterThan(MS / 2);
  }

  /**
   * Two invalidations while a long-running job is off its engine: the second preemption overlaps the
   * first's time off, the job resumes once both are over, and its bars end with its fence.
   */
  @Test
  void aJobPreemptedAgainWhileOffItsEngineResumesOnceAndItsBarsEndWithItsFence() {
    Comparison xe = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12).profiles(List.of(Profiles.EPYC_GUEST))
        .modules(List.of(NotifierPolicy.XE_VMA_USERPTR_INVALIDATE_LR.binding())).spans(true).build());
    String body = "t1 = p.thread\njob = gpu.submit obj read 5ms\nt1: at 1ms\nt1: p.madvise buf 16K MADV_DONTNEED\n"
        + "t1: p.madvise buf+32K 16K MADV_DONTNEED\ngpu.wait job\n";
    RunResult r = run(xe, "backed-notifier", body);
    List<org.userptrlab.core.time.Span> bars = r.timing().spans().stream().filter(s -> s.kind() == org.userptrlab.core.time.SpanKind.JOB).toList();
    long waited = r.timing().spans().stream().filter(s -> s.label().startsWith("gpu.wait")).findFirst().orElseThrow().end();
    assertThat(bars.get(bars.size() - 1).end()).isEqualTo(waited);
    long offUntil = r.timing().spans().stream().filter(s -> s.kind() == org.userptrlab.core.time.SpanKind.PREEMPTED)
        .mapToLong(org.userptrlab.core.time.Span::end).max().orElseThrow();
    assertThat(bars.get(bars.size() - 1).start()).as("it resumes once, when the last time off is over").isEqualTo(offUntil);
    long ran = bars.stream().mapToLong(s -> s.end() - s.start()).sum();
    assertThat(ran).as("the bars hold the job's 5 ms, and no more").isEqualTo(5 * MS);
    // The chart's decisions are the run's: its timing is the same without one.
    RunResult plain = run(new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12).profiles(List.of(Profiles.EPYC_GUEST))
        .modules(List.of(NotifierPolicy.XE_VMA_USERPTR_INVALIDATE_LR.binding())).build()), "backed-notifier", body);
    assertThat(plain.timing().totalNs()).isEqualTo(r.timing().totalNs());
  }

  /** An svm job's address space ends with its process (exit_mmap's release): the job's next fault fails, as after a munmap. */
  @Test
  void anSvmJobEndsAtItsFailedFaultWhenItsProcessExits() {
    RunResult r = run(CMP, "svm", "job = gpu.submit obj read 5ms\np.exit\ngpu.wait job\nt = now\n"
        + "check \"the job ended at its fault, not after 5 ms\" t < 1ms\n");
    assertThat(r.failedChecks()).isEmpty();
    assertThat(r.has(HazardKind.GPU_JOB_FAILED)).as(r.hazards().toString()).isTrue();
  }

  /** The chart tells a stall (what P.stalled counts) from the program's own sleep and from a wait on the run queue. */
  @Test
  void theChartTellsAStallFromASleepAndFromAWaitForACpu() {
    Comparison cmp = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12).profiles(List.of(Profiles.EPYC_GUEST))
        .spans(true).build());
    String text = "scenario chart\nmachine cpus 1\np = app app\n"
        + "buf = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.fill buf 64K 7\nobj = p.userptr buf 64K\n"
        + "big = p.mmap 1M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\nt1 = p.thread\nt2 = p.thread\n"
        + "t1: p.fill big 512K 1\nt2: p.fill big+512K 512K 2\njob = gpu.submit obj read 1ms\np.munmap buf 64K\nat 5ms\n";
    RunResult r = cmp.run(new TextScenario("chart.scenario", Parser.parse("chart.scenario", text)), "backed-notifier",
        KernelConfig.LINUX_6_12);
    assertThat(r.error()).as(r.summary()).isNull();
    List<org.userptrlab.core.time.Span> spans = r.timing().spans();
    assertThat(spans).anyMatch(s -> s.kind() == org.userptrlab.core.time.SpanKind.RUNNABLE && s.label().equals("waits for a CPU"));
    assertThat(spans).anyMatch(s -> s.kind() == org.userptrlab.core.time.SpanKind.SLEEP && s.end() == 5 * MS);
    long stalls = spans.stream().filter(s -> s.kind() == org.userptrlab.core.time.SpanKind.WAIT && s.actorKind() == org.userptrlab.core.time.Actor.Kind.CPU)
        .mapToLong(s -> s.end() - s.start()).sum();
    assertThat(stalls).as("the red on the threads' rows is what P.stalled counts").isPositive().isEqualTo(r.timing().stalled("p"));
  }

  @Test
  void aJobAnotherThreadWaitedForStillEndsAtItsTimeForALaterWaiter() {
    RunResult r = run(CMP, "copy", "j1 = gpu.submit obj read 5ms\nt1 = p.thread\nt2 = p.thread\nt1: gpu.wait j1\nt2: at 2ms\n"
        + "t2: early = gpu.done j1\nt2: gpu.wait j1\nt2: b = now\ncheck \"not done at 2 ms\" not early\n"
        + "check \"the second wait lasts until the job's end\" b >= 5ms\n");
    assertThat(r.failedChecks()).isEmpty();
  }

  @Test
  void aThreadSeesOnlyTheStallsTakenByItsTime() {
    // t1's munmap waits until 5 ms; t2, at 1 ms, has seen 1 ms of it at most.
    RunResult ok = run(CMP, "backed-notifier", "j1 = gpu.submit obj read 5ms\nt1 = p.thread\nt2 = p.thread\nt1: p.munmap buf 64K\n"
        + "t2: at 1ms\nt2: s = p.stalled\nt2: n = now\ncheck \"no more stall than time\" s <= n\n");
    assertThat(ok.failedChecks()).isEmpty();
    assertThat(ok.timing().stalled("p")).isGreaterThan(4 * MS);
  }

  /**
   * exit_mmap's invalidation (mn_itree_release) is blockable, and a mirror that holds no page waits in
   * it as amdgpu_hmm_invalidate_gfx does: i915 skips the wait for an exiting process only because it
   * keeps its userptr pages pinned, and without the wait the job would read freed pages.
   */
  @Test
  void theExitingProcessesTeardownWaitsForTheJobAsAMirrorWithoutPinsMust() {
    RunResult r = run(CMP, "backed-notifier", "job = gpu.submit obj read 5ms\np.exit\n");
    assertThat(latency(r, CallKind.EXIT).waited()).isGreaterThan(4 * MS);
    assertThat(r.has(HazardKind.GPU_TOUCHED_FREED_PAGES)).isFalse();
  }

  /**
   * cow gives the object private copies at its first GPU write and lets go of the shared pages, but
   * only once the read already running on them has ended: the program dropping one of them
   * (MADV_DONTNEED) meanwhile frees nothing the read still addresses.
   */
  @Test
  void cowLetsGoOfTheSharedPagesAtAWriteOnlyOnceTheReadRunningOnThemEnds() {
    RunResult r = run(CMP, "cow", "job = gpu.submit obj read 2ms\np.madvise buf+32K 4K MADV_DONTNEED\n"
        + "job2 = gpu.submit obj write 4K bcs0\ngpu.wait job\nok = gpu.sees obj 7\n");
    assertThat(r.has(HazardKind.GPU_TOUCHED_FREED_PAGES)).as(r.summary()).isFalse();
  }

  @Test
  void aJobsAmountIsATimeOrASizeWithItsUnit() {
    String head = "scenario t\n\np = app app\nbuf = p.malloc 4K\nobj = p.userptr buf 4K\n";
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Parser.parse("t", head + "j = gpu.submit obj read 5\n"))
        .hasMessageContaining("neither a time nor a size with its unit");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Parser.parse("t", head + "at 99999999999999999999s\n"))
        .hasMessageContaining("at most a day");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Parser.parse("t", head + "oom_kill p\np.fill buf 4K 1\n"))
        .hasMessageContaining("exited at line 6");
  }

  @Test
  void aRunsTimingIsTheSameEveryTime() {
    String body = "t1 = p.thread\nt1: job = gpu.submit obj write 64K\nc = p.fork\np.fill buf 4K 3\nt1: gpu.wait job\n";
    RunResult a = run(CMP, "backed-notifier", body);
    RunResult b = run(new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12).profiles(List.of(Profiles.EPYC_GUEST))
        .threads(1).build()), "backed-notifier", body);
    assertThat(a.timing()).isEqualTo(b.timing());
    assertThat(a.timing().totalNs()).isPositive();
  }
}
