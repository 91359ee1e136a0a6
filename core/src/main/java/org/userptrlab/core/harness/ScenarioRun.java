package org.userptrlab.core.harness;

import com.google.inject.Injector;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.driver.DriverStats;
import org.userptrlab.core.time.VirtualClock;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.core.spi.UserptrStrategy;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.VmEvent;

/** The context of one scenario under one strategy: its machine and injector, and what it records. */
public final class ScenarioRun {
  private final Injector injector;
  private final Machine machine;
  private final UserptrStrategy strategy;
  private final DriverStats stats;
  private final VirtualClock clock;
  private final List<Check> checks = new ArrayList<>();
  private final List<Hazard> hazards = new ArrayList<>();
  private String skipped;
  private Map<VmEvent, Long> start;
  private long startIoctls;
  private Map<VmEvent, Long> end;
  private long endIoctls;

  ScenarioRun(Injector injector, PlatformProfile timeProfile, boolean keepSpans) {
    this.injector = injector;
    this.machine = injector.getInstance(Machine.class);
    this.strategy = injector.getInstance(UserptrStrategy.class);
    this.stats = injector.getInstance(DriverStats.class);
    this.clock = injector.getInstance(VirtualClock.class);
    clock.price(timeProfile);
    clock.cpus(machine.config().cpus());
    machine.mmapLockContention(clock.mmapLocks());
    if (keepSpans) {
      clock.keepSpans();
    }
    startMeasuring();
  }

  /** The run's virtual time: its threads, the GPU's engines, the fences of its jobs. */
  public VirtualClock clock() {
    return clock;
  }

  public Machine machine() {
    return machine;
  }

  public KernelConfig kernel() {
    return machine.kernelConfig();
  }

  public UserptrStrategy strategy() {
    return strategy;
  }

  /** An object of the run's injector (the DRM device, say), built for this run only. */
  public <T> T get(Class<T> type) {
    return injector.getInstance(type);
  }

  /** Records whether {@code promise} held, as {@code what} describes. */
  public void expect(Promise promise, String what, boolean held) {
    expect(promise, what, held, null);
  }

  /** As {@link #expect(Promise, String, boolean)}, with what a check that did not hold saw ({@link Check#seen}). */
  public void expect(Promise promise, String what, boolean held, String seen) {
    checks.add(new Check(promise, what, held, false, held ? null : seen));
  }

  /** Records whether the program's own check of the kernel held (a selftest's assertion), whatever the strategy. */
  public void check(String what, boolean held) {
    check(what, held, null);
  }

  /** As {@link #check(String, boolean)}, with what a check that did not hold saw ({@link Check#seen}). */
  public void check(String what, boolean held, String seen) {
    checks.add(new Check(null, what, held, false, held ? null : seen));
  }

  /** A check the program expects to fail: {@code what} says what was seen when it did (a selftest's XFAIL). */
  public void checkExpectedToFail(String what, boolean held) {
    checkExpectedToFail(what, held, null);
  }

  /** As {@link #checkExpectedToFail(String, boolean)}, with what the check saw where it did not hold. */
  public void checkExpectedToFail(String what, boolean held, String seen) {
    checks.add(new Check(null, what, held, true, held ? null : seen));
  }

  /** The program skips the rest of its run, neither passing nor failing, for {@code why} (as a selftest skips). */
  public void skip(String why) {
    if (skipped == null) {
      skipped = why;
    }
  }

  /** Records something that went wrong or was ignored that no promise covers (once). */
  public void hazard(HazardKind kind, String detail) {
    Hazard h = new Hazard(kind, detail);
    if (!hazards.contains(h)) {
      hazards.add(h);
    }
  }

  /** Counters and costs are measured from here (the default is the start of the run). */
  public void startMeasuring() {
    start = machine.vmstat().snapshot();
    startIoctls = stats.ioctls();
    end = null;
  }

  /** Counters and costs are measured up to here (the default is the end of the run). */
  public void stopMeasuring() {
    end = machine.vmstat().snapshot();
    endIoctls = stats.ioctls();
  }

  boolean isRefusal(RuntimeException e) {
    return stats.isRefusal(e);
  }

  List<Check> checks() {
    return checks;
  }

  String skipped() {
    return skipped;
  }

  List<Hazard> hazards() {
    return hazards;
  }

  Map<VmEvent, Long> delta() {
    Map<VmEvent, Long> to = end != null ? end : machine.vmstat().snapshot();
    Map<VmEvent, Long> d = new EnumMap<>(VmEvent.class);
    for (VmEvent e : VmEvent.values()) {
      d.put(e, to.get(e) - start.get(e));
    }
    return d;
  }

  long ioctls() {
    return (end != null ? endIoctls : stats.ioctls()) - startIoctls;
  }
}
