package org.userptrlab.lab.real;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.lab.scenarios.AppThreads;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.spi.Contract;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.scenarios.Step;
import org.userptrlab.lab.scenarios.TextScenario;
import java.util.function.Supplier;
import org.userptrlab.executor.ExecutorDied;
import org.userptrlab.executor.NativeExecutor;
import org.userptrlab.executor.Session;
import org.userptrlab.lab.lang.Op;
import org.userptrlab.lab.lang.Programs;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.VmEvent;

/**
 * One program under one strategy on the model (the host's kernel release) and on the real kernel,
 * step by step: the outcome of each operation (a check's truth, an errno, a signal) and the acting
 * process's VmLck and VmPin must agree. Closing it removes the swap file its runs kept, if any did.
 */
public final class Diff implements AutoCloseable {
  /** How a program and strategy came out. */
  public enum Verdict {
    /** Every step came out alike on both sides. */
    AGREE,
    /** A step came out otherwise on the real kernel than on the model: the detail says which. */
    DISAGREE,
    /**
     * The program cannot run on a real kernel under the strategy (no analogue, an operation the
     * executor does not run, a limit of this machine's), or does not fit the model's machine.
     */
    NOT_RUNNABLE,
    /** A call of the strategy's analogue that the driver's ioctl does not make failed: the sides differ there for that reason. */
    NOT_COMPARABLE,
    /** The executor died or failed under the program: it did not finish on the real kernel. */
    NOT_RUN;

    /** The verdict as the table and JSON output spell it: {@code not runnable}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  /**
   * The comparison of one program under one strategy; for a disagreement, the first step that
   * differs on each side; otherwise why it was not compared. Times are 0 and the prediction NaN
   * where the program did not run on both sides, or was not timed.
   */
  public record Result(String program, String strategy, Verdict verdict, String detail, long modelNanos, long realNanos,
      double predictedNanos, List<OpTime> ops) {
    public Result {
      ops = List.copyOf(ops);
    }

    /** A result with no breakdown of its time. */
    public Result(String program, String strategy, Verdict verdict, String detail, long modelNanos, long realNanos,
        double predictedNanos) {
      this(program, strategy, verdict, detail, modelNanos, realNanos, predictedNanos, List.of());
    }

    /** Whether the program ran on both sides to its end, so that its times mean something. */
    public boolean ran() {
      return verdict == Verdict.AGREE || verdict == Verdict.DISAGREE;
    }
  }

  /**
   * Where a timed run's time went, for one operation of the language: how many of the steps both
   * sides took, and the executor timed, were of it, what they took on the real kernel (in the run
   * of median time), and what the model predicted for them (their virtual time, waits included);
   * and the executor's scaffolding in them, which the real time leaves out.
   */
  public record OpTime(Op op, int steps, long realNanos, long predictedNanos, long scaffoldNanos) {
    /** Steps of a run without the executor's scaffolding. */
    public OpTime(Op op, int steps, long realNanos, long predictedNanos) {
      this(op, steps, realNanos, predictedNanos, 0);
    }
  }

  /** How many of the runs that ran on both sides and took time were predicted within 25% of their real time. */
  public static int withinQuarter(List<Result> results) {
    int close = 0;
    for (Result r : results) {
      if (r.ran() && r.realNanos() > 0) {
        close += withinQuarter(r) ? 1 : 0;
      }
    }
    return close;
  }

  /** Whether a run that ran on both sides was predicted within 25% of its real time (a ratio of 0.75 to 1.25, unrounded). */
  public static boolean withinQuarter(Result r) {
    double ratio = r.predictedNanos() / r.realNanos();
    return ratio >= 0.75 && ratio <= 1.25;
  }

  /** How many runs ran on both sides and took time: what {@link #withinQuarter} counts among. */
  public static int timedRuns(List<Result> results) {
    return (int) results.stream().filter(r -> r.ran() && r.realNanos() > 0).count();
  }

  /** Warm-up runs between two looks at the JIT's compilation time. */
  private static final int WARM_BATCH = 50;
  /** Batches in a row with no compilation to speak of that end the warm-up. */
  private static final int QUIET_BATCHES = 3;
  /** Warm-up runs at most, in multiples of {@link #WARM_BATCH}, should the JIT never go quiet. */
  private static final int WARM_LIMIT = 100 * WARM_BATCH;

