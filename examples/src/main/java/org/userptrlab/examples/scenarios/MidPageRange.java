package org.userptrlab.examples.scenarios;

import org.userptrlab.core.spi.Promise;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.harness.ScenarioRun;

/**
 * A range that starts and ends in the middle of pages ("make sure you only unmap fully covered
 * page and that you copy non fully covered page"): the program's bytes just outside it, on the
 * same pages, must survive, and so must malloc's chunk header.
 */
public final class MidPageRange implements Scenario {
  static final long SIZE = 256 << 10;
  static final long SKIP = 1000;

  @Override
  public String name() {
    return "mid-page-range";
  }

  @Override
  public java.util.Set<Promise> needs() {
    return java.util.EnumSet.of(Promise.GPU_SEES_IMPORTED_BYTES, Promise.BYTES_OUTSIDE_RANGE_KEPT);
  }

  @Override
  public String description() {
    return "import [buf + 1000, buf + 256 KiB - 1000) of a malloc()ed buffer: both ends mid-page";
  }

  @Override
  public void run(ScenarioRun run) {
    App app = new App(run, "pixman");
    long buf = app.mallocFilled(SIZE, 7);
    long start = buf + SKIP;
    long len = SIZE - 2 * SKIP;
    int h = app.userptr(start, len);
    run.expect(Promise.GPU_SEES_IMPORTED_BYTES, "GPU sees the range", app.gpuSees(h, 0, len, 7, SKIP));
    boolean outside = app.p.matches(buf, SKIP, 7) && app.p.matches(start + len, SKIP, 7, SKIP + len);
    run.expect(Promise.BYTES_OUTSIDE_RANGE_KEPT, "the 1000 bytes on either side are intact", outside);
    run.expect(Promise.PROGRAM_KEEPS_ITS_BYTES, "the program still reads the range", app.p.matches(start, len, 7, SKIP));
    app.p.fill(start, len, 8);
    run.expect(Promise.GPU_SEES_LATER_CPU_WRITES, "GPU sees the program's later write", app.gpuSees(h, 0, len, 8, 0));
    run.expect(Promise.CPU_SEES_GPU_WRITES, "the program sees the GPU's write", app.gpuWrites(h, 9) && app.p.matches(start, len, 9));
    app.gemClose(h);
    run.expect(Promise.BYTES_OUTSIDE_RANGE_KEPT, "free(buf) found malloc's header intact", app.free(buf));
    app.end();
  }
}
