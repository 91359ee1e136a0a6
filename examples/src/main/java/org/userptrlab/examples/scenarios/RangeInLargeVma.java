package org.userptrlab.examples.scenarios;

import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.harness.ScenarioRun;
import org.userptrlab.mm.MachineConfig;

/**
 * "the userptr you get might be inside say 16M vma and you only care about 1M": the program
 * imports 1 MiB from the middle of a 16 MiB allocation, then uses the rest of it. How much stays
 * resident when memory runs short?
 */
public final class RangeInLargeVma implements Scenario {
  static final long VMA = 16L << 20;
  static final long RANGE = 1L << 20;

  @Override
  public String name() {
    return "1mib-in-16mib-vma";
  }

  @Override
  public String description() {
    return "import 1 MiB from the middle of a 16 MiB malloc(), then touch the other 15 MiB and reclaim everything possible";
  }

  @Override
  public MachineConfig.Builder machine(MachineConfig.Builder defaults) {
    return defaults.swap(64L << 20);
  }

  @Override
  public void run(ScenarioRun run) {
    App app = new App(run, "app");
    long buf = app.p.malloc(VMA);
    long start = (buf + VMA / 2) & -4096L;
    app.p.fill(start, RANGE, 1);
    int h = app.userptr(start, RANGE);
    app.p.fill(buf, start - buf, 8);
    app.p.fill(start + RANGE, buf + VMA - start - RANGE, 8);
    long locked = app.lockedVmaPages();
    if (locked > RANGE >>> 12) {
      run.hazard(HazardKind.WHOLE_VMA_LOCKED, String.format("%d pages are VM_LOCKED for a %d-page import", locked, RANGE >>> 12));
    }
    app.m.kernel().reclaim((int) app.m.totalPages());
    long outside = (VMA - RANGE) >>> 12;
    long stayed = outside - app.swappedPages(buf, start - buf) - app.swappedPages(start + RANGE, buf + VMA - start - RANGE);
    if (stayed > 16) {
      run.hazard(HazardKind.PAGES_UNRECLAIMABLE, stayed + " of the " + outside + " pages outside the range could not be reclaimed");
    }
    run.expect(Promise.GPU_SEES_IMPORTED_BYTES, "GPU sees the imported MiB", app.gpuSees(h, 1));
    app.gemClose(h);
    run.expect(Promise.BYTES_OUTSIDE_RANGE_KEPT, "the rest of the allocation kept its bytes",
        app.p.matches(buf, start - buf, 8) && app.free(buf));
    app.end();
  }
}