  private final Comparison model;
  private final KernelConfig kernel;
  private final int warmRuns;
  private final int realRuns;
  private final int modelRuns;
  private final Supplier<Session> executor;
  /** What the diff did to this machine for its runs (a swap file set up), a line each, each said once. */
  private final java.util.Set<String> notes = new java.util.LinkedHashSet<>();
  /** Where this diff's swap files go, made at the first run that needs one; null until then. */
  private java.nio.file.Path swapDirectory;

  /**
   * The model's side of a diff from {@code options}: the host's kernel (the options' kernels are
   * not used), one run at a time, and each program's {@code app} single-threaded as the executor's
   * processes are ({@link AppThreads#mainThreadOnly()}: no render thread for a TLB flush to interrupt), on a machine
   * whose run follows another that freed as much as {@code calibrate} fills run to run: each real run of a program
   * after its first takes the frames of the run before it, and a timed diff's real time is the median run's.
   */
  public static Comparison model(LabOptions options, KernelConfig host) {
    List<com.google.inject.Module> modules = new java.util.ArrayList<>(options.modules());
    modules.add(AppThreads.mainThreadOnly());
    MachineConfig machine = options.machine().toBuilder().recentlyFreed(NativeExecutor.RUN_TO_RUN_BYTES).build();
    return new Comparison(LabOptions.builder().machine(machine).limits(options.limits()).profiles(options.profiles())
        .modules(modules).strategies(options.strategies()).spans(options.spans()).threads(1).kernels(host).build());
  }

  /** A diff that runs each program once on each side, untimed. */
  public Diff(Comparison model, KernelConfig kernel) {
    this(model, kernel, 0, 1, 1);
  }

  /**
   * A diff that times both sides, one program after the other so that both see the machine
   * alike (a virtual machine's speed moves by a factor of two over seconds with its neighbours'
   * load): {@code realRuns} runs on the real kernel, then the model's untimed runs, at least
   * {@code warmRuns} and until the JIT has next to nothing left to compile (it compiles the model
   * while it runs; a real kernel is compiled already), then {@code modelRuns} timed ones (machine
   * set-up included). Each side's time is the median of its runs.
   */
  public Diff(Comparison model, KernelConfig kernel, int warmRuns, int realRuns, int modelRuns) {
    this(model, kernel, warmRuns, realRuns, modelRuns, NativeExecutor::start);
  }

  /** As above, each real run in a session {@code executor} starts. */
  Diff(Comparison model, KernelConfig kernel, int warmRuns, int realRuns, int modelRuns, Supplier<Session> executor) {
    if (realRuns < 1 || modelRuns < 1 || warmRuns < 0) {
      throw new IllegalArgumentException("a diff needs a run on each side and no negative warm-up");
    }
    this.model = model;
    this.kernel = kernel;
    this.warmRuns = warmRuns;
    this.realRuns = realRuns;
    this.modelRuns = modelRuns;
    this.executor = executor;
  }

  /** A program's run on the real kernel; {@code failure} when the executor died or failed. */
  private record RealRun(Trace trace, String failure) {}

  /**
   * Runs {@code program} under {@code strategy} on both sides and compares, the first real run
   * with the first model run. A program too big for the model's machine is not run.
   */
  public Result run(Program program, String strategy, Contract contract) {
    String tooBig = Programs.cannotRun(program, model.options().machine());
    if (tooBig != null) {
      return new Result(program.name(), strategy, Verdict.NOT_RUNNABLE, tooBig, 0, 0, Double.NaN);
    }
    String swapless = swapless(program);
    if (swapless != null) {
      return new Result(program.name(), strategy, Verdict.NOT_RUNNABLE, swapless, 0, 0, Double.NaN);
    }
    // A first model run tells whether the program's reads map the zeropage at all: if none does, a kernel
    // that maps fresh pages for read faults gives the same frames, and they are compared.
    RunResult probe = onModel(program, strategy, new ArrayList<>());
    boolean zeropage = probe.counters().getOrDefault(VmEvent.ZERO_PAGE_MAPPED, 0L) > 0;
    return compared(program, strategy, contract, zeropage);
  }

