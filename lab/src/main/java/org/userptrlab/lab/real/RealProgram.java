package org.userptrlab.lab.real;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.userptrlab.core.spi.Contract;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.lab.lang.Bindings;
import org.userptrlab.lab.lang.Op;
import org.userptrlab.lab.lang.Printer;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.lang.Program.Arg;
import org.userptrlab.lab.lang.Program.Atom;
import org.userptrlab.lab.lang.Program.Call;
import org.userptrlab.lab.lang.Program.Cond;
import org.userptrlab.lab.lang.Programs;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.lab.scenarios.Step;
import org.userptrlab.executor.Reply;
import org.userptrlab.executor.Session;
import org.userptrlab.mm.Errno;
import org.userptrlab.mm.KernelConfig;

/**
 * Runs a program on the real kernel through the native executor: each process a real process,
 * each operation its system call, each strategy its userspace analogue (see upl-exec.c). It
 * stops at the first operation that fails, as a run on the model does.
 */
public final class RealProgram {
  /** The executor's analogue of each strategy that has one. */
  private static final Map<String, String> ANALOGUES = Map.of("copy", "copy", "backed-longterm", "longterm",
      "backed-pin", "pin", "mlock", "mlock", "steal", "steal");
  /** Why the shared-virtual-memory strategies have no run on the real kernel here. */
  private static final String SVM_NEEDS = "needs a device with device-private memory: a GPU whose driver shares the process's "
      + "address space (xe, amdkfd, nouveau), or the kernel's test_hmm module (CONFIG_TEST_HMM, whose dmirror hmm-tests drive), "
      + "which the executor does not drive";
  private static final String MIRROR_NEEDS = "needs a device that shares the process's address space: a GPU whose driver does "
      + "(xe, amdkfd, nouveau), or the kernel's test_hmm module (CONFIG_TEST_HMM), which the executor does not drive";
  private static final Map<String, String> NO_ANALOGUE = Map.of(
      "cow", "cow write-protects the program's page table entries from the driver: no userspace call does that",
      "backed-notifier", "an interval notifier is a driver's: no userspace call registers one",
      "svm", SVM_NEEDS, "svm-mirror", MIRROR_NEEDS, "svm-kfd", SVM_NEEDS);
  /** Linux's numbers of the capabilities the language names (include/uapi/linux/capability.h). */
  private static final Map<String, Integer> CAPABILITIES = Map.of("CAP_IPC_LOCK", 14, "CAP_SYS_ADMIN", 21, "CAP_SYS_RESOURCE", 24);

  private final Program program;
  private final Contract contract;
  private final String analogue;
  private final String strategy;
  private final Session session;
  private final List<Step> steps = new ArrayList<>();
  private final Bindings values = new Bindings();
  private final java.util.Set<Integer> alive = new java.util.HashSet<>();
  /**
   * Processes whose CAP_IPC_LOCK stands in for the model's 1 GiB RLIMIT_MEMLOCK of a graphics
   * program, where the hard limit here is lower and raising it takes CAP_SYS_RESOURCE; dropped
   * when the program sets a limit of its own.
   */
  private final java.util.Set<Integer> standIn = new java.util.HashSet<>();
  /** The steps, by index, that locked or pinned memory in a process of {@link #standIn}. */
  private final java.util.Set<Integer> lockStandIn = new java.util.HashSet<>();
  /** The calls that lock or pin memory, which RLIMIT_MEMLOCK bounds. */
  private static final java.util.Set<Op> LOCKING = java.util.EnumSet.of(Op.MLOCK, Op.MLOCK2, Op.MLOCKALL, Op.MMAP, Op.MMAP_AT,
      Op.MREMAP, Op.USERPTR);
  private int processes;
  private int line;
  /** The executor's time when the current call began: its step took what was added since. */
  private long callStart;
  private long scaffoldStart;
  /** The operation under way, for a limit's message. */
  private Call current;
  /** Why the last step failed, where the analogue's own call failed; null otherwise. */
  private String analogueFailed;
  /** The first step whose address the executor's own memory decided; null while there is none. */
  private Trace.Displaced displaced;
  /** The time the commands took where they ran, summed. */
  private long nanos;
  /** The executor's scaffolding in the commands so far, left out of {@link #nanos}. */
  private long scaffold;

  /**
   * The DRM files, as the model keeps them: the file (named by the process that opened it) each process
   * holds (an ioctl of any other process is EBADF), the processes holding each, those whose descriptor is
   * close-on-exec, and each file's objects, closed with the file's last reference.
   */
  private final java.util.Map<Integer, Integer> appOf = new java.util.HashMap<>();
  private final java.util.Map<Integer, java.util.List<Integer>> holders = new java.util.HashMap<>();
  private final java.util.Set<Integer> cloexec = new java.util.HashSet<>();
  private final java.util.Map<Integer, java.util.Set<Handle>> objectsOf = new java.util.HashMap<>();
  /** Pins and pipes released: the model answers a read or a release of one EINVAL, with nothing asked of the executor. */
  private final java.util.Set<Handle> released = new java.util.HashSet<>();
  /** Objects imported READ_ONLY: the GPU may only read them, on the model as in the driver. */
  private final java.util.Set<Handle> readOnlyObjects = new java.util.HashSet<>();

  /** Where the current statement is a {@code try}: its operation's failure binds a result instead of ending the program. */
  private boolean trying;
  /** The line and reason of a skip that held, which ended the program; null otherwise. */
  private String skipped;

