package org.userptrlab.lab.scenarios;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.harness.ScenarioRun;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.lab.lang.Bindings;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.lang.Program.Arg;
import org.userptrlab.lab.lang.Program.Call;
import org.userptrlab.lab.lang.Program.Cond;
import org.userptrlab.lab.lang.Program.Statement;
import org.userptrlab.lab.lang.ProgramError;
import org.userptrlab.lab.lang.Printer;
import org.userptrlab.lab.lang.Programs;
import org.userptrlab.mm.Capability;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.MemFile;
import org.userptrlab.mm.Process;

/**
 * A scenario written as a program: each line runs in turn on the run's machine, each process made
 * by {@code app} a graphics program ({@link App}); {@code expect} lines are the run's checks and
 * {@code hazard} lines its hazards. The program was checked when it was read; what can only fail
 * at run time (the kernel's errno, a signal) fails the run, as a failure in a Java scenario does.
 */
public final class TextScenario implements Scenario {
  private final String file;
  private final Program program;
  private final java.util.function.Consumer<Step> steps;

  /**
   * A program that says {@code observe} also has the harness check, whatever the program itself
   * checks: after an import, that the GPU sees what the program had written; at the end, that the
   * GPU and every process see what the strategy's contract says they should (the oracle follows
   * each process's writes and the GPU's); and after every step, the memory manager's invariants
   * (a break is a bug of the model), pages locked past RLIMIT_MEMLOCK, locked_vm below zero and,
   * after a machine event, imported pages swapped out. The explorer's
   * programs say it; the catalogue's programs check for themselves.
   */
  public TextScenario(String file, Program program) {
    this(file, program, null);
  }

  /**
   * The program, telling {@code steps} (if not null) what each of its operations did, in order,
   * for a comparison with the real kernel.
   */
  public TextScenario(String file, Program program, java.util.function.Consumer<Step> steps) {
    this.file = file;
    this.program = program;
    this.steps = steps;
  }

  public Program program() {
    return program;
  }

  /** The file the program was read from, as errors name it. */
  public String file() {
    return file;
  }

  @Override
  public String name() {
    return program.name();
  }

  @Override
  public String description() {
    return program.description();
  }

  @Override
  public Set<Promise> needs() {
    return program.needs();
  }

  @Override
  public MachineConfig.Builder machine(MachineConfig.Builder defaults) {
    return Programs.machine(program, defaults);
  }

  @Override
  public void run(ScenarioRun run) {
    new Interpreter(run).run();
  }

  /**
   * What the oracle follows of one import: the process that made it, the buffer it covers, whether
   * it covers the whole buffer (only then is it followed), what the GPU should hold (null where the
   * oracle cannot say), and whether the GPU wrote it last.
   */
  private static final class Tracked {
    final String owner;
    final String buffer;
    final boolean whole;
    Long gpu;
    boolean gpuWroteLast;

    Tracked(String owner, String buffer, boolean whole, Long gpu) {
      this.owner = owner;
      this.buffer = buffer;
      this.whole = whole;
      this.gpu = gpu;
    }
  }

  /** A GEM handle: the program whose DRM file holds it, the handle, and the process whose ioctl made it (whose memory it imports). */
  private record Handle(App owner, int handle, Process caller) {}

  /** The most processes alive at which an observed program's invariants are checked after each line. */
  static final int STEP_CHECKED_PROCESSES = 256;

  /** The operations that change nothing the invariants are about. */
  private static final java.util.Set<org.userptrlab.lab.lang.Op> LOOKS = java.util.EnumSet.of(org.userptrlab.lab.lang.Op.THREAD,
      org.userptrlab.lab.lang.Op.NOW, org.userptrlab.lab.lang.Op.STALLED, org.userptrlab.lab.lang.Op.VM_RSS,
      org.userptrlab.lab.lang.Op.VM_LCK, org.userptrlab.lab.lang.Op.VM_PIN, org.userptrlab.lab.lang.Op.FRAME,
      org.userptrlab.lab.lang.Op.MAPCOUNT, org.userptrlab.lab.lang.Op.REFCOUNT, org.userptrlab.lab.lang.Op.MAYBE_PINNED,
      org.userptrlab.lab.lang.Op.VMA_FLAG, org.userptrlab.lab.lang.Op.ANON_HUGE, org.userptrlab.lab.lang.Op.HEAP_VMAS,
      org.userptrlab.lab.lang.Op.ALIVE, org.userptrlab.lab.lang.Op.PROMISES, org.userptrlab.lab.lang.Op.POPULATED,
      org.userptrlab.lab.lang.Op.SWAPPED, org.userptrlab.lab.lang.Op.REPORT_SWAPPED, org.userptrlab.lab.lang.Op.REPORT_HELD,
      org.userptrlab.lab.lang.Op.REPORT_RESIDENT, org.userptrlab.lab.lang.Op.REPORT_VMA_LOCKED, org.userptrlab.lab.lang.Op.REPORT_MEMLOCK,
      org.userptrlab.lab.lang.Op.REPORT_LOCKED_VM, org.userptrlab.lab.lang.Op.REPORT_HEAP_SPLIT, org.userptrlab.lab.lang.Op.ALIGN_DOWN);

  /** A thread of a process, made by {@code P.thread}, and its clock. */
  private record ThreadRef(Process process, org.userptrlab.core.time.Actor actor) {}

  /**
   * A job submitted by a line: half done until its thread's next step commits it, or the step of
   * another thread that starts once the submission's call has returned.
   */
  private static final class PendingJob {
    final App app;
    final int line;
    org.userptrlab.gem.Gpu.Submission half;
    /** The thread whose call submitted it: the commit is that thread's, at its time. */
    org.userptrlab.core.time.Actor thread;
    /** When the submission's call returned, on its thread; -1 while it runs. */
    long returned = -1;
    /** Written without {@code T:}: a line of the main flow, which the main flow's next line comes after. */
    boolean mainFlow;
    org.userptrlab.gem.GpuJob job;
    boolean judged;

    PendingJob(App app, int line, org.userptrlab.gem.Gpu.Submission half) {
      this.app = app;
      this.line = line;
      this.half = half;
    }
  }

  private final class Interpreter {
    private final ScenarioRun run;
    private final Bindings values = new Bindings();
    /** Imports that live, with their range, for the observer's swap report. */
    private final Map<Handle, long[]> imported = new java.util.LinkedHashMap<>();
    /** Each process's VM_LOCKED pages after the step before, for the RLIMIT_MEMLOCK_BYPASS watch. */
    private final Map<Process, Long> lockedBefore = new HashMap<>();
    /** The oracle: what each process should read in each buffer (by name), null where it cannot say. */
    private final Map<String, Map<String, Long>> shadow = new java.util.LinkedHashMap<>();
    private final Map<String, long[]> buffers = new HashMap<>();
    private final java.util.Set<String> dontfork = new java.util.HashSet<>();
    /** The file each buffer mmap_file made maps, by name, for truncate. */
    private final Map<String, String> fileOf = new HashMap<>();
    /** The oracle for each live import, by the name its handle was set to. */
    private final Map<String, Tracked> objects = new java.util.LinkedHashMap<>();
    /** Live imports whose buffer was freed or unmapped: what the GPU writes through them may land in a new allocation. */
    private final Map<String, Tracked> orphans = new java.util.LinkedHashMap<>();
    /**
     * Under a COHERENT strategy, each process's buffers (by name) the GPU wrote into through an import since the
     * process last wrote them whole: what the process reads there is the GPU's by the contract (CPU_SEES_GPU_WRITES).
     */
    private final Map<String, Set<String>> gpuWrote = new HashMap<>();
    private final java.util.EnumSet<org.userptrlab.core.harness.HazardKind> observed =
        java.util.EnumSet.noneOf(org.userptrlab.core.harness.HazardKind.class);
    /** The graphics program each process belongs to (a child belongs to its parent's), for free and the driver. */
    private final Map<Process, App> apps = new java.util.LinkedHashMap<>();
    /** The DRM file each process holds now: its program's, or one sent to it; gone at its close. */
    private final Map<Process, App> drmOf = new HashMap<>();
    /** Every graphics program made, in order, whether or not a process still holds its file. */
    private final List<App> made = new java.util.ArrayList<>();
    /** The harness's observations of processes that hold no DRM file; made at the first. */
    private ProcessReports fileless;
    /** What the machine does, whichever processes the program made. */
    private final MachineEvents events;
    /** Processes that closed their DRM file, with the line: an ioctl of theirs is EBADF. */
    private final Map<Process, Integer> closedDrm = new HashMap<>();
    private int line;
    private final org.userptrlab.core.time.VirtualClock clock;
    /** What the last call returned, bound to a name or not, and whether it failed: what the oracle follows. */
    private Object lastValue;
    private boolean lastFailed;
    /** When the main flow's line before ended: its next line starts no earlier, whichever process it acts on. */
    private long mainFlowEnd;
    /** Whether the statement running was written {@code T: LINE}. */
    private boolean onThread;
    /** When the line that set each name returned, on its thread: a line using the name starts no earlier. */
    private final Map<String, Long> readyAt = new HashMap<>();
    /** The latest of {@link #readyAt}: a step that starts after it waits for no name. */
    private long latestReady;
    /** Submissions a thread left half done (the pages looked up, not committed), by thread. */
    private final Map<org.userptrlab.core.time.Actor, PendingJob> pending = new java.util.LinkedHashMap<>();
    /** Every job submitted, in order. */
    private final List<PendingJob> jobs = new java.util.ArrayList<>();
    /** The last GPU write job submitted over each buffer, by the buffer's name, for the oracle. */
    private final Map<String, PendingJob> writers = new HashMap<>();

