package org.userptrlab.examples.scenarios;

import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.harness.ScenarioRun;
import org.userptrlab.mm.Vma;

/**
 * "i am not sure of what happen to the vma on next malloc if it grows or not": a small buffer from
 * the brk heap is imported, then the program keeps allocating and the heap grows.
 */
public final class HeapGrowth implements Scenario {
  static final long SIZE = 64 << 10;

  @Override
  public String name() {
    return "heap-growth";
  }

  @Override
  public String description() {
    return "import a 64 KiB heap buffer, then malloc() 2 MiB more in small blocks so brk grows the heap";
  }

  @Override
  public void run(ScenarioRun run) {
    App app = new App(run, "app");
    long buf = app.mallocFilled(SIZE, 1);
    int h = app.userptr(buf, SIZE);
    int before = heapVmas(app);
    long[] blocks = new long[256];
    boolean allocated = true;
    for (int i = 0; i < blocks.length; i++) {
      blocks[i] = app.p.malloc(8 << 10);
      allocated &= blocks[i] != 0;
      if (blocks[i] != 0) {
        app.p.fill(blocks[i], 8 << 10, 100 + i);
      }
    }
    int after = heapVmas(app);
    if (after > before) {
      run.hazard(HazardKind.HEAP_SPLIT, "the heap grew as " + after + " VMAs instead of " + before + ": brk could not extend the imported buffer's VMA");
    }
    if (!allocated) {
      run.hazard(HazardKind.MALLOC_FAILED, "malloc() failed while the heap was imported");
    }
    run.expect(Promise.GPU_SEES_IMPORTED_BYTES, "GPU sees the imported heap buffer", app.gpuSees(h, 1));
    run.expect(Promise.BYTES_OUTSIDE_RANGE_KEPT, "the later heap blocks hold what was written",
        app.p.matches(blocks[blocks.length - 1], 8 << 10, 100 + blocks.length - 1));
    app.gemClose(h);
    for (long b : blocks) {
      app.free(b);
    }
    app.free(buf);
    app.end();
  }

  private static int heapVmas(App app) {
    int n = 0;
    for (Vma v : app.p.vmas()) {
      if (v.start() >= app.p.heapStart() && v.end() <= ((app.p.currentBrk() + 4095) & -4096L) && v.isAnonymous()) {
        n++;
      }
    }
    return n;
  }
}