  /**
   * An object the executor holds: the process that imported it, its number in the executor, its
   * size. A pin and a vmsplice's pipes are objects too: pinned_sees reads through them as a GPU
   * job does, release closes them.
   */
  private record Handle(int owner, long obj, long size) {}

  /** A file the executor holds, by its number there. */
  private record RealFile(long number) {}

  /** The executor's kinds of file (upl-exec.c: enum file_kind). */
  private static final int DISK = 0;
  private static final int TMPFS = 1;
  private static final int MEMFD = 2;

  private RealProgram(Program program, Contract contract, String strategy, Session session) {
    this.program = program;
    this.contract = contract;
    this.strategy = strategy;
    this.analogue = ANALOGUES.get(strategy);
    this.session = session;
  }

  /** Why {@code program} cannot run on a real kernel under {@code strategy}; empty if it can. */
  public static Optional<String> notRunnable(Program program, String strategy) {
    if (NO_ANALOGUE.containsKey(strategy)) {
      return Optional.of(NO_ANALOGUE.get(strategy));
    }
    if (!ANALOGUES.containsKey(strategy)) {
      return Optional.of(strategy + " has no analogue in the executor");
    }
    RealHost host = RealHost.here();
    Optional<String> thp = HostThp.notRunnable(program, host);
    if (thp.isPresent()) {
      return thp;
    }
    Optional<String> hugetlb = HostHugetlb.notRunnable(program, host);
    if (hugetlb.isPresent()) {
      return hugetlb;
    }
    boolean lazyFree = false;
    boolean limited = false;
    boolean large = largeFolios(program);
    boolean imported = false;
    // Under mlock, an import was released (GEM close, or the DRM file closed): see UNEVICTABLE_AFTER_RELEASE.
    boolean released = false;
    // Whether this machine was compacted: which of the program's pages that moved is this machine's, not the program's.
    boolean compacted = false;
    // Forked children that may still share their parent's pages, by name ("" for one the program did not name).
    java.util.Set<String> children = new java.util.HashSet<>();
    for (Program.Statement s : program.body()) {
      for (Call c : Program.callsOf(s)) {
        Optional<String> why = notRunnable(c, strategy, host);
        if (why.isEmpty() && released && (c.op() == Op.RECLAIM || SwapFile.pagesOut(c))) {
          why = Optional.of("the Exynos patch's release clears VM_LOCKED and leaves the pages it locked PG_mlocked "
              + "(UNEVICTABLE_AFTER_RELEASE), which no userspace call does: its analogue munlocks them, so what reclaim takes "
              + "after a release is not compared");
        }
        if (why.isEmpty() && imported && strategy.equals("mlock") && (c.op() == Op.MLOCK || c.op() == Op.MLOCK2
            || c.op() == Op.MLOCKALL)) {
          why = Optional.of("the Exynos patch sets VM_LOCKED without charging locked_vm, and its release may wrap locked_vm "
              + "(LOCKED_VM_WRAPPED), which its analogue, mlock2(2), cannot: the program's own mlock after an import is not compared");
        }
        if (why.isEmpty() && imported && strategy.equals("mlock") && c.op() == Op.VM_LCK) {
          why = Optional.of("the Exynos patch sets VM_LOCKED without charging locked_vm; its analogue, mlock2(2), charges it: "
              + "VmLck after an import is not compared under mlock");
        }
        released |= imported && strategy.equals("mlock") && (c.op() == Op.CLOSE || c.op() == Op.CLOSE_DRM);
        imported |= c.op() == Op.USERPTR;
        if (why.isEmpty() && large && c.op() == Op.USERPTR && strategy.equals("backed-longterm")) {
          why = Optional.of("io_uring, backed-longterm's analogue, charges pinned_vm for each huge page of a fixed buffer whole "
              + "(io_buffer_account_pin), the driver it stands for the pages it pins: with large folios their VmPin differ");
        }
        if (why.isEmpty() && lazyFree && (c.op() == Op.RECLAIM || SwapFile.pagesOut(c))) {
          why = Optional.of("after MADV_FREE, whether MADV_PAGEOUT (the executor's reclaim too) discards a lazily freed page "
              + "or swaps it out depends on which CPU's LRU batch holds it; the model discards it");
        }
        if (why.isEmpty() && !children.isEmpty() && c.op() == Op.RECLAIM) {
          why = Optional.of("the executor's reclaim is MADV_PAGEOUT in each process, which leaves a page that more than one "
              + "process maps (madvise_cold_or_pageout_pte_range), where the kernel's own reclaim unmaps it from every one: a "
              + "reclaim while a forked child may share its parent's pages is not compared");
        }
        if (why.isEmpty() && compacted && c.op() == Op.FRAME) {
          why = Optional.of("compaction here works through all of this machine's memory, and whether it moves one of the "
              + "program's pages depends on where the machine's free memory lies, where the model's machine holds the program "
              + "alone: a frame read after a compaction is not compared");
        }
        if (why.isEmpty() && limited && (c.op() == Op.IOURING_SETUP || c.op() == Op.IOURING_REGISTER)) {
          why = Optional.of("io_uring charges its rings and buffers to the user's locked memory, which every process of the "
              + "user shares, against the limit the program set: the answer depends on what else this user holds");
        }
        if (why.isPresent()) {
          return Optional.of("line " + s.line() + " (" + Printer.call(c) + "): " + why.get());
        }
        limited |= c.op() == Op.SETRLIMIT_MEMLOCK || c.op() == Op.SETRLIMIT_MEMLOCK_DEFAULT;
        compacted |= c.op() == Op.COMPACT;
        if (c.op() == Op.FORK) {
          Program.Statement named = s instanceof Program.On on ? on.inner() : s;
          children.add(named instanceof Program.Bind b ? b.name() : named instanceof Program.Try t ? t.name() : "");
        } else if (c.op() == Op.EXIT || c.op() == Op.EXEC) {
          children.remove(c.receiver());
        }
        lazyFree |= c.op() == Op.MADVISE && c.args().size() > 2 && c.args().get(2) instanceof Program.Word w
            && w.text().equals("MADV_FREE");
      }
    }
    return Optional.empty();
  }