    /** Whether a GPU write job over the buffer may still be running. */
    private boolean writing(String buffer) {
      PendingJob j = writers.get(buffer);
      return j != null && (j.half != null || (j.job != null && !j.job.done()));
    }

    Interpreter(ScenarioRun run) {
      this.run = run;
      this.events = new MachineEvents(run);
      this.clock = run.clock();
    }

    void run() {
      for (Statement s : program.body()) {
        line = s.line();
        Statement inner = s instanceof Program.On o ? o.inner() : s;
        onThread = s instanceof Program.On;
        try {
          begin(s);
          boolean goOn = step(inner);
          clock.stepEnded();
          if (!goOn) {
            break;
          }
        } catch (RuntimeException e) {
          throw placed(e, inner);
        }
        String bound = inner instanceof Program.Bind b ? b.name() : inner instanceof Program.Try t ? t.name() : null;
        if (bound != null) {
          readyAt.put(bound, clock.current().time());
          latestReady = Math.max(latestReady, clock.current().time());
        }
        PendingJob submitted = pending.get(clock.current());
        if (submitted != null && submitted.returned < 0) {
          submitted.returned = clock.current().time();
        }
        if (!(s instanceof Program.On) && clock.current().kind() == org.userptrlab.core.time.Actor.Kind.CPU) {
          // The main flow goes on when its line returns; a kernel worker's runs beside it.
          mainFlowEnd = clock.current().time();
        }
        if (program.observe()) {
          observe(inner);
        }
      }
      for (PendingJob j : new java.util.ArrayList<>(pending.values())) {
        finish(j);
      }
      clock.drain();
      for (PendingJob j : jobs) {
        judge(j);
      }
      if (program.observe()) {
        finalChecks();
      }
      for (App app : made) {
        // The program's end is its exit_group: the address space goes with the last of its threads to leave the kernel (mmput).
        org.userptrlab.core.time.Actor last = clock.lastOf(owner -> values.get(owner) == app.p);
        if (last != null) {
          clock.resume(last);
        }
        app.end();
      }
    }

    /**
     * The schedule starts the statement's step on its thread: a line written {@code T: LINE} on
     * thread T, any other on the main thread of the process it acts on (the line before's for one
     * that acts on no process), after the main flow's line before it, and not before the lines
     * that set the names it uses have returned (a thread cannot use a buffer before the mmap that
     * makes it returns). A submission whose call returned before then, on any thread, is committed
     * first: the driver commits a job before its ioctl returns.
     */
    private void begin(Statement s) {
      org.userptrlab.core.time.Actor a;
      if (s instanceof Program.On o) {
        a = ((ThreadRef) values.get(o.thread())).actor;
      } else {
        Call c = Program.callOf(s);
        String who = c == null ? null : c.receiver();
        String worker = c == null ? null : worker(c.op());
        if (worker != null) {
          a = clock.actor(worker, org.userptrlab.core.time.Actor.Kind.KERNEL, worker);
        } else if (who != null && values.get(who) instanceof Process) {
          a = clock.actor(who, org.userptrlab.core.time.Actor.Kind.CPU, who);
        } else {
          a = clock.current();
        }
        if (a.time() < mainFlowEnd) {
          clock.begin(a);
          clock.sleepUntil(mainFlowEnd, "main flow");
        }
      }
      clock.begin(a);
      if (latestReady > a.time()) {
        long ready = 0;
        String waitedFor = null;
        for (String name : Program.uses(s)) {
          Long at = readyAt.get(name);
          if (at != null && at > ready) {
            ready = at;
            waitedFor = name;
          }
        }
        if (ready > a.time()) {
          clock.sleepUntil(ready, "waits for the line that sets " + waitedFor);
        }
      }
      // A step that starts when a submission returns, or before, may still come between its two halves; the main flow's
      // next line may not, as it comes after the line that submitted, whose ioctl committed the job.
      boolean mainFlowLine = !(s instanceof Program.On);
      finishOthers(a, j -> j.returned < a.time() || j.mainFlow && mainFlowLine && j.returned <= a.time());
      PendingJob half = pending.get(a);
      if (half != null) {
        finish(half);
      }
      // exit_group: the address space goes when the last thread leaves the kernel (mmput), so a submission another thread
      // of the process has in its ioctl is committed first.
      Call c = Program.callOf(s instanceof Program.On o ? o.inner() : s);
      if (c != null && c.op() == org.userptrlab.lab.lang.Op.EXIT && values.get(c.receiver()) instanceof Process gone) {
        finishOthers(a, j -> j.app.p == gone);
      }
      // What the commits queued and is due by now has ended (a gpu.done of this step sees it); then the step needs a CPU.
      clock.signalDue();
      long ready = a.time();
      clock.stepStarted();
      if (a.time() > ready) {
        // It waited for a CPU, which a line gave up when it ended (no line is preempted): a submission that had returned by
        // then had committed its job.
        finishOthers(a, j -> j.returned <= a.time());
        clock.signalDue();
      }
    }

    /** Commits, each on its own thread, the submissions other threads than {@code a}'s left half done whose call has returned and that {@code due} says are. */
    private void finishOthers(org.userptrlab.core.time.Actor a, java.util.function.Predicate<PendingJob> due) {
      // Most steps find no submission half done: the copy the loop needs is made only where there is one.
      if (pending.isEmpty()) {
        return;
      }
      for (Map.Entry<org.userptrlab.core.time.Actor, PendingJob> e : new java.util.ArrayList<>(pending.entrySet())) {
        if (e.getKey() != a && e.getValue().returned >= 0 && due.test(e.getValue())) {
          finish(e.getValue());
        }
      }
    }

    /**
     * The kernel worker or other program a machine-wide line runs as, beside the program's threads:
     * compaction as kcompactd, reclaim as kswapd, a khugepaged pass as khugepaged, memory pressure as
     * the other program that makes it, a driver's CMA allocation as that driver's thread; null for a
     * line that runs in the main flow.
     */
    private static String worker(org.userptrlab.lab.lang.Op op) {
      return switch (op) {
        case COMPACT -> "kcompactd0";
        case RECLAIM -> "kswapd0";
        case KHUGEPAGED -> "khugepaged";
        case PRESSURE -> "pressure";
        case CMA_ALLOC -> "cma_alloc";
        default -> null;
      };
    }