  /** {@link #run} once the program may run here: its real runs (sharing a swap file where they need one) and the model's. */
  private Result compared(Program program, String strategy, Contract contract, boolean zeropage) {
    RealRun real = onRealKernel(program, strategy, contract, zeropage);
    if (real.failure() != null) {
      return new Result(program.name(), strategy, Verdict.NOT_RUN, real.failure(), 0, 0, Double.NaN);
    }
    if (!real.trace().runnable()) {
      return new Result(program.name(), strategy, Verdict.NOT_RUNNABLE, real.trace().notRunnable(), 0, 0, Double.NaN);
    }
    long[] realTimes = new long[realRuns];
    List<List<Step>> realRunSteps = new ArrayList<>();
    realTimes[0] = real.trace().nanos();
    realRunSteps.add(real.trace().steps());
    for (int i = 1; i < realRuns; i++) {
      // Timed only: the first run's steps are the ones compared.
      RealRun again = onRealKernel(program, strategy, contract, zeropage);
      if (again.failure() != null) {
        return new Result(program.name(), strategy, Verdict.NOT_RUN, "on run " + (i + 1) + " of the program, " + again.failure(),
            0, 0, Double.NaN);
      }
      if (!again.trace().runnable()) {
        return new Result(program.name(), strategy, Verdict.NOT_RUNNABLE, again.trace().notRunnable(), 0, 0, Double.NaN);
      }
      realTimes[i] = again.trace().nanos();
      realRunSteps.add(again.trace().steps());
    }
    warm(program, strategy);
    List<Step> steps = new ArrayList<>();
    long[] modelTimes = new long[modelRuns];
    double predicted = Double.NaN;
    RunResult firstRun = null;
    for (int i = 0; i < modelRuns; i++) {
      List<Step> sink = i == 0 ? steps : new ArrayList<>();
      long start = System.nanoTime();
      RunResult r = onModel(program, strategy, sink);
      modelTimes[i] = System.nanoTime() - start;
      firstRun = i == 0 ? r : firstRun;
      String refused = i == 0 ? refusedByModel(r, steps) : null;
      if (refused != null) {
        return new Result(program.name(), strategy, Verdict.NOT_RUNNABLE, refused, 0, 0, Double.NaN);
      }
    }
    List<Step> realSteps = real.trace().steps();
    List<Step> medianRun = realRunSteps.get(medianAt(realTimes));
    // The model's virtual time under the first profile it was given (a calibrated one, when there is one), step after step.
    predicted = predicted(steps, medianRun);
    int at = differsAt(steps, realSteps, strategy);
    String skipped = real.trace().skipped();
    if (at < 0) {
      String stopped = stoppedAt(firstRun, steps);
      String detail = String.join("; ", Stream.of(stopped, failedChecks(firstRun), skipped == null ? null : "skipped at " + skipped)
          .filter(Objects::nonNull).toList());
      return new Result(program.name(), strategy, Verdict.AGREE, detail, median(modelTimes), median(realTimes), predicted,
          ops(program, steps, medianRun));
    }
    String first = firstDifference(steps, realSteps, strategy);
    if (skipped != null && at >= realSteps.size()) {
      first += "; the real kernel skipped at " + skipped;
    }
    // The analogue's failure is the real run's last step: a difference there or past it is the analogue's.
    if (real.trace().analogueFailed() != null && at >= realSteps.size() - 1) {
      String model = at < steps.size() ? "the model answers " + steps.get(at).outcome() + " there" : "the model stopped before it";
      return new Result(program.name(), strategy, Verdict.NOT_COMPARABLE, real.trace().analogueFailed() + "; " + model, 0, 0,
          Double.NaN);
    }
    Trace.Displaced displaced = real.trace().displaced();
    if (displaced != null && at >= displaced.step()) {
      return new Result(program.name(), strategy, Verdict.NOT_COMPARABLE, displaced.where() + ": the real process's own memory (ld.so, "
          + "libc) lies after the mapping, so the kernel moved it where the model's process, which has none, grew it in place; "
          + "from there the two sides' addresses part (" + first + ")", 0, 0, Double.NaN);
    }
    if (at < steps.size() && at < realSteps.size() && lockedAll(program, steps.get(at), realSteps.get(at))) {
      Step m = steps.get(at);
      return new Result(program.name(), strategy, Verdict.NOT_COMPARABLE, String.format("line %d (%s): VmLck model %d kB, real "
          + "kernel %d kB: mlockall(2) locked the executor's own memory too (its image, libc, ld.so, stack), which the model's "
          + "process does not have", m.line(), m.call(), m.vmlckKb(), realSteps.get(at).vmlckKb()), 0, 0, Double.NaN);
    }
    if (at < steps.size() && real.trace().lockStandIn().contains(at) && (steps.get(at).outcome().equals("ENOMEM")
        || steps.get(at).outcome().equals("EAGAIN"))) {
      Step m = steps.get(at);
      return new Result(program.name(), strategy, Verdict.NOT_COMPARABLE, String.format("line %d (%s): the model's process has "
          + "RLIMIT_MEMLOCK of 1 GiB, as a graphics program is set up, and this call goes past it (%s); the real process has "
          + "CAP_IPC_LOCK in its place, since the hard limit here is lower and raising it takes CAP_SYS_RESOURCE, and no limit "
          + "holds it back (%s)", m.line(), m.call(), m.outcome(), first), 0, 0, Double.NaN);
    }
    if (at < steps.size() && refusesArguments(program, steps.get(at))) {
      Step m = steps.get(at);
      return new Result(program.name(), strategy, Verdict.NOT_COMPARABLE, String.format("line %d (%s): the model's driver refuses "
          + "the import's arguments (an empty range, one past user space, a misaligned one, one over the driver's size limit) "
          + "with EINVAL before it looks at memory; the analogues make no such check", m.line(), m.call()), 0, 0, Double.NaN);
    }
    if (at < steps.size() && at < realSteps.size() && outOfMemory(steps.get(at), realSteps.get(at))) {
      Step m = steps.get(at);
      long ram = Programs.machine(program, model.options().machine().toBuilder()).build().ramBytes();
      return new Result(program.name(), strategy, Verdict.NOT_COMPARABLE, String.format("line %d (%s): the model's machine, with "
          + "%d MiB of RAM, had no memory (or no free huge page) left for it, and this machine, with all of its own, had: the "
          + "outcome is the machines' sizes'", m.line(), m.call(), ram >> 20), 0, 0, Double.NaN);
    }
    return new Result(program.name(), strategy, Verdict.DISAGREE, first, median(modelTimes), median(realTimes), predicted,
        ops(program, steps.subList(0, at), realRunSteps.get(medianAt(realTimes))));
  }