  /** Whether the program's memory may be large folios: THP always (for any size), THP madvise'd, or hugetlb mappings. */
  private static boolean largeFolios(Program program) {
    if (program.machine().stream().anyMatch(st -> st.key().equals("thp") && st.thpMode() == MachineConfig.Thp.ALWAYS)) {
      return true;
    }
    for (Program.Statement st : program.body()) {
      for (Call c : Program.callsOf(st)) {
        for (Program.Arg a : c.args()) {
          if (a instanceof Program.Word w && (w.text().contains("HUGETLB") || w.text().contains("MADV_HUGEPAGE"))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static Optional<String> notRunnable(Call c, String strategy, RealHost host) {
    Op op = c.op();
    return Optional.ofNullable(switch (op) {
      case PIN, PIN_FAST -> pinNotRunnable(((Program.Word) c.args().get(2)).text(), host);
      case USERPTR -> strategy.equals("backed-longterm") && readOnly(c)
          ? "io_uring registers a fixed buffer for writing (FOLL_WRITE) only: a read-only import has no long-term analogue" : null;
      case MADVISE -> SwapFile.pagesOut(c) && !host.swap() && !host.root() ? SwapFile.NEEDS_ROOT : null;
      case MMAP, MMAP_AT, MEMFD -> HostHugetlb.sizeNotOffered(c);
      case REFCOUNT -> "a page's reference count (page_ref_count) has no /proc view: /proc/kpagecount shows its mapcount only";
      case VM_RSS -> "a real process's VmRSS also counts the executor's own code, libc and stack, which the model's process has not";
      case MAYBE_PINNED -> "folio_maybe_dma_pinned has no /proc view: a page's pin count is not shown to userspace";
      case RECLAIM -> !host.swap() && !host.root() ? SwapFile.NEEDS_ROOT : null;
      case PRESSURE -> "memory pressure on a real machine takes another program filling its memory, and swap; "
          + "the executor does not run it";
      case COMPACT -> host.root() ? null : "compaction of the real machine needs root (a write of 1 to /proc/sys/vm/compact_memory)";
      case MIGRATE -> "move_pages on a machine of one NUMA node moves nothing";
      case KHUGEPAGED -> "khugepaged scans on its own schedule (scan_sleep_millisecs); userspace cannot make it scan now, and "
          + "MADV_COLLAPSE is its synchronous form";
      case CMA_ALLOC -> "cma_alloc is a driver's call, with no userspace analogue";
      case THREAD -> "the executor runs each process on one thread: a program's threads run on the model only";
      case GPU_SUBMIT, GPU_WAIT, GPU_DONE -> "the executor's stand-in for the GPU runs each job to its end within the call: jobs "
          + "that run while the program goes on run on the model only";
      case AT, NOW, STALLED -> "points in time and stalls are the model's virtual time, which the real kernel does not keep";
      case OOM_KILL -> "an OOM kill on a real machine takes running it out of memory; the executor does not run it";
      case CREATE, PWRITE, PREAD -> "GEM objects of the driver's own memory are not in the executor yet";
      case HEAP_VMAS, REPORT_HEAP_SPLIT -> "the heap's VMAs are not read by the executor yet";
      case REPORT_LOCKED_VM -> "the report looks for locked_vm wrapped below zero, which the Exynos patch's unlocking could "
          + "do and mlock(2), its analogue here, cannot, and mlocks past RLIMIT_MEMLOCK only where it found that: it runs on "
          + "the model only";
      case GPU_WRITE -> strategy.equals("backed-pin") || strategy.equals("mlock") || strategy.equals("steal")
          ? "a GPU write through a pipe's page references has no analogue" : null;
      case SETRLIMIT_MEMLOCK, SETRLIMIT_MEMLOCK_DEFAULT, CAPABILITY -> strategy.equals("mlock")
          ? "the Exynos patch locks without asking RLIMIT_MEMLOCK; mlock(2), its analogue, is held to the limit" : null;
      default -> null;
    });
  }

  /**
   * Why a pin with {@code foll} cannot be held here; null if it can. A pin is pin_user_pages in the
   * caller's name, which userspace reaches only through CONFIG_GUP_TEST's PIN_LONGTERM_TEST_START: long-term,
   * with or without FOLL_WRITE, never FOLL_FORCE. io_uring's fixed buffers, which also charge pinned_vm,
   * are {@code iouring_register}.
   */
  private static String pinNotRunnable(String foll, RealHost host) {
    List<String> flags = List.of(foll.split("\\|"));
    if (flags.contains("FOLL_FORCE")) {
      return "gup_test pins without FOLL_FORCE only";
    }
    if (!flags.contains("FOLL_LONGTERM")) {
      return "a pin without FOLL_LONGTERM lasts only within its call (gup_test's PIN_BASIC_TEST pins and unpins at once): "
          + "no userspace call holds one";
    }
    if (host.gupTest()) {
      return null;
    }
    return "a long-term pin in the caller's name needs CONFIG_GUP_TEST (/sys/kernel/debug/gup_test), which this kernel lacks";
  }

  private static boolean readOnly(Call c) {
    return c.args().size() > 2 && ((Program.Word) c.args().get(2)).text().contains("READ_ONLY");
  }

  /**
   * Runs {@code program} under {@code strategy}, whose contract is {@code contract}, in a fresh session;
   * {@code modelMapsZeropage} says whether the model's run of it maps the shared zeropage (or the huge
   * one) anywhere, which is when a kernel that maps fresh pages for read faults cannot be compared.
   */
  public static Trace run(Program program, String strategy, Contract contract, Session session, boolean modelMapsZeropage) {
    Optional<String> why = notRunnable(program, strategy);
    if (why.isPresent()) {
      return Trace.notRunnable(why.get());
    }
    Optional<String> frames = modelMapsZeropage ? framesDiffer(program, session) : Optional.empty();
    if (frames.isPresent()) {
      return Trace.notRunnable(frames.get());
    }
    RealProgram r = new RealProgram(program, contract, strategy, session);
    // The machine's THP and hugetlb pools are set for this run alone, and set back when it ends, however it ends.
    HostLock machine = HostLock.acquire();
    try {
      HostThp thp;
      try {
        thp = HostThp.set(program);
      } catch (java.io.IOException e) {
        return Trace.notRunnable("transparent huge pages could not be set as the program asks: " + e.getMessage());
      }
      HostLock.pending(thp);
      HostHugetlb pools;
      try {
        pools = HostHugetlb.set(program);
      } catch (java.io.IOException e) {
        HostLock.restore(thp);
        return Trace.notRunnable("hugetlb pages could not be reserved as the program asks: " + e.getMessage());
      }
      HostLock.pending(pools);
      try {
        r.run();
      } catch (Limit l) {
        return Trace.notRunnable(l.getMessage());
      } finally {
        // null: the program sets no THP mode or pool, and the host's stay as they are.
        try {
          HostLock.restore(pools);
        } finally {
          HostLock.restore(thp);
        }
      }
    } finally {
      machine.close();
    }
    return new Trace(r.steps, null, r.analogueFailed, r.skipped, r.nanos, r.displaced, r.lockStandIn);
  }

  /** The operations that may fault a page in for reading only. */
  private static final java.util.Set<Op> READS = java.util.EnumSet.of(Op.ZERO, Op.SEES, Op.SEES_AT, Op.READABLE, Op.VMSPLICE, Op.PIN,
      Op.PIN_FAST);

  /** Whether a read fault of anonymous memory maps the shared zeropage on this kernel; asked of the executor once. */
  private static Boolean zeropageShared;

  /**
   * Why the frames and mapcounts {@code program} reads cannot be compared here: this kernel maps a fresh
   * page where a read fault of anonymous memory maps the shared zeropage on the model's (and mainline's).
   */
  private static Optional<String> framesDiffer(Program program, Session session) {
    boolean frames = false;
    boolean read = false;
    for (Program.Statement st : program.body()) {
      for (Call c : Program.callsOf(st)) {
        // After a read, a page may be the zeropage on the model and a page of its own here: its frame, its
        // mapcount and whether paging out takes it differ.
        frames |= read && (c.op() == Op.FRAME || c.op() == Op.MAPCOUNT || c.op() == Op.ANON_HUGE || SwapFile.pagesOut(c));
        read |= READS.contains(c.op()) || c.op() == Op.MADVISE && c.args().size() > 2
            && c.args().get(2) instanceof Program.Word w && w.text().equals("MADV_POPULATE_READ");
      }
    }
    if (!frames) {
      return Optional.empty();
    }
    if (zeropageShared == null) {
      Reply r = session.send("0 zeropage");
      zeropageShared = !r.ok() || r.value() == 1;
    }
    return zeropageShared ? Optional.empty() : Optional.of("this kernel maps a fresh page on a read fault of anonymous memory, "
        + "where the model (as mainline) maps the shared zeropage (and the huge one): after a read, frames, mapcounts, "
        + "AnonHugePages and paging out are not "
        + "compared here");
  }

  private void run() {
    for (Program.Statement s : program.body()) {
      line = s.line();
      try {
        if (s instanceof Program.Bind b) {
          values.put(b.name(), call(b.call()));
        } else if (s instanceof Program.Try t) {
          values.put(t.name(), attempt(t.call()));
        } else if (s instanceof Program.Do d) {
          call(d.call());
        } else if (s instanceof Program.Expect e) {
          if (e.when() == null || holds(e.when())) {
            holds(e.cond());
          }
        } else if (s instanceof Program.Check k) {
          // A check's truth is a step of its own: its comparisons' values show in no operation's step.
          if (k.when() == null || holds(k.when())) {
            steps.add(Step.check(line, k.what(), holds(k.cond())));
          }
        } else if (s instanceof Program.Skip k) {
          if (holds(k.cond())) {
            skipped = "line " + s.line() + ": " + k.why();
            return;
          }
        } else if (s instanceof Program.Hazard h) {
          holds(h.cond());
        }
      } catch (Failed f) {
        return;
      }
    }
  }

  /** The executor died or hung under an operation of the program ({@link #getCause()}): where, as the program says it. */
  static final class Lost extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String where;

    Lost(String where, RuntimeException cause) {
      super(where + ": " + cause.getMessage(), cause);
      this.where = where;
    }

    /** Where in the program the executor was lost: at its line and call, or before its first line. */
    String where() {
      return where;
    }
  }

  /** The executor met a limit of this machine's: the program cannot run here. */
  private static final class Limit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Limit(String why) {
      super(why, null, false, false);
    }
  }

  /** The first operation that failed ends the program; its step is already recorded. */
  private static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failed() {
      super(null, null, false, false);
    }
  }

  /** The operation of a {@code try} failed: its step is recorded, and {@code result} is what it came to. */
  private static final class Tried extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String result;

    Tried(String result) {
      super(result, null, false, false);
      this.result = result;
    }
  }

  /** A {@code try}'s operation: OK, or the errno or signal it failed with, its step recorded either way. */
  private String attempt(Call c) {
    trying = true;
    try {
      call(c);
      return "OK";
    } catch (Tried t) {
      return t.result;
    } finally {
      trying = false;
    }
  }

  /** A failure of the operation: its step, then the end of the program, or the result of its {@code try}. */
  private RuntimeException failed(Call c, String outcome, Reply r) {
    steps.add(step(c, outcome, r));
    return trying ? new Tried(outcome) : new Failed();
  }

  private boolean holds(Cond c) {
    return values.holds(c, this::call);
  }

  private Object call(Call c) {
    current = c;
    callStart = nanos;
    scaffoldStart = scaffold;
    List<Arg> a = c.args();
    // The machine's operations (files) go to the executor's main process, under any process's number.
    int p = c.receiver() == null || c.receiver().equals("gpu") ? 0 : (Integer) values.get(c.receiver());
    if (standIn.contains(p) && LOCKING.contains(c.op())) {
      lockStandIn.add(steps.size());
    }
    switch (c.op()) {
      case FILE, TMPFILE, MEMFD -> {
        int kind = c.op() == Op.FILE ? DISK : c.op() == Op.TMPFILE ? TMPFS : MEMFD;
        long seed = c.op() == Op.FILE ? values.num(a, 2) : 0;
        int flags = c.op() == Op.MEMFD && a.size() > 2 ? Programs.word(c.op(), 2, values.word(a, 2)) : 0;
        Reply r = checked(c, 0, "file_new " + kind + " " + values.num(a, 1) + " " + seed + (flags != 0 ? " " + flags : ""));
        return record(c, new RealFile(r.value()), "ok", r);
      }
      case FALLOCATE -> {
        return record(c, null, "ok", checked(c, 0, "fallocate " + file(a, 0).number() + " " + values.num(a, 1)));
      }
      case ALIGN_DOWN -> {
        // The program's own arithmetic: nothing to ask the kernel.
        long align = values.num(a, 1);
        if (Long.bitCount(align) != 1) {
          throw failed(c, Errno.EINVAL.name(), null);
        }
        return record(c, values.addr(a, 0) & -align, "ok", null);
      }
      case FILE_SEES -> {
        Reply r = checked(c, 0, "file_sees " + file(a, 0).number() + " " + values.num(a, 1) + " " + values.num(a, 2));
        return record(c, r.value() == 1, null, r);
      }
      case TRUNCATE -> {
        return record(c, null, "ok", checked(c, 0, "truncate " + file(a, 0).number() + " " + values.num(a, 1)));
      }
      case PIN, PIN_FAST -> {
        // gup_test's PIN_LONGTERM_TEST_START: USE_WRITE 1, USE_FAST 2.
        int flags = (values.word(a, 2).contains("FOLL_WRITE") ? 1 : 0) | (c.op() == Op.PIN_FAST ? 2 : 0);
        Reply r = checked(c, p, "gup_pin " + values.addr(a, 0) + " " + values.num(a, 1) + " " + flags);
        return record(c, new Handle(p, r.value(), values.num(a, 1)), "ok", r);
      }
      case IOURING_SETUP -> {
        return record(c, null, "ok", checked(c, p, "iouring_setup"));
      }
      case IOURING_REGISTER -> {
        Reply r = checked(c, p, "userptr longterm " + values.addr(a, 0) + " " + values.num(a, 1));
        return record(c, new Handle(p, r.value(), values.num(a, 1)), "ok", r);
      }
      case CLEAR_SOFT_DIRTY -> {
        return record(c, null, "ok", checked(c, p, "clear_refs 4"));
      }
      case COMPACT -> {
        return record(c, null, "ok", checked(c, 0, "compact"));
      }
      case SEND_DRM -> {
        int q = (Integer) values.get(((Program.Ref) a.get(0)).name());
        Integer app = drm(c, p);
        if (!alive.contains(q)) {
          throw failed(c, Errno.ESRCH.name(), null);
        }
        appOf.put(q, app);
        holders.get(app).add(q);
        return record(c, null, "ok", null);
      }
      case CLOSE_DRM -> {
        drm(c, p);
        dropDrm(p, false);
        return record(c, null, "ok", null);
      }
      case CLOEXEC_DRM -> {
        drm(c, p);
        cloexec.add(p);
        return record(c, null, "ok", null);
      }
      case VMSPLICE -> {
        Reply r = checked(c, p, "vmsplice " + values.addr(a, 0) + " " + values.num(a, 1));
        return record(c, new Handle(p, r.value(), values.num(a, 1)), "ok", r);
      }
      case PINNED_SEES -> {
        Handle h = handle(a, 0);
        if (released.contains(h)) {
          throw failed(c, Errno.EINVAL.name(), null);
        }
        Reply r = send(h.owner(), "gpu_sees " + h.obj() + " 0 " + h.size() + " " + values.num(a, 1) + " 0");
        noObject(c, r);
        return record(c, r.ok() && r.value() == 1, null, r);
      }
      case RELEASE -> {
        Handle h = handle(a, 0);
        if (!released.add(h)) {
          throw failed(c, Errno.EINVAL.name(), null);
        }
        return record(c, null, "ok", checked(c, h.owner(), "close " + h.obj()));
      }
      case ZERO, SWAPPED, VMA_FLAG, POPULATED -> {
        String command = c.op() == Op.VMA_FLAG ? "vma_flag " + values.addr(a, 0) + " " + values.word(a, 1)
            : c.op() == Op.POPULATED ? "populated " + values.addr(a, 0)
            : c.op().word() + " " + values.addr(a, 0) + " " + values.num(a, 1);
        Reply r = checked(c, p, command);
        return record(c, r.value() == 1, null, r);
      }
      case APP -> {
        int id = spawn();
        // As the model's graphics program: RLIMIT_MEMLOCK of 1 GiB, as GPU users are set up, and
        // no CAP_IPC_LOCK; where the limit cannot be raised here, CAP_IPC_LOCK stands in for it.
        if (send(id, "setrlimit_memlock " + (1L << 30)).ok()) {
          send(id, "capability " + CAPABILITIES.get("CAP_IPC_LOCK") + " 0");
        } else {
          standIn.add(id);
        }
        appOf.put(id, id);
        holders.put(id, new java.util.ArrayList<>(List.of(id)));
        return record(c, id, "ok", null);
      }
      case SPAWN -> {
        int id = spawn();
        send(id, "capability " + CAPABILITIES.get("CAP_IPC_LOCK") + " 0");
        return record(c, id, "ok", null);
      }
      case FORK -> {
        int id = processes++;
        checked(c, p, "fork " + id);
        alive.add(id);
        if (standIn.contains(p)) {
          standIn.add(id);
        }
        // The child's file table holds the parent's DRM file, with its close-on-exec flag.
        if (appOf.containsKey(p)) {
          appOf.put(id, appOf.get(p));
          holders.get(appOf.get(p)).add(id);
          if (cloexec.contains(p)) {
            cloexec.add(id);
          }
        }
        return record(c, id, "ok", null);
      }
      case SETRLIMIT_MEMLOCK, SETRLIMIT_MEMLOCK_DEFAULT -> {
        Reply r = checked(c, p, command(c));
        if (standIn.remove(p)) {
          r = checked(c, p, "capability " + CAPABILITIES.get("CAP_IPC_LOCK") + " 0");
        }
        return record(c, null, "ok", r);
      }
      case CAPABILITY -> {
        standIn.remove(p);
        return record(c, null, "ok", checked(c, p, command(c)));
      }
      case EXEC -> {
        send(p, "exec");
        if (appOf.containsKey(p) && cloexec.contains(p)) {
          dropDrm(p, true);
        }
        return record(c, null, "ok", null);
      }
      case EXIT -> {
        send(p, "exit");
        alive.remove(p);
        if (appOf.containsKey(p)) {
          dropDrm(p, true);
        }
        return record(c, null, "ok", null);
      }
      case ALIVE -> {
        return record(c, alive.contains(p), null, null);
      }
      case PROMISES -> {
        return record(c, contract.promises(Promise.valueOf(values.word(a, 0))), null, null);
      }
      case READABLE -> {
        Reply r = send(p, "readable " + values.addr(a, 0));
        return record(c, r.ok(), null, r);
      }
      case GPU_SEES, GPU_SEES_AT -> {
        Handle h = handle(a, 0);
        long from = c.op() == Op.GPU_SEES ? 0 : values.num(a, 1);
        long len = c.op() == Op.GPU_SEES ? h.size() : values.num(a, 2);
        long seed = c.op() == Op.GPU_SEES ? values.num(a, 1) : values.num(a, 3);
        long pos = c.op() == Op.GPU_SEES ? 0 : values.num(a, 4);
        Reply r = send(h.owner(), "gpu_sees " + h.obj() + " " + from + " " + len + " " + seed + " " + pos);
        noObject(c, r);
        // A GPU job that failed reads as false, as the model's does.
        return record(c, r.ok() && r.value() == 1, null, r);
      }
      case GPU_WRITE -> {
        Handle h = handle(a, 0);
        if (readOnlyObjects.contains(h)) {
          // The driver maps a READ_ONLY object read-only for the GPU: the job fails, as on the model.
          return record(c, false, null, null);
        }
        Reply r = send(h.owner(), "gpu_write " + h.obj() + " " + values.num(a, 1));
        return record(c, r.ok(), null, r);
      }
      case USERPTR -> {
        Integer app = drm(c, p);
        Reply r = checked(c, p, "userptr " + analogue + " " + values.addr(a, 0) + " " + values.num(a, 1)
            + (readOnly(c) ? " 1" : ""));
        Handle h = new Handle(p, r.value(), values.num(a, 1));
        objectsOf.computeIfAbsent(app, k -> new java.util.LinkedHashSet<>()).add(h);
        if (readOnly(c)) {
          readOnlyObjects.add(h);
        }
        return record(c, h, "ok", r);
      }
      case CLOSE -> {
        Handle h = handle(a, 0);
        drm(c, p);
        objectsOf.values().forEach(o -> o.remove(h));
        return record(c, null, "ok", checked(c, h.owner(), "close " + h.obj()));
      }
      case CLOSE_FILE -> {
        Handle h = handle(a, 0);
        return record(c, null, "ok", checked(c, h.owner(), "close_all"));
      }
      case SEES, SEES_AT -> {
        long pos = c.op() == Op.SEES ? 0 : values.num(a, 3);
        Reply r = checked(c, p, "sees " + values.addr(a, 0) + " " + values.num(a, 1) + " " + values.num(a, 2) + " " + pos);
        return record(c, r.value() == 1, null, r);
      }
      case FREE -> {
        Reply r = checked(c, p, "free " + values.addr(a, 0));
        return record(c, true, null, r);
      }
      case REPORT_SWAPPED, REPORT_RESIDENT, REPORT_HELD, REPORT_VMA_LOCKED, REPORT_MEMLOCK -> {
        // The harness's own observations: nothing happens in the program.
        return record(c, null, "ok", checked(c, p, "status"));
      }
      case REPORT_LEAKS -> {
        return record(c, null, "ok", null);
      }
      case RECLAIM -> {
        // Every page reclaim can take: each live process pages its own VMAs out (the executor's own memory aside).
        for (int id : new java.util.TreeSet<>(alive)) {
          checked(c, id, "reclaim");
        }
        return record(c, null, "ok", null);
      }
      default -> {
        Reply r = checked(c, p, command(c));
        return record(c, c.op().result().isPresent() ? (Object) r.value() : null, "ok", r);
      }
    }
  }

  /** The executor's command for an operation that maps one to one onto a system call. */
  private String command(Call c) {
    List<Arg> a = c.args();
    return switch (c.op()) {
      case SETRLIMIT_MEMLOCK -> "setrlimit_memlock " + values.num(a, 0) + " " + values.num(a, a.size() > 1 ? 1 : 0);
      case SETRLIMIT_MEMLOCK_DEFAULT -> "setrlimit_memlock " + KernelConfig.host().defaultMemlockLimit();
      case CAPABILITY -> "capability " + CAPABILITIES.get(values.word(a, 0)) + " " + (values.word(a, 1).equals("on") ? 1 : 0);
      case MALLOC -> "malloc " + values.num(a, 0);
      case MEMALIGN -> "memalign " + values.num(a, 0) + " " + values.num(a, 1);
      case MMAP -> "mmap " + values.num(a, 0) + " " + Programs.word(c.op(), 1, values.word(a, 1)) + " " + Programs.word(c.op(), 2, values.word(a, 2));
      case MUNMAP -> "munmap " + values.addr(a, 0) + " " + values.num(a, 1);
      case MMAP_AT -> "mmap_at " + values.addr(a, 0) + " " + values.num(a, 1) + " " + Programs.word(c.op(), 2, values.word(a, 2))
          + " " + Programs.word(c.op(), 3, values.word(a, 3));
      case MREMAP, MREMAP_TO -> "mremap " + values.addr(a, 0) + " " + values.num(a, 1) + " " + values.num(a, 2) + " "
          + Programs.word(c.op(), 3, values.word(a, 3)) + (c.op() == Op.MREMAP_TO ? " " + values.addr(a, 4) : "");
      case MMAP_FILE -> "mmap_file " + file(a, 0).number() + " " + values.num(a, 1) + " "
          + Programs.word(c.op(), 2, values.word(a, 2)) + " " + Programs.word(c.op(), 3, values.word(a, 3));
      case READ_DIRECT -> "read_direct " + file(a, 0).number() + " " + values.addr(a, 1) + " " + values.num(a, 2);
      case VM_RSS -> "vm 0";
      case VM_LCK -> "vm 1";
      case VM_PIN -> "vm 2";
      case FRAME -> "frame " + values.addr(a, 0);
      case MAPCOUNT -> "mapcount " + values.addr(a, 0);
      case ANON_HUGE -> "anon_huge " + values.addr(a, 0);
      case SBRK -> "sbrk " + values.num(a, 0);
      case MPROTECT -> "mprotect " + values.addr(a, 0) + " " + values.num(a, 1) + " " + Programs.word(c.op(), 2, values.word(a, 2));
      case MADVISE -> "madvise " + values.addr(a, 0) + " " + values.num(a, 1) + " " + Programs.word(c.op(), 2, values.word(a, 2));
      case MLOCK -> "mlock " + values.addr(a, 0) + " " + values.num(a, 1);
      case MLOCK2 -> "mlock2 " + values.addr(a, 0) + " " + values.num(a, 1) + " " + Programs.word(c.op(), 2, values.word(a, 2));
      case MUNLOCK -> "munlock " + values.addr(a, 0) + " " + values.num(a, 1);
      case MLOCKALL -> "mlockall " + Programs.word(c.op(), 0, values.word(a, 0));
      case MUNLOCKALL -> "munlockall";
      case FILL -> "fill " + values.addr(a, 0) + " " + values.num(a, 1) + " " + values.num(a, 2);
      case STORE -> "store " + values.addr(a, 0) + " " + (values.num(a, 1) & 0xff);
      case MEMCPY -> "memcpy " + values.addr(a, 0) + " " + values.addr(a, 1) + " " + values.num(a, 2);
      case FRAGMENT -> "fragment " + values.addr(a, 0) + " " + values.num(a, 1);
      default -> throw new IllegalStateException(c.op() + " has no command: notRunnable should have said so");
    };
  }

  private int spawn() {
    int id = processes++;
    send(id, "spawn");
    alive.add(id);
    return id;
  }

  private Reply send(int process, String command) {
    Reply r;
    try {
      r = session.send(process + " " + command);
    } catch (RuntimeException e) {
      throw new Lost(current == null ? "before the program's first line" : String.format("at line %d (%s)", line,
          Printer.call(current)), e);
    }
    nanos += r.nanos();
    scaffold += r.scaffoldNanos();
    if (!r.ok() && r.origin() == Reply.Origin.LIMIT) {
      throw new Limit(String.format("executor limit: line %d (%s): %s failed with %s%s", line, Printer.call(current), r.call(),
          errnoName(r.errno()), hint(r)));
    }
    if (!r.ok() && r.origin() == Reply.Origin.ANALOGUE) {
      // The operation's step is the analogue's failure, and the program ends there, as at any failure.
      analogueFailed = String.format("line %d (%s): %s", line, Printer.call(current), analogueFailure(r));
      steps.add(step(current, errnoName(r.errno()), r));
      throw new Failed();
    }
    return r;
  }

  /** Why the analogue failed where the model's operation need not. */
  private String analogueFailure(Reply r) {
    return switch (r.call()) {
      case "own memory" -> "the range reaches the executor's own memory (its code, libc, ld.so or stack), which the model's "
          + "process does not have";
      case "free" -> "glibc's free(3) aborts on a pointer this process's malloc did not hand out, or has taken back";
      default -> String.format("%s, the %s strategy's analogue, failed with %s, a call the driver's ioctl does not make", r.call(),
          strategy, errnoName(r.errno()));
    };
  }

  /** What the executor ran out of, where the call and errno say it. */
  private static String hint(Reply r) {
    return switch (r.errno()) {
      case 24 -> " (more files than this machine lets a process open: an object of the pin analogues holds a pipe per "
          + "pipe-max-size bytes)";
      case 23 -> " (more files than this machine lets all processes open)";
      case 11 -> " (more processes than this machine lets a user have)";
      case 1 -> r.call().equals("F_SETPIPE_SZ") ? " (more pipe pages than fs.pipe-user-pages-soft lets a user have)" : "";
      case 12 -> " (out of memory)";
      default -> "";
    };
  }

  /** Sends a command; a failure is recorded as the operation's step and ends the program. */
  /** The DRM file {@code p} calls an ioctl through; EBADF, as the step, where it holds none (spawned, or closed it). */
  private Integer drm(Call c, int p) {
    if (!appOf.containsKey(p)) {
      throw failed(c, Errno.EBADF.name(), null);
    }
    return appOf.get(p);
  }

  /**
   * One of {@code p}'s descriptors goes, or ({@code all}) every one; with the last reference the file's
   * objects are closed, as drm_release closes them.
   */
  private void dropDrm(int p, boolean all) {
    Integer app = appOf.get(p);
    List<Integer> held = holders.get(app);
    if (all) {
      held.removeIf(h -> h == p);
    } else {
      held.remove(Integer.valueOf(p));
    }
    if (!held.contains(p)) {
      appOf.remove(p);
      cloexec.remove(p);
    }
    if (held.isEmpty()) {
      for (Handle h : objectsOf.getOrDefault(app, java.util.Set.of())) {
        send(h.owner(), "close " + h.obj());
      }
      objectsOf.remove(app);
    }
  }

  private Reply checked(Call c, int process, String command) {
    Reply r = send(process, command);
    if (!r.ok()) {
      throw failed(c, r.signal() != 0 ? "SIG" + signalName(r.signal()) : errnoName(r.errno()), r);
    }
    return r;
  }

  /** A GPU read of an object the program closed fails with ENOENT and ends the program, as on the model. */
  /** The call's own failures, before any job: a handle the file lacks (ENOENT), a range outside the object (EINVAL). */
  private void noObject(Call c, Reply r) {
    if (!r.ok() && (r.errno() == Errno.ENOENT.value() || r.errno() == Errno.EINVAL.value())) {
      throw failed(c, errnoName(r.errno()), r);
    }
  }

  private Object record(Call c, Object value, String outcome, Reply r) {
    if (r != null && r.displaced() && displaced == null) {
      displaced = new Trace.Displaced(steps.size(), String.format("line %d (%s)", line, Printer.call(c)));
    }
    steps.add(step(c, outcome != null ? outcome : Step.outcome(value), r));
    return value;
  }

  private Step step(Call c, String outcome, Reply r) {
    return new Step(line, Printer.call(c), outcome, r == null ? -1 : r.vmlckKb(), r == null ? -1 : r.vmpinKb(), nanos - callStart,
        scaffold - scaffoldStart);
  }

  private static String errnoName(int errno) {
    for (Errno e : Errno.values()) {
      if (e.value() == errno) {
        return e.name();
      }
    }
    // The executor's own limits, which the model's calls never answer.
    return switch (errno) {
      case 5 -> "EIO";
      case 9 -> "EBADF";
      case 75 -> "EOVERFLOW";
      case 95 -> "EOPNOTSUPP";
      case 23 -> "ENFILE";
      case 24 -> "EMFILE";
      case 27 -> "EFBIG";
      default -> "errno " + errno;
    };
  }

  private static String signalName(int signal) {
    return switch (signal) {
      case 11 -> "SEGV";
      case 7 -> "BUS";
      case 6 -> "ABRT";
      case 9 -> "KILL";
      default -> Integer.toString(signal);
    };
  }

  private Handle handle(List<Arg> a, int i) {
    return values.ref(a, i, Handle.class);
  }

  private RealFile file(List<Arg> a, int i) {
    return values.ref(a, i, RealFile.class);
  }
}