    /** One statement; false where the program stops here (a skip that held). */
    private boolean step(Statement s) {
      if (s instanceof Program.Bind b && b.call().op() == org.userptrlab.lab.lang.Op.THREAD) {
        Process owner = (Process) values.get(b.call().receiver());
        String who = b.call().receiver();
        // A thread of its own each time, even under a name set before (pthread_create makes a new one).
        values.put(b.name(), new ThreadRef(owner, clock.spawn(who + "/" + b.name(), org.userptrlab.core.time.Actor.Kind.CPU, who)));
        return true;
      }
      if (s instanceof Program.Bind b) {
        values.put(b.name(), call(b.call()), b.call().op().result().orElse(null));
      } else if (s instanceof Program.Try t) {
        values.put(t.name(), attempt(t.call()));
      } else if (s instanceof Program.Check k) {
        if (k.when() == null || holds(k.when())) {
          org.userptrlab.lab.lang.Bindings.Outcome o = values.test(k.cond(), this::call);
          boolean held = o.held();
          if (k.xfail() != null && !held) {
            run.checkExpectedToFail("line " + line + ": " + k.what() + ": " + k.xfail(), false, o.seen());
          } else {
            run.check("line " + line + ": " + k.what(), held, o.seen());
          }
          if (steps != null) {
            steps.accept(Step.check(line, k.what(), held));
          }
        }
      } else if (s instanceof Program.Skip k) {
        if (holds(k.cond())) {
          run.skip("line " + line + ": " + k.why());
          return false;
        }
      } else if (s instanceof Program.Do d) {
        call(d.call());
      } else if (s instanceof Program.Expect e) {
        if (e.when() == null || holds(e.when())) {
          org.userptrlab.lab.lang.Bindings.Outcome o = values.test(e.cond(), this::call);
          boolean held = o.held();
          String wrote = held || e.promise() != Promise.PROGRAM_KEEPS_ITS_BYTES ? null : gpuWroteIn(e.cond());
          if (wrote != null) {
            run.check(e.what(), false, wrote + " holds what the GPU wrote into it through an import since the program last wrote "
                + "it, which the program sees under a COHERENT strategy (CPU_SEES_GPU_WRITES): the check is the program's own, "
                + "not a promise the strategy broke");
          } else {
            run.expect(e.promise(), e.what(), held, o.seen());
          }
        }
      } else if (s instanceof Program.Hazard h) {
        if (holds(h.cond())) {
          run.hazard(h.kind(), h.detail());
        }
      }
      return true;
    }

    /** Marks the buffer {@code o} imports as written by the GPU since its process last wrote it whole. */
    private void gpuWroteInto(Tracked o) {
      gpuWrote.computeIfAbsent(o.owner, k -> new java.util.HashSet<>()).add(o.buffer);
    }

    /** The first buffer a check reads (p.sees) that the GPU wrote into since its process did, as {@code p's buf}; else null. */
    private String gpuWroteIn(Cond cond) {
      for (Program.Atom a : cond.atoms()) {
        for (Call c : a.negated() ? List.<Call>of() : a.calls()) {
          if ((c.op() == org.userptrlab.lab.lang.Op.SEES || c.op() == org.userptrlab.lab.lang.Op.SEES_AT)
              && c.args().get(0) instanceof Program.Ref r && gpuWrote.getOrDefault(c.receiver(), Set.of()).contains(r.name())) {
            return c.receiver() + "'s " + r.name();
          }
        }
      }
      return null;
    }

    /**
     * Commits a submission its thread left half done, starting over while an invalidation made its
     * pages stale: on the submitting thread, at its time (the ioctl commits before it returns),
     * whichever line's step finds it half done.
     */
    private void finish(PendingJob j) {
      if (j.half == null) {
        return;
      }
      org.userptrlab.gem.Gpu.Submission sub = j.half;
      j.half = null;
      pending.values().remove(j);
      org.userptrlab.core.time.Actor was = clock.current();
      clock.resume(j.thread);
      int timeouts = clock.timeouts();
      try {
        java.util.Optional<org.userptrlab.gem.GpuJob> committed = j.app.gpu.commit(sub);
        while (committed.isEmpty()) {
          // The pages went stale meanwhile: the ioctl starts over on its thread's time, its hmm_range_fault under
          // mmap_lock again, which another thread's writer (the fork that made them stale) may still hold; the job
          // is committed once that lookup is done (the strategy bounds the retries).
          clock.enter(org.userptrlab.core.time.CallKind.OTHER);
          try {
            sub = sub.again();
          } finally {
            clock.leave(() -> "gpu.submit starts over (line " + j.line + ")");
          }
          committed = j.app.gpu.commit(sub);
        }
        j.job = committed.get();
      } catch (org.userptrlab.mm.MmException e) {
        // The submission failed after its line: the job never ran, as a failed execbuf.
        j.app.jobFailed(e, timeouts, "line " + j.line + ": ");
      } finally {
        clock.resume(was);
      }
    }

    /** What a job that has ended did wrong, as hazards: pages used after they were freed, a job that failed. */
    private void judge(PendingJob j) {
      if (j.job == null || !j.job.done() || j.judged) {
        return;
      }
      j.judged = true;
      if (j.job.usedFreedFrames()) {
        run.hazard(org.userptrlab.core.harness.HazardKind.GPU_TOUCHED_FREED_PAGES, "line " + j.line + ": the job on object "
            + j.job.handle() + ": " + j.job.failure());
      } else if (j.job.failure() != null) {
        run.hazard(org.userptrlab.core.harness.HazardKind.GPU_JOB_FAILED, "line " + j.line + ": " + j.job.failure());
      }
    }

    /**
     * Whether every operation of the statement only reads what the memory manager keeps (a /proc view,
     * a report, the clock) or makes a thread: then the invariants the step before left stand.
     */
    private boolean onlyLooks(Statement s) {
      for (Call c : Program.callsOf(s)) {
        if (!LOOKS.contains(c.op())) {
          return false;
        }
      }
      return true;
    }

    /** What the harness sees for itself after a step; each kind is reported once, at the first step that shows it. */
    private void observe(Statement s) {
      Call c = Program.callOf(s);
      if (c != null) {
        oracle(s, c);
      }
      // Each line's check walks every process: past STEP_CHECKED_PROCESSES of them only the run's end is checked, so that
      // a program of thousands of forks takes time in proportion to its lines, not their square.
      if (!observed.contains(org.userptrlab.core.harness.HazardKind.INVARIANT_BROKEN) && !onlyLooks(s)
          && run.machine().processCount() <= STEP_CHECKED_PROCESSES) {
        try {
          run.machine().checkStepInvariants();
        } catch (IllegalStateException e) {
          once(org.userptrlab.core.harness.HazardKind.INVARIANT_BROKEN, "line " + line + ": " + e.getMessage());
        }
      }
      if (c != null && c.op() == org.userptrlab.lab.lang.Op.USERPTR && !lastFailed) {
        imported.put((Handle) lastValue, new long[] {values.addr(c.args(), 0), values.num(c.args(), 1)});
      }
      if (c != null && c.op() == org.userptrlab.lab.lang.Op.CLOSE) {
        imported.remove(handle(c.args(), 0));
      }
      if (c != null && (c.op() == org.userptrlab.lab.lang.Op.FREE || c.op() == org.userptrlab.lab.lang.Op.MUNMAP)) {
        // The addresses are the program's to reuse now: what is swapped out there later is other memory.
        long[] gone = buffers.get(((Program.Ref) c.args().get(0)).name());
        if (gone != null) {
          imported.values().removeIf(r -> r[0] >= gone[0] && r[0] < gone[0] + gone[1]);
        }
      }
      // Past STEP_CHECKED_PROCESSES processes, only the one whose line this was (a fork leaves its child nothing locked).
      List<Process> watched = run.machine().processCount() <= STEP_CHECKED_PROCESSES ? run.machine().processes()
          : c != null && c.receiver() != null && !c.receiver().equals("gpu") && values.get(c.receiver()) instanceof Process q
              ? List.of(q) : List.of();
      for (Process q : watched) {
        long lockedPages = ProcessReports.lockedVmaPages(q);
        long limit = q.memlockLimit() >>> 12;
        // Locking past the limit is the bypass; a limit lowered below what is locked already is no one's (setrlimit allows it).
        Long before = lockedBefore.put(q, lockedPages);
        if (lockedPages > limit && lockedPages > (before == null ? 0 : before) && !q.capable(Capability.CAP_IPC_LOCK)) {
          once(org.userptrlab.core.harness.HazardKind.RLIMIT_MEMLOCK_BYPASS, String.format(
              "line %d: %s has %d pages VM_LOCKED past RLIMIT_MEMLOCK of %d pages, %d of them charged to locked_vm",
              line, q.name(), lockedPages, limit, q.lockedVm()));
        }
        if (q.lockedVm() < 0) {
          once(org.userptrlab.core.harness.HazardKind.LOCKED_VM_WRAPPED, String.format(
              "line %d: %s's locked_vm is %d pages below zero (wrapped)", line, q.name(), -q.lockedVm()));
        }
      }
      boolean event = c != null && c.receiver() == null && c.op() != org.userptrlab.lab.lang.Op.APP
          && c.op() != org.userptrlab.lab.lang.Op.SPAWN;
      if (event && run.strategy().contract().promises(Promise.GPU_SEES_LATER_CPU_WRITES) && run.strategy().holdsPages()) {
        for (Map.Entry<Handle, long[]> e : imported.entrySet()) {
          int out = ProcessReports.swappedPages(e.getKey().caller(), e.getValue()[0], e.getValue()[1]);
          if (out > 0) {
            once(org.userptrlab.core.harness.HazardKind.SWAPPED_WHILE_HELD, String.format(
                "line %d: %d pages of an imported range were swapped out while the object lived", line, out));
          }
        }
      }
    }

