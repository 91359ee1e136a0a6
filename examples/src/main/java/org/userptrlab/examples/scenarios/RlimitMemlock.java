package org.userptrlab.examples.scenarios;

import org.userptrlab.core.harness.HazardKind;
/**
 * "you don't check at all that process don't go over the limit of locked page": an unprivileged
 * program with the default RLIMIT_MEMLOCK imports 16 MiB. Who charges what against the limit?
 */
public final class RlimitMemlock extends HazardScenario {
  @Override
  public String name() {
    return "rlimit-memlock";
  }

  @Override
  public String description() {
    return "an unprivileged program (default RLIMIT_MEMLOCK, no CAP_IPC_LOCK) imports 16 MiB";
  }

  @Override
  long size() {
    return 16L << 20;
  }

  @Override
  long allocate(App app) {
    long dflt = app.m.era().defaultMemlockLimit();
    app.p.setrlimitMemlock(dflt, dflt);
    return super.allocate(app);
  }

  @Override
  void hazard(App app, long buf, int handle) {
    long limit = app.p.memlockLimit() >>> 12;
    long locked = app.lockedVmaPages();
    if (locked > limit) {
      app.run.hazard(HazardKind.RLIMIT_MEMLOCK_BYPASS, String.format("%d pages are VM_LOCKED past RLIMIT_MEMLOCK of %d pages, %d of them charged to locked_vm",
          locked, limit, app.p.lockedVm()));
    }
    if (app.p.pinnedVm() > limit) {
      app.run.hazard(HazardKind.PINNED_VM_OVER_LIMIT, "pinned_vm of " + app.p.pinnedVm() + " pages is over RLIMIT_MEMLOCK of " + limit);
    }
  }
}
