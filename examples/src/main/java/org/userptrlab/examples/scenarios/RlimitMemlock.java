package org.userptrlab.examples.scenarios;

import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.mm.MmException;
import org.userptrlab.mm.Mman;
/**
 * "you don't check at all that process don't go over the limit of locked page": an unprivileged
 * program with the default RLIMIT_MEMLOCK imports 16 MiB. Who charges what against the limit? Then
 * the program munlocks the range, as a program that locks its own buffers does before freeing
 * them: mlock_fixup subtracts from locked_vm whatever it unlocks, charged or not, so pages a driver
 * locked without charging take locked_vm below zero, where the unsigned long wraps, and the next
 * mlock passes RLIMIT_MEMLOCK's check with room to spare.
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
    long dflt = app.m.kernelConfig().defaultMemlockLimit();
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
    app.p.munlock(buf, size());
    long lockedVm = app.p.lockedVm();
    if (lockedVm < 0) {
      // do_mlock adds the request to locked_vm in unsigned arithmetic: a request of at least the
      // wrapped amount comes back around, up to the limit on top of it.
      long over = (limit - lockedVm) << 12;
      long extra = app.p.mmap(0, over, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
      String outcome;
      try {
        app.p.mlock(extra, over);
        outcome = "succeeds";
      } catch (MmException e) {
        outcome = "fails (" + e.getMessage() + ")";
      }
      app.run.hazard(HazardKind.LOCKED_VM_WRAPPED, String.format("after the program's munlock of the range locked_vm is %s pages "
          + "(%d below zero, wrapped); an mlock of %d pages, over RLIMIT_MEMLOCK of %d, then %s",
          Long.toUnsignedString(lockedVm), -lockedVm, limit - lockedVm, limit, outcome));
      app.p.munmap(extra, over);
    }
  }
}