    /** Follows each process's writes and the GPU's, as the contract says they should land. */
    private void oracle(Statement s, Call c) {
      boolean coherent = run.strategy().contract() == org.userptrlab.core.spi.Contract.COHERENT;
      String bound = s instanceof Program.Bind b ? b.name() : null;
      // A name bound again no longer reaches the orphan it named: no hazard may name it for what the new value does.
      orphans.remove(bound);
      if (s instanceof Program.Try t) {
        // The call's own result, not the try's verdict, is what a name it binds stands for; one that failed changed nothing.
        if (lastFailed) {
          return;
        }
        bound = null;
      }
      Object value = lastValue;
      switch (c.op()) {
        case APP, SPAWN -> shadow.put(bound, new java.util.LinkedHashMap<>());
        case FORK -> {
          Map<String, Long> child = new java.util.LinkedHashMap<>(shadow.getOrDefault(c.receiver(), Map.of()));
          child.keySet().removeAll(dontfork);
          shadow.put(bound, child);
          // The child's copy holds what the GPU wrote into the parent's before the fork.
          Set<String> written = new java.util.HashSet<>(gpuWrote.getOrDefault(c.receiver(), Set.of()));
          written.removeAll(dontfork);
          gpuWrote.put(bound, written);
        }
        case EXEC, EXIT, OOM_KILL -> {
          // The OOM killer's victim is its argument; its memory and its DRM file go with it.
          String gone = c.op() == org.userptrlab.lab.lang.Op.OOM_KILL ? ((Program.Ref) c.args().get(0)).name() : c.receiver();
          shadow.remove(gone);
          gpuWrote.remove(gone);
          objects.values().removeIf(o -> o.owner.equals(gone));
        }
        case MALLOC, MEMALIGN, MMAP, MMAP_FILE -> {
          if (bound == null) {
            // A buffer no name reaches is one the program never writes or imports again.
            break;
          }
          if (c.op() == org.userptrlab.lab.lang.Op.MMAP_FILE) {
            fileOf.put(bound, ((Program.Ref) c.args().get(0)).name());
          }
          buffers.put(bound, new long[] {(Long) value, values.num(c.args(), c.op() == org.userptrlab.lab.lang.Op.MEMALIGN
              || c.op() == org.userptrlab.lab.lang.Op.MMAP_FILE ? 1 : 0)});
          shadow.get(c.receiver()).put(bound, null);
        }
        case FREE, MUNMAP -> {
          String buf = ((Program.Ref) c.args().get(0)).name();
          shadow.values().forEach(m -> m.remove(buf));
          objects.entrySet().removeIf(e -> e.getValue().buffer.equals(buf) && orphans.put(e.getKey(), e.getValue()) == null);
        }
        case FRAGMENT -> {
          String buf = ((Program.Ref) c.args().get(0)).name();
          shadow.values().forEach(m -> m.replace(buf, null));
          coherentObjectsForget(c.receiver(), buf);
        }
        case MMAP_AT, MREMAP, MREMAP_TO, TRUNCATE, READ_DIRECT -> remapped(c, bound, value);
        case MADVISE -> {
          String buf = ((Program.Ref) c.args().get(0)).name();
          String advice = values.word(c.args(), 2);
          if (advice.equals("MADV_DONTFORK")) {
            dontfork.add(buf);
          } else if (advice.equals("MADV_DOFORK")) {
            dontfork.remove(buf);
          } else {
            shadow.values().forEach(m -> m.replace(buf, null));
            coherentObjectsForget(c.receiver(), buf);
          }
        }
        case FILL, STORE, MEMCPY -> {
          Program.Ref r = (Program.Ref) c.args().get(0);
          long[] range = buffers.get(r.name());
          Map<String, Long> mine = shadow.get(c.receiver());
          boolean whole = c.op() == org.userptrlab.lab.lang.Op.FILL && range != null && r.offset() == 0 && values.num(c.args(), 1) == range[1];
          // A GPU write still running over the buffer may land before or after this one: the oracle cannot say which.
          Long seed = whole && !writing(r.name()) ? values.num(c.args(), 2) : null;
          if (mine != null && mine.containsKey(r.name())) {
            mine.put(r.name(), seed);
          }
          if (seed != null && gpuWrote.containsKey(c.receiver())) {
            gpuWrote.get(c.receiver()).remove(r.name());
          }
          for (Tracked o : objects.values()) {
            if (o.owner.equals(c.receiver()) && o.buffer.equals(r.name()) && coherent && o.whole) {
              o.gpu = seed;
              o.gpuWroteLast = false;
            }
          }
        }
        case USERPTR -> {
          if (bound == null) {
            break;
          }
          Program.Ref r = (Program.Ref) c.args().get(0);
          long[] range = buffers.get(r.name());
          // Only an import of a whole buffer is followed; a part of one is left to the program's own checks.
          boolean whole = range != null && r.offset() == 0 && values.num(c.args(), 1) == range[1];
          Long seed = whole ? shadow.getOrDefault(c.receiver(), Map.of()).get(r.name()) : null;
          objects.put(bound, new Tracked(c.receiver(), r.name(), whole, seed));
          if (run.strategy().contract() == org.userptrlab.core.spi.Contract.MOVE && range != null) {
            // The range's contents left the program with the import: what it reads there now is not its own.
            shadow.getOrDefault(c.receiver(), new HashMap<>()).replace(r.name(), null);
          }
          if (seed != null) {
            Handle h = (Handle) value;
            run.expect(Promise.GPU_SEES_IMPORTED_BYTES, "line " + line + ": the GPU sees the imported bytes", h.owner().gpuSees(h.handle(), seed, "line " + line + ": "));
          }
        }
        case CLOSE -> {
          objects.remove(((Program.Ref) c.args().get(0)).name());
          orphans.remove(((Program.Ref) c.args().get(0)).name());
        }
        case GPU_SUBMIT -> {
          Tracked o = objects.get(((Program.Ref) c.args().get(0)).name());
          if (o != null && values.word(c.args(), 1).equals("write")) {
            // What the job writes lands when it ends: until then, and over whatever is written meanwhile, the oracle cannot say.
            writers.put(o.buffer, (PendingJob) value);
            for (Tracked other : objects.values()) {
              if (other.owner.equals(o.owner) && other.buffer.equals(o.buffer)) {
                other.gpu = null;
              }
            }
            if (coherent && shadow.containsKey(o.owner)) {
              shadow.get(o.owner).replace(o.buffer, null);
            }
            if (coherent) {
              gpuWroteInto(o);
            }
          }
        }
        case GPU_WRITE -> {
          Tracked orphan = orphans.get(((Program.Ref) c.args().get(0)).name());
          if (orphan != null && Boolean.TRUE.equals(value)) {
            writeThroughOrphan(((Program.Ref) c.args().get(0)).name(), orphan, values.num(c.args(), 1));
          }
          Tracked o = objects.get(((Program.Ref) c.args().get(0)).name());
          if (o != null && coherent && Boolean.TRUE.equals(value)) {
            gpuWroteInto(o);
          }
          if (o != null && o.whole && Boolean.TRUE.equals(value)) {
            long seed = values.num(c.args(), 1);
            o.gpu = seed;
            o.gpuWroteLast = true;
            if (coherent) {
              // One memory: every object over the same buffer, and the program, now hold what the GPU wrote.
              for (Tracked other : objects.values()) {
                if (other.owner.equals(o.owner) && other.buffer.equals(o.buffer) && other.whole) {
                  other.gpu = seed;
                  other.gpuWroteLast = true;
                }
              }
              if (shadow.containsKey(o.owner)) {
                shadow.get(o.owner).replace(o.buffer, seed);
              }
            }
          }
        }
        default -> {
        }
      }
    }