  /**
   * Whether the model's step failed for want of memory where the real kernel's succeeded: the model
   * runs on the small machine the program asks for (the explorer's are 4 to 18 MiB, so that pressure
   * reaches their buffers), the real kernel on the whole of this one, which has far more.
   */
  private static boolean outOfMemory(Step model, Step real) {
    return model.outcome().equals(org.userptrlab.mm.Errno.ENOMEM.name()) && real.outcome().equals("ok");
  }

  /**
   * Where a program that agrees ended before its last line, an import refused or an operation failed (an errno, a
   * signal) on both sides: a run that stops early agrees, and is timed, up to there only; null if it ran to its end.
   */
  private static String stoppedAt(RunResult r, List<Step> steps) {
    if (r == null || steps.isEmpty() || r.error() == null && r.refusal() == null) {
      return null;
    }
    Step last = steps.get(steps.size() - 1);
    // The model's reason says why, which the errno alone does not: "madvise: address 0x7ffff7bfe010 is not page aligned".
    String why = r.error() == null ? "" : r.error().message().replaceFirst("^" + java.util.regex.Pattern.quote(last.outcome()) + ": ", "")
        .replaceFirst(" \\(at [^()]*\\)$", "");
    return String.format(Locale.ROOT, "both sides stopped at line %d (%s): %s%s", last.line(), last.call(), last.outcome(),
        why.isBlank() || why.equals(last.outcome()) ? "" : " (on the model: " + why + ")");
  }

