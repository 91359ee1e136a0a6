package org.userptrlab.core.time;

import com.google.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.userptrlab.core.cost.CostModel;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.driver.DriverStats;
import org.userptrlab.core.inject.RunScoped;
import org.userptrlab.mm.VmEvent;
import org.userptrlab.mm.VmStat;

/**
 * A run's virtual time, as a discrete-event simulation run in the model's one thread of control.
 * Every actor (a CPU thread, a GPU engine, a kernel worker) has its own time; the schedule decides
 * which actor's step the model performs next, and that step starts no earlier than the one before
 * it started ({@link #begin}), so the schedule is the order in which steps start. A call's time is
 * what the memory manager counted during it, priced under the run's profile, plus what it waited
 * for; a GPU job's end is a {@link DmaFence} that signals, running the job's end, when the time of
 * the step that follows passes it, or earlier in the model's order when a step waits for it.
 */
@RunScoped
public final class VirtualClock {
  private final VmStat vmstat;
  private final DriverStats driver;
  private PlatformProfile profile = Profiles.EPYC_GUEST;
  private final List<Actor> actors = new ArrayList<>();
  private final Map<String, Actor> byName = new HashMap<>();
  private final PriorityQueue<DmaFence> pending =
      new PriorityQueue<>((a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : Long.compare(a.order, b.order));
  private final Map<String, long[]> seqnos = new HashMap<>();
  private Actor current;
  private long frontier;
  private long fences;
  // The call in progress: its kind, the counters and ioctls at its start, when it started, what it waited.
  private final long[] before = new long[VmStat.size()];
  private final long[] after = new long[VmStat.size()];
  /** The counters a call's price depends on, by ordinal: only these are read at each call. */
  private static final int PGFAULT = VmEvent.PGFAULT.ordinal();
  private static final int[] PRICED = CostModel.PRICED.stream().mapToInt(VmEvent::ordinal).toArray();
  private CallKind call;
  private Actor callActor;
  private long callIoctls;
  private long callStart;
  private long callWaited;
  private final EnumMap<CallKind, long[]> samples = new EnumMap<>(CallKind.class);
  private final int[] counts = new int[CallKind.values().length];
  private final long[] waits = new long[CallKind.values().length];
  private List<Span> spans;
  private int jobs;
  private long busyNs;
  private int retries;
  private int timeouts;
  private int preemptions;
  private int refaults;
  /** The machine's CPUs, once the run says how many; until then a step never waits for one. */
  private Cpus cpus;
  /** The step in progress: its actor, its CPU, and when it started. */
  private Actor stepActor;
  private int stepCpu;
  private long stepStart;
  /** The step's waits, sleeps and disk I/O, start and end: its CPU runs others' steps meanwhile. */
  private long[] stepOff = new long[8];
  private int nStepOff;

  private final MmapLocks mmapLocks = new MmapLocks(this);
  /** Whether {@link #elsewhere} runs its work, and the lock wait and the instants of the chart that work has met so far. */
  private boolean elsewhere;
  private LockWait elsewhereWait;
  private List<Mark> elsewhereMarks;

  @Inject
  VirtualClock(VmStat vmstat, DriverStats driver) {
    this.vmstat = vmstat;
    this.driver = driver;
    this.current = actor("main", Actor.Kind.CPU, "main");
  }

  /** The profile calls are priced under (the run's first profile); set before the run starts. */
  public void price(PlatformProfile profile) {
    this.profile = profile;
  }

  public PlatformProfile profile() {
    return profile;
  }

  /** The machine has {@code count} CPUs for the steps of its threads and kernel workers; set before the run starts. */
  public void cpus(int count) {
    cpus = new Cpus(count);
  }

  /**
   * The schedule's step of the current actor starts now (after {@link #begin}, once what it needs is
   * ready). A thread whose line before ended running on a CPU that no other step has started on
   * since runs on there; any other takes the first CPU idle then, or waits on the run queue for the
   * first to go idle ({@code waits for a CPU}: the scheduler's, no stall of the kernel's). The step
   * keeps its CPU to its end but for its waits, sleeps and disk I/O, which leave it to others. Two
   * simplifications: a thread woken inside its line (an invalidation's wait ended) goes on at once on
   * its CPU, even where another line has taken that CPU meanwhile, and the scheduler's time slices,
   * which would share a CPU between two long lines, are not modelled.
   */
  public void stepStarted() {
    if (cpus == null) {
      return;
    }
    Actor a = current;
    if (a.cpu >= 0 && a.ranUntil == a.time && !cpus.takenSince(a.cpu, a.time)) {
      stepCpu = a.cpu;
    } else {
      long idle = cpus.firstIdle(a.time, frontier);
      stepCpu = cpus.chosen();
      until(idle, "waits for a CPU", false, SpanKind.RUNNABLE);
    }
    stepActor = current;
    stepStart = current.time;
    cpus.started(stepCpu, stepStart);
    nStepOff = 0;
  }

  /** Every fence due by the current actor's time signals (what a commit just queued may already have ended). */
  public void signalDue() {
    signalUpTo(current.time);
  }

  /** The step in progress has ended: its CPU ran it from its start to now, but for its waits, sleeps and disk I/O. */
  public void stepEnded() {
    Actor a = stepActor;
    stepActor = null;
    if (a == null) {
      return;
    }
    long from = stepStart;
    for (int i = 0; i < nStepOff; i += 2) {
      cpus.busy(stepCpu, from, stepOff[i]);
      from = stepOff[i + 1];
    }
    cpus.busy(stepCpu, from, a.time);
    // Running at its end, it keeps its CPU for its next line; ended asleep, it will look for one.
    boolean running = nStepOff == 0 || stepOff[nStepOff - 1] < a.time;
    a.cpu = running ? stepCpu : -1;
    a.ranUntil = a.time;
  }

  /** Keeps every span from now on, for a Gantt chart (off by default: a run that is not drawn keeps none). */
  public void keepSpans() {
    if (spans == null) {
      spans = new ArrayList<>();
    }
  }

  /** The actor called {@code name}, made the first time it is asked for. */
  public Actor actor(String name, Actor.Kind kind, String owner) {
    Actor a = byName.get(name);
    if (a == null) {
      a = new Actor(name, kind, owner, actors.size());
      actors.add(a);
      byName.put(name, a);
    }
    return a;
  }

  /**
   * A new actor, from the current actor's time (pthread_create: the thread exists from then on),
   * called {@code name} or, where an actor has that name already (a name the program set again),
   * {@code name#2}, {@code name#3} and so on.
   */
  public Actor spawn(String name, Actor.Kind kind, String owner) {
    String unique = name;
    for (int n = 2; byName.containsKey(unique); n++) {
      unique = name + "#" + n;
    }
    Actor a = actor(unique, kind, owner);
    a.time = current == null ? 0 : current.time;
    return a;
  }

  /**
   * Makes {@code a} the current actor at its own time, without starting a step of it: to finish
   * what a call of {@code a} that has returned left to do before another actor's step goes on.
   */
  public void resume(Actor a) {
    current = a;
  }

  /** When the latest step started: no step starts before it, so what ended by then has ended for every actor. */
  public long frontier() {
    return frontier;
  }

  /** Of the actors whose owner {@code owner} accepts (a process's threads), the one free last; null if none is. */
  public Actor lastOf(java.util.function.Predicate<String> owner) {
    Actor last = null;
    for (Actor a : actors) {
      if (owner.test(a.owner()) && (last == null || a.time > last.time)) {
        last = a;
      }
    }
    return last;
  }

  /** The actor whose step the model is performing. */
  public Actor current() {
    return current;
  }

  /** The current actor's time, in nanoseconds from the start of the run. */
  public long now() {
    return current.time;
  }

  /**
   * The schedule starts a step of {@code a}: it starts when {@code a} is free, and no earlier than the
   * step before it started; every fence due by then signals first. Returns when it starts.
   */
  public long begin(Actor a) {
    a.time = Math.max(a.time, frontier);
    frontier = a.time;
    current = a;
    signalUpTo(a.time);
    return a.time;
  }

  /**
   * {@code a} (an engine, a kernel worker) is busy for {@code ns} from {@code earliest} or when it is
   * next free, whichever is later, without the schedule starting a step of it; when it starts.
   */
  public long occupy(Actor a, long earliest, long ns, SpanKind kind, String label) {
    long start = Math.max(earliest, a.time);
    a.time = start + ns;
    span(a, kind, start, a.time, label);
    return start;
  }

  /**
   * An instant on the current actor's line of the chart (an invalidation reaching a driver, a retry);
   * one of work {@link #elsewhere} runs is that work's, kept for whoever does it ({@link #markAt}).
   */
  public void mark(SpanKind kind, String label) {
    if (elsewhere) {
      if (elsewhereMarks != null) {
        elsewhereMarks.add(new Mark(kind, label));
      }
      return;
    }
    span(current, kind, current.time, current.time, label);
  }

  /** An instant on {@code a}'s line of the chart at {@code t}: a GPU fault's on the engine whose job took it. */
  public void markAt(Actor a, long t, Mark m) {
    span(a, m.kind(), t, t, m.label());
  }

  /** An instant of the chart, not yet placed on an actor's line. */
  public record Mark(SpanKind kind, String label) {}

  /** A new fence on {@code context}'s timeline that signals at {@code at}, running {@code onSignal} then. */
  public DmaFence fence(String context, long at, Runnable onSignal) {
    long seqno = ++seqnos.computeIfAbsent(context, c -> new long[1])[0];
    DmaFence f = new DmaFence(context, seqno, fences++, at, onSignal);
    pending.add(f);
    return f;
  }

  /**
   * The fence's job is off its engine from now for {@code ns} (preempted, then resumed): the fence
   * signals that much later, and the engine's line of the chart shows the gap.
   */
  public void postpone(DmaFence f, long ns) {
    postpone(f, current.time, ns);
  }

  /** As {@link #postpone(DmaFence, long)}, the job off its engine from {@code now}, when its preemption began. */
  public void postpone(DmaFence f, long now, long ns) {
    stall(f, now, ns, SpanKind.PREEMPTED, "preempted");
  }

  /**
   * The fence's job stops from {@code now} for {@code ns} ({@code kind}: preempted off its engine, or
   * waiting on it, for a GPU page fault), then goes on: the fence signals that much later.
   */
  public void stall(DmaFence f, long now, long ns, SpanKind kind, String why) {
    // A job at its end, or past it, has nothing left to stop.
    if (!f.signaled() && f.at() > now && pending.remove(f)) {
      // Off its engine already: a preemption overlaps the time it is off, and it resumes once both are over; a fault it
      // takes on resuming comes after what it waits for already.
      boolean off = now < f.offUntil;
      long from = off && kind != SpanKind.PREEMPTED ? f.offUntil : now;
      long delay = off && kind == SpanKind.PREEMPTED ? Math.max(0, now + ns - f.offUntil) : ns;
      f.offUntil = off ? f.offUntil + delay : now + ns;
      Actor engine = byName.get(f.context());
      if (engine != null) {
        span(engine, kind, from, from + ns, why);
        if (kind != SpanKind.PREEMPTED) {
          // A job waiting on its engine (for a GPU fault, for mmap_lock) is the engine's wait; one preempted is off it.
          engine.waited(from, from + ns);
        }
        int i = off ? nextJobSpan(f.context(), now) : jobSpan(f.context(), now, false);
        if (i >= 0) {
          Span s = spans.get(i);
          if (off || s.start() == now) {
            // The bar it resumes with (or was to start or resume with now) moves with its fence.
            spans.set(i, new Span(s.actor(), s.actorKind(), s.kind(), s.start() + delay, s.end() + delay, s.label()));
          } else {
            // The job's bar stops here and its rest follows the stall.
            spans.set(i, new Span(s.actor(), s.actorKind(), s.kind(), s.start(), now, s.label()));
            spans.add(new Span(s.actor(), s.actorKind(), s.kind(), now + ns, s.end() + ns, s.label()));
          }
        }
        // The engine is busy that much longer.
        if (engine.time == f.at()) {
          engine.time += delay;
        }
      }
      f.postpone(f.at() + delay);
      pending.add(f);
    }
  }

  /** The index of the engine's first job bar starting after {@code t}, or -1. */
  private int nextJobSpan(String engine, long t) {
    int best = -1;
    if (spans == null) {
      return best;
    }
    for (int k = 0; k < spans.size(); k++) {
      Span s = spans.get(k);
      if (s.actor().equals(engine) && s.kind() == SpanKind.JOB && s.start() > t && (best < 0 || s.start() < spans.get(best).start())) {
        best = k;
      }
    }
    return best;
  }

  /** The index of the engine's last job bar running at {@code t} (or ending there, {@code orEnding}), or -1 (none, or no chart kept). */
  private int jobSpan(String engine, long t, boolean orEnding) {
    if (spans != null) {
      for (int i = spans.size() - 1; i >= 0; i--) {
        Span s = spans.get(i);
        if (s.actor().equals(engine) && s.kind() == SpanKind.JOB && s.start() <= t && (t < s.end() || orEnding && t == s.end())) {
          return i;
        }
      }
    }
    return -1;
  }

  /**
   * The fence's job stopped running at {@code stoppedAt} with {@code left} nanoseconds of its work
   * undone, and ends at {@code endsAt} with {@code errno} (dma_fence_set_error): its queue was killed,
   * as xe_vm_kill kills a long-running VM whose rebind could not fault its pages in again. The work
   * left is not the engine's busy time, and its line of the chart ends where the job stopped.
   */
  public void cutShort(DmaFence f, long stoppedAt, long endsAt, long left, int errno) {
    cutShort(f, stoppedAt, endsAt, left, errno, null);
  }

  /**
   * As {@link #cutShort(DmaFence, long, long, long, int)}, the job waiting on its engine from its stop
   * to its end for {@code waitedFor} (a GPU fault that then failed), drawn there; null where
   * something else is drawn over that time (a preemption).
   */
  public void cutShort(DmaFence f, long stoppedAt, long endsAt, long left, int errno, String waitedFor) {
    if (f.signaled() || endsAt >= f.at() || !pending.remove(f)) {
      return;
    }
    if (waitedFor != null && endsAt > stoppedAt && byName.get(f.context()) != null) {
      span(byName.get(f.context()), SpanKind.GPU_FAULT, stoppedAt, endsAt, waitedFor);
    }
    long planned = f.at();
    f.setError(errno);
    f.advance(endsAt);
    pending.add(f);
    busyNs -= left;
    Actor engine = byName.get(f.context());
    if (engine != null && engine.time == planned) {
      engine.time = Math.max(stoppedAt, endsAt);
    }
    if (spans != null) {
      // Its bar ends where it stopped; the rest a preemption drew after the stop (from endsAt on) goes.
      String label = null;
      // The bar running at the stop, or (after a preemption split it there) the one that ends at it.
      int i = jobSpan(f.context(), stoppedAt, true);
      if (i >= 0) {
        Span s = spans.get(i);
        label = s.label();
        spans.set(i, new Span(s.actor(), s.actorKind(), s.kind(), s.start(), stoppedAt, label + " (killed)"));
      }
      // The preemption the job never came back from ends in its kill: its bar says so, since the job's own ends at the stop.
      for (int k = spans.size() - 1; k >= 0; k--) {
        Span s = spans.get(k);
        if (s.actor().equals(f.context()) && s.kind() == SpanKind.PREEMPTED && s.start() >= stoppedAt && s.start() <= endsAt) {
          spans.set(k, new Span(s.actor(), s.actorKind(), s.kind(), s.start(), s.end(), s.label() + ", then the job was killed"));
          break;
        }
      }
      for (int k = spans.size() - 1; k >= 0; k--) {
        Span s = spans.get(k);
        if (s.actor().equals(f.context()) && s.kind() == SpanKind.JOB && s.start() == endsAt && (label == null || s.label().equals(label))) {
          if (label == null) {
            // Stopped as it started: nothing of it ran, and the mark of the killed job stays where it stopped.
            spans.set(k, new Span(s.actor(), s.actorKind(), s.kind(), stoppedAt, stoppedAt, s.label() + " (killed)"));
          } else {
            spans.remove(k);
          }
          break;
        }
      }
    }
  }

  /**
   * dma_fence_wait: the current actor waits until {@code f}'s time; every fence due by then signals
   * first, in time order. A fence another actor's wait signalled already, earlier in the model's
   * order, still ends at its time: this actor waits for that too. How long it waited, in nanoseconds.
   */
  public long waitFor(DmaFence f, String why) {
    return waitFor(f, why, true);
  }

  private long waitFor(DmaFence f, String why, boolean stall) {
    if (!f.signaled()) {
      // What signals before it may end its job earlier (a killed queue): its time is read again after.
      signalUpTo(f.at());
      pending.remove(f);
      f.signal();
    }
    return until(f.at(), why, stall, stall ? SpanKind.WAIT : SpanKind.SLEEP);
  }

  /** Whether {@code f} has ended by the current actor's time (dma_fence_is_signaled as that actor would see it). */
  public boolean ended(DmaFence f) {
    return f.signaled() && f.at() <= current.time;
  }

  /**
   * The program's own wait for {@code f} (its job, waited for): the current actor's time moves to the
   * fence's, as for {@link #waitFor}, but it is no stall of the kernel's.
   */
  public long await(DmaFence f, String why) {
    return waitFor(f, why, false);
  }

  /** The current actor waits until {@code t} for something the kernel waits for (an invalidation in progress); how long. */
  public long waitUntil(long t, String why) {
    return until(t, why, true, SpanKind.WAIT);
  }

  /** The current actor sleeps until {@code t} (an {@code at} line): no stall; how long. */
  public long sleepUntil(long t, String why) {
    return until(t, why, false, SpanKind.SLEEP);
  }

  private long until(long t, String why, boolean stall, SpanKind kind) {
    long start = current.time;
    if (t <= start) {
      return 0;
    }
    signalUpTo(t);
    current.time = t;
    long waited = t - start;
    if (current == stepActor) {
      offCpu(start, t);
    }
    if (stall) {
      current.waited(start, t);
      callWaited += waited;
    }
    span(current, kind, start, t, why);
    return waited;
  }

  private void signalUpTo(long t) {
    while (!pending.isEmpty() && pending.peek().at() <= t) {
      pending.poll().signal();
    }
  }

  /** Every fence still pending signals, in time order (the end of the run: the GPU finishes its work). */
  public void drain() {
    while (!pending.isEmpty()) {
      pending.poll().signal();
    }
  }

  /** A call of {@code kind} starts on the current actor: the clock reads the counters to price it when it returns. */
  public void enter(CallKind kind) {
    call = kind;
    callActor = current;
    read(before);
    callIoctls = driver.ioctls();
    callStart = current.time;
    callWaited = 0;
  }

  /**
   * The call in progress turns out to be of {@code kind}: a malloc that gave its block a mapping of its
   * own is an mmap (its population under mlockall(MCL_FUTURE) no page faults of the program's).
   */
  public void callIs(CallKind kind) {
    if (call != null) {
      call = kind;
    }
  }

  /**
   * The call returns: the current actor spends what the memory manager counted during it, priced,
   * and its latency (that, with its waits) is kept for its kind. An access's latency is kept per
   * fault it took (what it waited lands on the first), and not at all if it took none; {@link
   * CallKind#OTHER} is not kept. {@code label} names the call on a Gantt chart. Returns the call's
   * time on its actor, its waits included.
   */
  public long leave(java.util.function.Supplier<String> label) {
    if (call == null) {
      return 0;
    }
    read(after);
    double[] ioNs = {0};
    long work = Math.round(CostModel.priceNs(before, after, driver.ioctls() - callIoctls, profile, ioNs));
    current.time += work;
    // The call's disk I/O comes last and leaves the CPU to others.
    long io = Math.min(work, Math.round(ioNs[0]));
    if (current == stepActor && io > 0) {
      offCpu(current.time - io, current.time);
    }
    if (spans != null) {
      span(current, SpanKind.CALL, callStart, current.time, label.get());
    }
    mmapLocks.callReturned(current.time);
    int n = 1;
    if (call == CallKind.PAGE_FAULT) {
      n = (int) Math.min(Integer.MAX_VALUE, after[PGFAULT] - before[PGFAULT]);
    }
    if (call != CallKind.OTHER && n > 0) {
      long each = work / n;
      for (int i = 0; i < n; i++) {
        record(call, each + (i == 0 ? callWaited + work - each * n : 0));
      }
      waits[call.ordinal()] += callWaited;
    }
    call = null;
    return current.time - callStart;
  }

  /** Whether a call of the current actor is in progress (between {@link #enter} and {@link #leave}). */
  boolean inCall() {
    return call != null && current == callActor;
  }

  /** The run's address spaces' mmap_locks: the machine tells them each take, and a call waits for another thread's hold. */
  public org.userptrlab.mm.MmapLockContention mmapLocks() {
    return mmapLocks;
  }

  /**
   * What {@link #elsewhere} ran returned, what its memory-manager work costs under the run's profile, in
   * nanoseconds, what it waited for to take mmap_lock (null if nothing), and the instants of the chart
   * it made (kept only where the run keeps its spans).
   */
  public record Handled<T>(T value, long ns, LockWait lockWait, List<Mark> marks) {}

  /**
   * Runs {@code work}, whose memory-manager work is not the current call's: a GPU page fault the
   * driver's fault handler services while the GPU waits (xe_svm_handle_pagefault), which the job's
   * time takes instead. What it returned, what that work costs, and when it could first take
   * mmap_lock: the handler's worker waits for another thread's writer, the calling thread does not.
   */
  public <T> Handled<T> elsewhere(java.util.function.Supplier<T> work) {
    long[] from = new long[VmStat.size()];
    read(from);
    long ioctls = driver.ioctls();
    long[] to = new long[VmStat.size()];
    LockWait outer = elsewhereWait;
    List<Mark> outerMarks = elsewhereMarks;
    boolean wasElsewhere = elsewhere;
    elsewhere = true;
    elsewhereWait = null;
    elsewhereMarks = spans != null ? new ArrayList<>(1) : null;
    T value;
    LockWait waited;
    List<Mark> marked;
    try {
      value = work.get();
    } finally {
      waited = elsewhereWait;
      marked = elsewhereMarks;
      elsewhere = wasElsewhere;
      elsewhereWait = outer;
      elsewhereMarks = outerMarks;
      read(to);
      if (call != null) {
        for (int e : PRICED) {
          before[e] += to[e] - from[e];
        }
        callIoctls += driver.ioctls() - ioctls;
      }
    }
    return new Handled<>(value, Math.round(CostModel.priceNs(from, to, driver.ioctls() - ioctls, profile)), waited,
        marked == null ? List.of() : List.copyOf(marked));
  }

  /** Whether {@link #elsewhere} is running work that is not the current call's. */
  boolean servicingElsewhere() {
    return elsewhere;
  }

  /** The work {@link #elsewhere} runs could not take a lock before {@code until}: the latest such wait is its. */
  void blockedElsewhere(long until, String what) {
    if (elsewhereWait == null || until > elsewhereWait.until()) {
      elsewhereWait = new LockWait(until, what);
    }
  }

  /** The step in progress is off its CPU over [start, end). */
  private void offCpu(long start, long end) {
    if (nStepOff + 2 > stepOff.length) {
      stepOff = Arrays.copyOf(stepOff, 2 * stepOff.length);
    }
    stepOff[nStepOff++] = start;
    stepOff[nStepOff++] = end;
  }

  private void read(long[] into) {
    for (int e : PRICED) {
      into[e] = vmstat.get(e);
    }
  }

  private void record(CallKind kind, long ns) {
    long[] s = samples.get(kind);
    int i = counts[kind.ordinal()]++;
    if (s == null || i == s.length) {
      s = s == null ? new long[8] : Arrays.copyOf(s, s.length * 2);
      samples.put(kind, s);
    }
    s[i] = ns;
  }

  /** A GPU job of {@code ns} ran (its engine's busy time). */
  public void jobRan(long ns) {
    jobs++;
    busyNs += ns;
  }

  /** A driver found its pages stale after hmm_range_fault (mmu_interval_read_retry) and starts over. */
  public void retried() {
    retries++;
    mark(SpanKind.RETRY, "mmu_interval_read_retry");
  }

  /** A driver gave up after HMM_RANGE_DEFAULT_TIMEOUT of retries (-EBUSY). */
  public void timedOut() {
    timeouts++;
  }

  /** How many times a driver has given up so far. */
  public int timeouts() {
    return timeouts;
  }

  /** A job was preempted off its engine by an invalidation. */
  public void preempted() {
    preemptions++;
  }

  /** A job faulted its pages in again after an invalidation took them. */
  public void refaulted() {
    refaults++;
  }

  /**
   * How long the threads of the process the program calls {@code owner} have waited by the current
   * actor's time: the waits another thread took that reach past it count up to it only.
   */
  public long stalled(String owner) {
    long sum = 0;
    for (Actor a : actors) {
      if (a.kind() == Actor.Kind.CPU && a.owner().equals(owner)) {
        sum += a.waitedBy(current.time);
      }
    }
    return sum;
  }

  /** The run's timing so far. */
  public Timing timing() {
    List<Latency> lat = new ArrayList<>();
    for (CallKind k : CallKind.values()) {
      int n = counts[k.ordinal()];
      if (n > 0) {
        lat.add(Latency.of(k, samples.get(k), n, waits[k.ordinal()]));
      }
    }
    long total = 0;
    List<Timing.ActorTime> times = new ArrayList<>();
    for (Actor a : actors) {
      if (a.time > 0 || a.waited > 0) {
        times.add(new Timing.ActorTime(a.name(), a.kind(), a.owner(), a.time, a.waited));
      }
      total = Math.max(total, a.time);
    }
    return new Timing(total, lat, times, new GpuTiming(jobs, busyNs, retries, timeouts, preemptions, refaults),
        spans == null ? List.of() : spans);
  }

  private void span(Actor a, SpanKind kind, long start, long end, String label) {
    if (spans != null) {
      spans.add(new Span(a.name(), a.kind(), kind, start, end, label));
    }
  }
}