    /**
     * The oracle after an operation that moves, replaces or rewrites a buffer's bytes: MAP_FIXED
     * replaces the buffers it lands on; mremap keeps the bytes a buffer had where it now is (a grown
     * tail is zeros the oracle does not follow), and a buffer it moved away from is gone (with
     * MREMAP_DONTUNMAP, mapped but empty); truncate takes the bytes of the file's mapped buffers;
     * an O_DIRECT read writes the file's bytes, which the oracle does not follow, over its buffer.
     */
    private void remapped(Call c, String bound, Object value) {
      Map<String, Long> mine = shadow.getOrDefault(c.receiver(), new HashMap<>());
      switch (c.op()) {
        case MMAP_AT -> {
          long at = (Long) value;
          long len = values.num(c.args(), 1);
          buffers.forEach((name, r) -> {
            if (r[0] < at + len && at < r[0] + r[1]) {
              mine.replace(name, null);
              coherentObjectsForget(c.receiver(), name);
            }
          });
          if (bound != null) {
            buffers.put(bound, new long[] {at, len});
            mine.put(bound, null);
          }
        }
        case MREMAP, MREMAP_TO -> {
          Program.Ref src = (Program.Ref) c.args().get(0);
          long[] range = buffers.get(src.name());
          long oldLen = values.num(c.args(), 1);
          long newLen = values.num(c.args(), 2);
          boolean whole = range != null && src.offset() == 0 && oldLen == range[1];
          Long seed = whole && newLen <= oldLen ? mine.get(src.name()) : null;
          long at = (Long) value;
          if (at == values.addr(c.args(), 0)) {
            if (whole) {
              buffers.put(src.name(), new long[] {at, newLen});
              mine.replace(src.name(), seed);
            }
          } else if (values.word(c.args(), 3).contains("MREMAP_DONTUNMAP")) {
            mine.replace(src.name(), null);
            coherentObjectsForget(c.receiver(), src.name());
          } else {
            shadow.values().forEach(m -> m.remove(src.name()));
            objects.entrySet().removeIf(e -> e.getValue().buffer.equals(src.name())
                && orphans.put(e.getKey(), e.getValue()) == null);
          }
          if (bound != null && !bound.equals(src.name())) {
            buffers.put(bound, new long[] {at, newLen});
            mine.put(bound, seed);
          }
        }
        case TRUNCATE -> {
          String file = ((Program.Ref) c.args().get(0)).name();
          fileOf.forEach((buf, f) -> {
            if (f.equals(file)) {
              shadow.values().forEach(m -> m.replace(buf, null));
              objects.values().forEach(o -> {
                if (o.buffer.equals(buf)) {
                  coherentObjectsForget(o.owner, buf);
                }
              });
            }
          });
        }
        case READ_DIRECT -> {
          mine.replace(((Program.Ref) c.args().get(1)).name(), null);
          coherentObjectsForget(c.receiver(), ((Program.Ref) c.args().get(1)).name());
        }
        default -> {
        }
      }
    }

    /**
     * A buffer's bytes changed in a way the oracle does not follow (MADV_DONTNEED zeroes pages, a
     * mapping replaces them, a file's bytes land there): under a contract where the GPU sees the
     * program's memory, what an object over the buffer shows at the end is not checked either.
     */
    private void coherentObjectsForget(String owner, String buffer) {
      if (run.strategy().contract() == org.userptrlab.core.spi.Contract.COHERENT) {
        for (Tracked o : objects.values()) {
          if (o.owner.equals(owner) && o.buffer.equals(buffer)) {
            o.gpu = null;
          }
        }
      }
    }

    /**
     * The GPU wrote through an object whose buffer the program gave back. Where the program has
     * since allocated over the same addresses, a strategy whose object is the program's memory
     * writes into the new allocation: the oracle no longer knows those buffers, and where the
     * GPU's bytes are now there, that is a hazard.
     */
    private void writeThroughOrphan(String object, Tracked orphan, long seed) {
      long[] gone = buffers.get(orphan.buffer);
      Process q = (Process) values.get(orphan.owner);
      Map<String, Long> mine = shadow.get(orphan.owner);
      if (mine == null || !q.alive()) {
        return;
      }
      boolean coherent = run.strategy().contract() == org.userptrlab.core.spi.Contract.COHERENT;
      for (Map.Entry<String, Long> b : mine.entrySet()) {
        long[] live = buffers.get(b.getKey());
        long from = Math.max(gone[0], live[0]);
        long to = Math.min(gone[0] + gone[1], live[0] + live[1]);
        if (from >= to) {
          continue;
        }
        boolean landed;
        try {
          landed = q.matches(from, to - from, seed, from - gone[0]);
        } catch (org.userptrlab.mm.SignalException e) {
          landed = false;
        }
        if (landed || coherent) {
          b.setValue(null);
        }
        if (landed) {
          once(org.userptrlab.core.harness.HazardKind.REUSED_MEMORY_WRITTEN, String.format("line %d: the GPU wrote through %s, "
              + "imported from %s, which the program gave back; %s, allocated since over the same addresses, now holds the GPU's bytes",
              line, object, orphan.buffer, b.getKey()));
        }
      }
    }

    /** At the end: the GPU and every process should see what the oracle says. */
    private void finalChecks() {
      boolean coherent = run.strategy().contract() == org.userptrlab.core.spi.Contract.COHERENT;
      for (Map.Entry<String, Tracked> e : objects.entrySet()) {
        Tracked o = e.getValue();
        if (o.gpu == null) {
          continue;
        }
        Handle h = (Handle) values.get(e.getKey());
        boolean sees;
        try {
          sees = h.owner().gpuSees(h.handle(), o.gpu, "at the end: ");
        } catch (org.userptrlab.mm.MmException gone) {
          // The object went with its file (close_drm, the descriptor's last process gone): nothing is left to look at.
          continue;
        }
        run.expect(coherent ? Promise.GPU_SEES_LATER_CPU_WRITES : Promise.GPU_KEEPS_SNAPSHOT,
            "at the end the GPU sees what " + o.owner + " last wrote" + (coherent ? "" : " before the import") + " in " + o.buffer,
            sees, "the object does not hold seed " + o.gpu + "'s bytes");
      }
      for (Map.Entry<String, Map<String, Long>> p : shadow.entrySet()) {
        Process q = (Process) values.get(p.getKey());
        for (Map.Entry<String, Long> b : p.getValue().entrySet()) {
          if (b.getValue() == null || !q.alive()) {
            continue;
          }
          boolean gpuWroteLast = objects.values().stream().anyMatch(o -> o.owner.equals(p.getKey()) && o.buffer.equals(b.getKey())
              && o.gpuWroteLast);
          long[] range = buffers.get(b.getKey());
          run.expect(coherent && gpuWroteLast ? Promise.CPU_SEES_GPU_WRITES : Promise.PROGRAM_KEEPS_ITS_BYTES,
              "at the end " + p.getKey() + " reads what it should in " + b.getKey(), q.matches(range[0], range[1], b.getValue()),
              String.format("%s does not hold seed %d's bytes, %s", b.getKey(), b.getValue(), coherent && gpuWroteLast
                  ? "the GPU's last write to it" : "its last write"));
        }
      }
    }