  /**
   * The program's own checks that failed, on both sides where the runs agree (a check's values are the steps compared),
   * which "agree" alone does not show; null where none failed.
   */
  private static String failedChecks(RunResult r) {
    List<String> failed = r == null ? List.of() : r.checks().stream().filter(c -> c.promise() == null && !c.held() && !c.xfail())
        .map(org.userptrlab.core.harness.Check::described).toList();
    return failed.isEmpty() ? null : (failed.size() == 1 ? "both sides failed the program's check " : "both sides failed the "
        + "program's checks ") + String.join(", ", failed);
  }

  /**
   * Why the model stopped the program with no outcome for the operation it stopped at (a program
   * the model cannot run, such as an import from a process made by 'spawn'); null if it did not.
   * An errno or a signal is an outcome, and is compared.
   */
  private static String refusedByModel(RunResult r, List<Step> steps) {
    boolean signalled = !steps.isEmpty() && steps.get(steps.size() - 1).outcome().startsWith("SIG");
    if (r.error() == null || r.error().errno() != null || signalled) {
      return null;
    }
    return "the model stops the program with no outcome: " + r.error().message();
  }

  /** Whether the sides differ at these steps only in VmLck, after an mlockall of the program's. */
  private static boolean lockedAll(Program program, Step model, Step real) {
    if (!model.outcome().equals(real.outcome()) || model.vmlckKb() == real.vmlckKb() || model.vmpinKb() != real.vmpinKb()
        && model.vmpinKb() >= 0 && real.vmpinKb() >= 0) {
      return false;
    }
    for (Program.Statement s : program.body()) {
      Program.Call c = Program.callOf(s);
      if (s.line() <= model.line() && c != null && c.op() == Op.MLOCKALL) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code step} is an import the model's driver refused for its arguments, which no real call checks. */
  private static boolean refusesArguments(Program program, Step step) {
    if (!step.outcome().equals(org.userptrlab.mm.Errno.EINVAL.name())) {
      return false;
    }
    for (Program.Statement s : program.body()) {
      Program.Call c = Program.callOf(s);
      if (s.line() == step.line() && c != null && c.op() == Op.USERPTR) {
        return true;
      }
    }
    return false;
  }

  /** What the diff did to this machine for its runs, a line each: {@code swap: a 256 MiB swap file set up ...}. */
  public List<String> notes() {
    return List.copyOf(notes);
  }

  /** Whether the model's machine for {@code program} has swap: only then does the real side page out to a swap file. */
  private boolean modelSwaps(Program program) {
    return Programs.machine(program, model.options().machine().toBuilder()).build().swapBytes() > 0;
  }

  /**
   * Why a program that pages out cannot be compared here: the model's machine has no swap, where this
   * one has (MADV_PAGEOUT would swap here and not on the model); null otherwise.
   */
  private String swapless(Program program) {
    if (!SwapFile.pagesOut(program) || modelSwaps(program) || !RealHost.here().swap()) {
      return null;
    }
    return "the program pages out on a machine with no swap, and this machine has swap: give it a 'machine swap SIZE' line";
  }

  /**
   * Runs {@code program} under {@code strategy} on the real kernel, in a session of its own; with a
   * swap file switched on for the run where the program pages anonymous memory out and this machine has
   * no swap, written for it unless an earlier run kept it, and kept for the diff's later runs.
   */
  private RealRun onRealKernel(Program program, String strategy, Contract contract, boolean zeropage) {
    try (Session s = executor.get()) {
      if (!SwapFile.needed(program) || !modelSwaps(program) || RealProgram.notRunnable(program, strategy).isPresent()) {
        return new RealRun(RealProgram.run(program, strategy, contract, s, zeropage), null);
      }
      java.nio.file.Path dir = swapDirectory();
      StringBuilder why = new StringBuilder();
      java.util.Optional<SwapFile> swap = SwapFile.on(s, dir.resolve("swapfile"), why);
      if (swap.isEmpty()) {
        return new RealRun(Trace.notRunnable(why.toString()), null);
      }
      notes.add(swap.get().note());
      RealRun run;
      try {
        run = new RealRun(RealProgram.run(program, strategy, contract, s, zeropage), null);
      } catch (RuntimeException e) {
        // The run's own failure is the one to tell; the swap file goes all the same.
        try {
          swap.get().off(s, executor, false);
        } catch (RuntimeException also) {
          e.addSuppressed(also);
        }
        throw e;
      }
      swap.get().off(s, executor, true);
      return run;
    } catch (java.io.IOException e) {
      return new RealRun(null, "no directory for a swap file: " + e.getMessage());
    } catch (RealProgram.Lost e) {
      return new RealRun(null, e.getCause() instanceof ExecutorDied died ? String.format("the executor died %s %s: the program "
          + "did not finish on the real kernel", died.how(), e.where()) : e.where() + ", " + e.getCause().getMessage());
    } catch (ExecutorDied e) {
      return new RealRun(null, e.getMessage() + ": the program did not finish on the real kernel");
    } catch (RuntimeException e) {
      String why = String.valueOf(e.getMessage());
      return new RealRun(null, why.startsWith("the executor") ? why : "the executor failed: " + why);
    }
  }

  /** Removes the swap file the diff's runs kept, and its directory, if a run set one up (it is off by then). */
  @Override
  public void close() {
    if (swapDirectory != null) {
      try {
        java.nio.file.Files.deleteIfExists(swapDirectory.resolve("swapfile"));
        java.nio.file.Files.deleteIfExists(swapDirectory);
      } catch (java.io.IOException e) {
        notes.add("the swap file at " + swapDirectory.resolve("swapfile") + " could not be removed: " + e.getMessage());
      }
    }
  }

  /** The directory this diff's swap files go in, made once: every run's swap file is at the same path. */
  private java.nio.file.Path swapDirectory() throws java.io.IOException {
    if (swapDirectory == null) {
      swapDirectory = SwapFile.directory();
      // Should the diff not be closed: the file, then its directory (the last registered goes first).
      swapDirectory.toFile().deleteOnExit();
      swapDirectory.resolve("swapfile").toFile().deleteOnExit();
    }
    return swapDirectory;
  }

  private static long median(long[] times) {
    return times[medianAt(times)];
  }

  /** The index of the run of median time. */
  private static int medianAt(long[] times) {
    long[] sorted = times.clone();
    Arrays.sort(sorted);
    for (int i = 0; ; i++) {
      if (times[i] == sorted[sorted.length / 2]) {
        return i;
      }
    }
  }

  /**
   * The model's prediction of what the executor timed: its steps' virtual times one after another,
   * as the executor runs them (each to its end, kernel work included, before the next; in the
   * model a kernel worker runs beside the program), over the steps both sides took that the
   * executor timed (it does not time a process's teardown at exit or exec).
   */
  static double predicted(List<Step> model, List<Step> real) {
    long sum = 0;
    for (int i = 0; i < Math.min(model.size(), real.size()); i++) {
      if (real.get(i).nanos() > 0) {
        sum += model.get(i).nanos();
      }
    }
    return sum;
  }

  /**
   * The steps both sides took, summed per operation: the model's virtual time against the real
   * kernel's. A check's own step has no time of its own (its operations have theirs).
   */
  static List<OpTime> ops(Program program, List<Step> model, List<Step> real) {
    java.util.Map<Integer, List<Program.Call>> lines = new java.util.HashMap<>();
    for (Program.Statement s : program.body()) {
      lines.computeIfAbsent(s.line(), l -> new ArrayList<>()).addAll(Program.callsOf(s));
    }
    java.util.Map<Op, long[]> by = new java.util.EnumMap<>(Op.class);
    for (int i = 0; i < Math.min(model.size(), real.size()); i++) {
      Op op = opOf(lines.getOrDefault(model.get(i).line(), List.of()), model.get(i));
      // A step the executor timed: its time, or its scaffolding where it was the lab's (a look at pagemap).
      if (op != null && (real.get(i).nanos() > 0 || real.get(i).scaffoldNanos() > 0)) {
        long[] t = by.computeIfAbsent(op, o -> new long[4]);
        t[0]++;
        t[1] += real.get(i).nanos();
        t[2] += model.get(i).nanos();
        t[3] += real.get(i).scaffoldNanos();
      }
    }
    List<OpTime> out = new ArrayList<>();
    by.forEach((op, t) -> out.add(new OpTime(op, (int) t[0], t[1], t[2], t[3])));
    return out;
  }

  /** The operation a step is of: the call of its line written as the step says; null for a check's own step. */
  private static Op opOf(List<Program.Call> calls, Step step) {
    for (Program.Call c : calls) {
      if (org.userptrlab.lab.lang.Printer.call(c).equals(step.call())) {
        return c.op();
      }
    }
    return null;
  }

  /** Runs {@code program} under {@code strategy} on the model, telling {@code steps} what each operation did. */
  private RunResult onModel(Program program, String strategy, List<Step> steps) {
    return model.run(new TextScenario(program.name() + ".scenario", program, steps::add), strategy, kernel);
  }

  /**
   * Runs the program untimed until the JIT is done with it: at least {@code warmRuns} runs, then
   * batches until {@link #QUIET_BATCHES} in a row add at most a millisecond of compilation (the
   * compiler's clock counts whole milliseconds, and a JIT that compiles on a thread of its own
   * lags the runs by hundreds of them).
   */
  private void warm(Program program, String strategy) {
    if (warmRuns == 0) {
      return;
    }
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean watched = jit != null && jit.isCompilationTimeMonitoringSupported();
    long compiled = watched ? jit.getTotalCompilationTime() : 0;
    int quiet = 0;
    for (int runs = 0; runs < WARM_LIMIT; ) {
      for (int i = 0; i < WARM_BATCH; i++, runs++) {
        // Told its steps as a timed run is, so that the code which records them is warm too.
        onModel(program, strategy, new ArrayList<>());
      }
      long now = watched ? jit.getTotalCompilationTime() : compiled;
      quiet = now - compiled <= 1 ? quiet + 1 : 0;
      compiled = now;
      if (runs >= warmRuns && quiet >= QUIET_BATCHES) {
        return;
      }
    }
  }

  /** The index of the first step where the two sides differ; -1 if none does. */
  static int differsAt(List<Step> model, List<Step> real, String strategy) {
    for (int i = 0; i < Math.max(model.size(), real.size()); i++) {
      if (i >= model.size() || i >= real.size()) {
        return i;
      }
      Step m = model.get(i);
      Step k = real.get(i);
      if (!m.outcome().equals(k.outcome()) || !strategy.equals("mlock") && differ(m.vmlckKb(), k.vmlckKb())
          || differ(m.vmpinKb(), k.vmpinKb())) {
        return i;
      }
    }
    return -1;
  }

  /** The first step where the two sides differ, said with both values; null if none does. */
  static String firstDifference(List<Step> model, List<Step> real, String strategy) {
    for (int i = 0; i < Math.max(model.size(), real.size()); i++) {
      if (i >= model.size() || i >= real.size()) {
        Step extra = i < model.size() ? model.get(i) : real.get(i);
        return String.format("line %d (%s): only the %s went on to it", extra.line(), extra.call(),
            i < model.size() ? "model" : "real kernel");
      }
      Step m = model.get(i);
      Step k = real.get(i);
      if (!m.outcome().equals(k.outcome())) {
        return String.format("line %d (%s): model %s, real kernel %s", m.line(), m.call(), m.outcome(), k.outcome());
      }
      // The mlock strategy's analogue is mlock(2), which charges locked_vm; the Exynos patch it stands for does not.
      if (!strategy.equals("mlock") && differ(m.vmlckKb(), k.vmlckKb())) {
        return String.format("line %d (%s): VmLck model %d kB, real kernel %d kB", m.line(), m.call(), m.vmlckKb(), k.vmlckKb());
      }
      if (differ(m.vmpinKb(), k.vmpinKb())) {
        return String.format("line %d (%s): VmPin model %d kB, real kernel %d kB", m.line(), m.call(), m.vmpinKb(), k.vmpinKb());
      }
    }
    return null;
  }

  private static boolean differ(long model, long real) {
    return model >= 0 && real >= 0 && model != real;
  }
}