    private void once(org.userptrlab.core.harness.HazardKind kind, String detail) {
      if (observed.add(kind)) {
        run.hazard(kind, detail);
      }
    }

    private boolean holds(Cond c) {
      return values.holds(c, this::call);
    }

    /** Performs one operation and tells the step listener what it did, a failure included. */
    private Object call(Call c) {
      org.userptrlab.core.time.CallKind kind = kindOf(c.op());
      clock.enter(kind);
      // The step is told once the call has returned and its time is known; a failure is a step too.
      String outcome = null;
      lastValue = null;
      lastFailed = true;
      try {
        Object value = perform(c);
        outcome = Step.outcome(value);
        lastValue = value;
        lastFailed = false;
        return value;
      } catch (org.userptrlab.mm.MmException e) {
        outcome = e.errno().name();
        throw e;
      } catch (org.userptrlab.mm.SignalException e) {
        outcome = e.kind().signal();
        throw e;
      } finally {
        long ns = clock.leave(() -> Printer.call(c));
        if (outcome != null) {
          tell(c, outcome, ns);
        }
      }
    }

    /**
     * A block malloc or memalign handed out, for its latency: the call it made, an mmap for a block in a mapping of its
     * own, a brk where the heap grew (under mlockall(MCL_FUTURE) each populates what it maps); else the page fault its
     * write of the chunk's header may take.
     */
    private long mallocked(Process p, long heapBefore, long ptr) {
      if (ptr == 0) {
        // malloc(3) and posix_memalign(3) answer NULL with ENOMEM, as the executor's malloc reports it.
        throw new org.userptrlab.mm.MmException(org.userptrlab.mm.Errno.ENOMEM, "malloc: no memory for the block: glibc's malloc "
            + "returned NULL (a request past user space, or one the kernel refused: more than the machine's RAM plus swap at once)");
      }
      if (p.libc().isMmapped(ptr)) {
        clock.callIs(org.userptrlab.core.time.CallKind.MMAP);
      } else if (p.libc().heapBytes() > heapBefore) {
        clock.callIs(org.userptrlab.core.time.CallKind.BRK);
      }
      return ptr;
    }

    /** The kind of call an operation is, for its latency. */
    private org.userptrlab.core.time.CallKind kindOf(org.userptrlab.lab.lang.Op op) {
      return switch (op) {
        case MMAP, MMAP_AT, MMAP_FILE -> org.userptrlab.core.time.CallKind.MMAP;
        case SBRK -> org.userptrlab.core.time.CallKind.BRK;
        case MUNMAP, FREE -> org.userptrlab.core.time.CallKind.MUNMAP;
        case MREMAP, MREMAP_TO -> org.userptrlab.core.time.CallKind.MREMAP;
        case MPROTECT -> org.userptrlab.core.time.CallKind.MPROTECT;
        case MADVISE, FRAGMENT -> org.userptrlab.core.time.CallKind.MADVISE;
        case MLOCK, MLOCK2, MLOCKALL, MUNLOCK, MUNLOCKALL -> org.userptrlab.core.time.CallKind.MLOCK;
        case FORK -> org.userptrlab.core.time.CallKind.FORK;
        case EXEC -> org.userptrlab.core.time.CallKind.EXEC;
        case EXIT, OOM_KILL -> org.userptrlab.core.time.CallKind.EXIT;
        case FILL, STORE, MEMCPY, MALLOC, MEMALIGN, SEES, SEES_AT, READABLE, ZERO -> org.userptrlab.core.time.CallKind.PAGE_FAULT;
        case USERPTR, CREATE, PWRITE, PREAD, CLOSE, GPU_SUBMIT, GPU_SEES, GPU_SEES_AT, GPU_WRITE -> org.userptrlab.core.time.CallKind.IOCTL;
        default -> org.userptrlab.core.time.CallKind.OTHER;
      };
    }

    /** Performs {@code c} under {@code try}: what it came to, OK or its errno or signal, rather than the end of the run. */
    private String attempt(Call c) {
      try {
        call(c);
        return "OK";
      } catch (org.userptrlab.mm.MmException e) {
        return e.errno().name();
      } catch (org.userptrlab.mm.SignalException e) {
        return e.kind().signal();
      }
    }

    /** Tells the listener, if there is one, what {@code c} did; nothing is built otherwise. */
    private void tell(Call c, String outcome, long nanos) {
      if (steps != null) {
        steps.accept(step(c, outcome, nanos));
      }
    }

    /**
     * The step of {@code c}: VmLck and VmPin of the process that did it (for the GPU and a close, the
     * process whose ioctl made the object; for closing the file, its opener), if it still runs.
     */
    private Step step(Call c, String outcome, long nanos) {
      Process actor = switch (c.op()) {
        case GPU_SEES, GPU_SEES_AT, GPU_WRITE, CLOSE -> handle(c.args(), 0).caller();
        case CLOSE_FILE -> handle(c.args(), 0).owner().p;
        case APP, SPAWN, FORK, EXEC, EXIT, ALIVE, PROMISES -> null;
        default -> c.receiver() == null ? null : (Process) values.get(c.receiver());
      };
      boolean alive = actor != null && actor.alive();
      return new Step(line, org.userptrlab.lab.lang.Printer.call(c), outcome, alive ? actor.lockedVm() << 2 : -1,
          alive ? actor.pinnedVm() << 2 : -1, nanos);
    }

    private Object perform(Call c) {
      List<Arg> a = c.args();
      Process p = c.receiver() == null || c.receiver().equals("gpu") ? null : (Process) values.get(c.receiver());
      switch (c.op()) {
        case APP -> {
          App app = new App(run, values.word(a, 0));
          apps.put(app.p, app);
          drmOf.put(app.p, app);
          made.add(app);
          return app.p;
        }
        case SPAWN -> {
          return run.machine().spawn(values.word(a, 0));
        }
        case ALIGN_DOWN -> {
          long align = values.num(a, 1);
          if (Long.bitCount(align) != 1) {
            throw new org.userptrlab.mm.MmException(org.userptrlab.mm.Errno.EINVAL, "an alignment of " + align + " is no power of two");
          }
          return values.addr(a, 0) & -align;
        }
        case PRESSURE -> events.pressure(values.num(a, 0));
        case COMPACT -> events.compact();
        case CLOSE_FILE -> handle(a, 0).owner().f.close();
        case REPORT_LEAKS -> events.reportLeaks();
        case PROMISES -> {
          return run.strategy().contract().promises(Promise.valueOf(values.word(a, 0)));
        }
        case CMA_ALLOC -> {
          return events.cmaAlloc(values.num(a, 0));
        }
        case RECLAIM -> events.reclaim();
        case KHUGEPAGED -> run.machine().kernel().khugepaged();
        case MIGRATE -> events.migrate((Process) values.get(((Program.Ref) a.get(0)).name()), values.addr(a, 1), values.num(a, 2));
        case FILE -> {
          MemFile f = run.machine().createFile(values.word(a, 0), values.num(a, 1));
          run.machine().fillFile(f, 0, values.num(a, 1), values.num(a, 2));
          return f;
        }
        case FILE_SEES -> {
          return run.machine().fileMatches((MemFile) values.get(((Program.Ref) a.get(0)).name()), 0, values.num(a, 1), values.num(a, 2));
        }
        case FORK -> {
          Process child = p.fork();
          if (apps.containsKey(p)) {
            apps.put(child, apps.get(p));
          }
          if (drmOf.containsKey(p)) {
            // dup_fd: the child's file table holds the same file, with the same close-on-exec flag.
            drmOf.put(child, drmOf.get(p));
            drmOf.get(p).hold(child, drmOf.get(p).closeOnExec(p));
          }
          return child;
        }
        case EXEC -> {
          p.exec();
          // do_close_on_exec: a descriptor marked FD_CLOEXEC goes; any other keeps the file across exec.
          if (drmOf.containsKey(p) && drmOf.get(p).closeOnExec(p)) {
            dropDrm(p, true);
          }
        }
        case EXIT -> {
          p.exit();
          // exit_files: the process's reference to its DRM file goes; the last one releases the file.
          if (drmOf.containsKey(p)) {
            dropDrm(p, true);
          }
        }
        case SEND_DRM -> {
          App app = drm(p);
          Process q = (Process) values.get(((Program.Ref) a.get(0)).name());
          if (!q.alive()) {
            throw new org.userptrlab.mm.MmException(org.userptrlab.mm.Errno.ESRCH, "sendmsg: the receiving process has exited");
          }
          if (drmOf.containsKey(q) && drmOf.get(q) != app) {
            throw new ProgramError(file, line, 0, "the receiving process holds another DRM file already; a process in a program holds one");
          }
          drmOf.put(q, app);
          closedDrm.remove(q);
          app.hold(q, false);
        }
        case CLOSE_DRM -> {
          drm(p);
          dropDrm(p, false);
        }
        case CLOEXEC_DRM -> drm(p).setCloseOnExec(p);
        case SETRLIMIT_MEMLOCK -> p.setrlimitMemlock(values.num(a, 0), values.num(a, a.size() > 1 ? 1 : 0));
        case SETRLIMIT_MEMLOCK_DEFAULT -> {
          long limit = run.machine().kernelConfig().defaultMemlockLimit();
          p.setrlimitMemlock(limit, limit);
        }
        case CAPABILITY -> p.setCapability(Capability.valueOf(values.word(a, 0)), values.word(a, 1).equals("on"));
        case MALLOC -> {
          long heap = p.libc().heapBytes();
          return mallocked(p, heap, p.malloc(values.num(a, 0)));
        }
        case MEMALIGN -> {
          long heap = p.libc().heapBytes();
          return mallocked(p, heap, p.memalign(values.num(a, 0), values.num(a, 1)));
        }
        case FREE -> {
          return reports(p).free(p, values.addr(a, 0));
        }
        case MMAP -> {
          return p.mmap(0, values.num(a, 0), Programs.word(c.op(), 1, values.word(a, 1)), Programs.word(c.op(), 2, values.word(a, 2)));
        }
        case MMAP_FILE -> {
          return p.mmap(0, values.num(a, 1), Programs.word(c.op(), 2, values.word(a, 2)), Programs.word(c.op(), 3, values.word(a, 3)),
              (MemFile) values.get(((Program.Ref) a.get(0)).name()), 0);
        }
        case MUNMAP -> p.munmap(values.addr(a, 0), values.num(a, 1));
        case SBRK -> {
          return p.sbrk(values.num(a, 0));
        }
        case MPROTECT -> p.mprotect(values.addr(a, 0), values.num(a, 1), Programs.word(c.op(), 2, values.word(a, 2)));
        case MADVISE -> p.madvise(values.addr(a, 0), values.num(a, 1), Programs.word(c.op(), 2, values.word(a, 2)));
        // Files by kind, truncate, mappings at an address, mremap, O_DIRECT reads and VmRSS.
        case MEMFD -> {
          return run.machine().createMemfd(values.word(a, 0), values.num(a, 1),
              a.size() > 2 ? Programs.word(c.op(), 2, values.word(a, 2)) : 0);
        }
        case TMPFILE -> {
          return run.machine().createShmemFile(values.word(a, 0), values.num(a, 1));
        }
        case FALLOCATE -> run.machine().fallocate(values.ref(a, 0, MemFile.class), values.num(a, 1));
        case TRUNCATE -> run.machine().truncate(values.ref(a, 0, MemFile.class), values.num(a, 1));
        case MMAP_AT -> {
          return p.mmap(values.addr(a, 0), values.num(a, 1), Programs.word(c.op(), 2, values.word(a, 2)),
              Programs.word(c.op(), 3, values.word(a, 3)));
        }
        case MREMAP -> {
          return p.mremap(values.addr(a, 0), values.num(a, 1), values.num(a, 2), Programs.word(c.op(), 3, values.word(a, 3)));
        }
        case MREMAP_TO -> {
          return p.mremap(values.addr(a, 0), values.num(a, 1), values.num(a, 2), Programs.word(c.op(), 3, values.word(a, 3)),
              values.addr(a, 4));
        }
        case READ_DIRECT -> p.readDirect(values.ref(a, 0, MemFile.class), values.addr(a, 1), values.num(a, 2));
        case VM_RSS -> {
          return p.rss() << 12;
        }
        case MLOCK -> p.mlock(values.addr(a, 0), values.num(a, 1));
        case MLOCK2 -> p.mlock2(values.addr(a, 0), values.num(a, 1), Programs.word(c.op(), 2, values.word(a, 2)));
        case MUNLOCK -> p.munlock(values.addr(a, 0), values.num(a, 1));
        case MLOCKALL -> p.mlockall(Programs.word(c.op(), 0, values.word(a, 0)));
        case MUNLOCKALL -> p.munlockall();
        case FILL -> p.fill(values.addr(a, 0), values.num(a, 1), values.num(a, 2));
        case STORE -> p.store(values.addr(a, 0), (byte) values.num(a, 1));
        case MEMCPY -> p.memcpy(values.addr(a, 0), values.addr(a, 1), values.num(a, 2));
        case FRAGMENT -> App.fragment(p, values.addr(a, 0), values.num(a, 1));
        case USERPTR -> {
          App app = drm(p);
          return new Handle(app, app.userptr(p, values.addr(a, 0), values.num(a, 1), a.size() > 2 && values.word(a, 2).contains("READ_ONLY")), p);
        }
        case CREATE -> {
          App app = drm(p);
          return new Handle(app, app.f.create(values.num(a, 0)), p);
        }
        case PWRITE -> drm(p).f.pwrite(p, handle(a, 0).handle(), values.num(a, 1), values.addr(a, 2), values.num(a, 3));
        case PREAD -> drm(p).f.pread(p, handle(a, 0).handle(), values.num(a, 1), values.addr(a, 2), values.num(a, 3));
        case CLOSE -> drm(p).gemClose(handle(a, 0).handle());
        case SEES -> {
          return p.matches(values.addr(a, 0), values.num(a, 1), values.num(a, 2));
        }
        case ALIVE -> {
          return p.alive();
        }
        case SEES_AT -> {
          return p.matches(values.addr(a, 0), values.num(a, 1), values.num(a, 2), values.num(a, 3));
        }
        case READABLE -> {
          try {
            p.load(values.addr(a, 0));
            return true;
          } catch (org.userptrlab.mm.SignalException e) {
            return false;
          }
        }
        case GPU_SEES_AT -> {
          return handle(a, 0).owner().gpuSees(handle(a, 0).handle(), values.num(a, 1), values.num(a, 2), values.num(a, 3), values.num(a, 4),
              "line " + line + ": ");
        }
        case REPORT_SWAPPED -> reports(p).reportSwapped(p, values.addr(a, 0), values.num(a, 1));
        case REPORT_RESIDENT -> {
          // Pages in memory before anything asked reclaim for memory are not pages it could not take.
          if (events.reclaimAsked()) {
            reports(p).reportResident(p, values.addr(a, 0), values.num(a, 1));
          }
        }
        case REPORT_HELD -> reports(p).reportHeld(p, values.addr(a, 0), values.num(a, 1));
        case REPORT_VMA_LOCKED -> reports(p).reportVmaLocked(p, values.addr(a, 0), values.num(a, 1));
        case REPORT_MEMLOCK -> reports(p).reportMemlock(p);
        case REPORT_LOCKED_VM -> reports(p).reportLockedVm(p);
        case HEAP_VMAS -> {
          return (long) ProcessReports.heapVmas(p);
        }
        case REPORT_HEAP_SPLIT -> reports(p).reportHeapSplit(p, values.num(a, 0));
        case GPU_SEES -> {
          return handle(a, 0).owner().gpuSees(handle(a, 0).handle(), values.num(a, 1), "line " + line + ": ");
        }
        case PIN, PIN_FAST -> {
          return Pin.pin(run.machine().kernel(), p, values.addr(a, 0), values.num(a, 1), Programs.word(c.op(), 2, values.word(a, 2)),
              c.op() == org.userptrlab.lab.lang.Op.PIN_FAST);
        }
        case IOURING_SETUP -> Pin.iouringSetup(run.machine().kernelConfig());
        case IOURING_REGISTER -> {
          return Pin.iouring(run.machine().kernel(), run.machine().kernelConfig(), p, values.addr(a, 0), values.num(a, 1));
        }
        case VMSPLICE -> {
          return Pin.vmsplice(run.machine().kernel(), p, values.addr(a, 0), values.num(a, 1));
        }
        case PINNED_SEES -> {
          return values.ref(a, 0, Pin.class).sees(values.num(a, 1));
        }
        case RELEASE -> values.ref(a, 0, Pin.class).release();
        case CLEAR_SOFT_DIRTY -> p.clearSoftDirty();
        case ZERO -> {
          return Proc.zero(p, values.addr(a, 0), values.num(a, 1));
        }
        case SWAPPED -> {
          return Proc.swapped(p, values.addr(a, 0), values.num(a, 1));
        }
        case POPULATED -> {
          return Proc.populated(p, values.addr(a, 0));
        }
        case ANON_HUGE -> {
          return p.anonHugePages(values.addr(a, 0));
        }
        case VM_LCK -> {
          return p.lockedVm() << 12;
        }
        case VM_PIN -> {
          return p.pinnedVm() << 12;
        }
        case FRAME -> {
          long pfn = p.pagemap(values.addr(a, 0));
          // The model's shared zeropage is frame 0, which a program reads as "none mapped": it gets a number past RAM instead.
          return pfn < 0 ? 0 : pfn == 0 ? run.machine().totalPages() : pfn;
        }
        case MAPCOUNT -> {
          return Proc.page(run.machine(), p, values.addr(a, 0)).map(i -> (long) i.mapcount()).orElse(0L);
        }
        case REFCOUNT -> {
          return Proc.page(run.machine(), p, values.addr(a, 0)).map(i -> (long) i.refcount()).orElse(0L);
        }
        case MAYBE_PINNED -> {
          return Proc.page(run.machine(), p, values.addr(a, 0)).map(org.userptrlab.mm.PageInfo::maybeDmaPinned).orElse(false);
        }
        case VMA_FLAG -> {
          org.userptrlab.mm.Vma vma = p.vma(values.addr(a, 0));
          return vma != null && vma.has(org.userptrlab.mm.VmFlags.mnemonics().get(values.word(a, 1)));
        }
        case GPU_WRITE -> {
          return handle(a, 0).owner().gpuWrites(handle(a, 0).handle(), values.num(a, 1), "line " + line + ": ");
        }
        case GPU_SUBMIT -> {
          Handle h = handle(a, 0);
          org.userptrlab.gem.GemObject o = h.owner().f.lookup(h.handle());
          boolean write = values.word(a, 1).equals("write");
          long bytes = a.get(2) instanceof Program.Num n ? n.value() : -1;
          long ns = bytes >= 0 ? 0 : values.num(a, 2);
          String engine = a.size() > 3 ? values.word(a, 3) : org.userptrlab.gem.Gpu.DEFAULT_ENGINE;
          if (write && h.owner().writeRefused(h.handle(), "line " + line + ": ")) {
            PendingJob failed = new PendingJob(h.owner(), line, null);
            jobs.add(failed);
            return failed;
          }
          org.userptrlab.core.spi.GpuAccess access = write ? org.userptrlab.core.spi.GpuAccess.WRITE : org.userptrlab.core.spi.GpuAccess.READ;
          PendingJob j = new PendingJob(h.owner(), line, bytes >= 0
              ? h.owner().gpu.prepareSized(h.owner().f, h.handle(), access, 0, o.size(), 0, 0, bytes, engine)
              : h.owner().gpu.prepare(h.owner().f, h.handle(), access, 0, o.size(), 0, 0, ns, engine));
          j.mainFlow = !onThread;
          j.thread = clock.current();
          jobs.add(j);
          pending.put(clock.current(), j);
          return j;
        }
        case GPU_WAIT -> {
          PendingJob j = values.ref(a, 0, PendingJob.class);
          finish(j);
          if (j.job != null) {
            j.app.gpu.await(j.job);
            judge(j);
          }
        }
        case GPU_DONE -> {
          PendingJob j = values.ref(a, 0, PendingJob.class);
          finish(j);
          return j.job == null || clock.ended(j.job.fence());
        }
        case AT -> clock.sleepUntil(values.num(a, 0), Printer.call(c));
        case NOW -> {
          return clock.now();
        }
        case STALLED -> {
          return clock.stalled(c.receiver());
        }
        case OOM_KILL -> {
          Process victim = (Process) values.get(((Program.Ref) a.get(0)).name());
          try {
            events.oomKill(victim, clock);
          } catch (UnsupportedOperationException e) {
            throw new ProgramError(file, line, 0, "oom_kill: " + e.getMessage());
          }
          if (drmOf.containsKey(victim)) {
            dropDrm(victim, true);
          }
        }
      }
      return null;
    }

    /** One of {@code p}'s descriptors of its DRM file goes, or ({@code all}) every one of them. */
    private void dropDrm(Process p, boolean all) {
      App app = drmOf.get(p);
      if (!app.drop(p, all)) {
        drmOf.remove(p);
        closedDrm.put(p, line);
      }
    }

    /**
     * What the kernel said to end the run at {@code s} (an errno, a signal), followed by the program's
     * file, line and call where it does not say them already: the same exception where it is no answer
     * of the kernel's (a fault of the model's own). A driver's refusal, told apart by identity, is
     * placed too, and the placed one recorded as the refusal.
     */
    private RuntimeException placed(RuntimeException e, Statement s) {
      String message = String.valueOf(e.getMessage());
      if (message.contains(file + ":" + line + ":")) {
        return e;
      }
      org.userptrlab.core.driver.DriverStats stats = run.get(org.userptrlab.core.driver.DriverStats.class);
      Call c = Program.callOf(s);
      String at = " (at " + file + ":" + line + (c == null ? "" : ", " + org.userptrlab.lab.lang.Printer.call(c)) + ")";
      if (e instanceof org.userptrlab.mm.MmException m) {
        org.userptrlab.mm.MmException placed = new org.userptrlab.mm.MmException(m.errno(),
            message.substring(m.errno().name().length() + 2) + at);
        placed.initCause(e);
        if (stats.isRefusal(e)) {
          stats.refused(placed);
        }
        return placed;
      }
      return e instanceof org.userptrlab.mm.SignalException signal ? signal.followedBy(at) : e;
    }

    /**
     * The DRM file {@code p} calls an ioctl, or closes or sends a descriptor, through: EBADF where it
     * holds none, as the kernel answers a descriptor the process does not have.
     */
    private App drm(Process p) {
      App app = drmOf.get(p);
      if (app == null) {
        throw new org.userptrlab.mm.MmException(org.userptrlab.mm.Errno.EBADF, closedDrm.containsKey(p)
            ? "the process's DRM file descriptor was closed at line " + closedDrm.get(p) + " (close_drm, or exec of a close-on-exec descriptor)"
            : "the process holds no DRM file: it was made by 'spawn'; make it with 'app', or send it a DRM file with send_drm");
      }
      return app;
    }

    /**
     * What the harness observes of {@code p} (free, reports): through the graphics program it belongs to,
     * or whose DRM file it holds, which knows what was imported; a process made by 'spawn' that holds no
     * DRM file imported nothing.
     */
    private ProcessReports reports(Process p) {
      App app = apps.containsKey(p) ? apps.get(p) : drmOf.get(p);
      if (app != null) {
        return app.reports;
      }
      if (fileless == null) {
        fileless = new ProcessReports(run, List.of());
      }
      return fileless;
    }

    private Handle handle(List<Arg> a, int i) {
      return values.ref(a, i, Handle.class);
    }
  }
}
