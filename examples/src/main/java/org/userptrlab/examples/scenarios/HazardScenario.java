package org.userptrlab.examples.scenarios;

import org.userptrlab.core.spi.Promise;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.harness.ScenarioRun;

/**
 * The shape of most hazard scenarios: a program imports a buffer it filled, something happens
 * (the hazard), then the program writes the range and the GPU reads it, and the GPU writes it and
 * the program reads it; each step's outcome is a check. Subclasses say what happens in between.
 */
abstract class HazardScenario implements Scenario {
  /** The buffer the program imports, in bytes. */
  abstract long size();

  /** Allocates the program's buffer (malloc by default). */
  long allocate(App app) {
    return app.p.malloc(size());
  }

  /** The hazard, between the import and the program's later write. */
  abstract void hazard(App app, long buf, int handle);

  @Override
  public void run(ScenarioRun run) {
    App app = new App(run, "app");
    long buf = allocate(app);
    app.p.fill(buf, size(), 1);
    int h = app.userptr(buf, size());
    run.expect(Promise.GPU_SEES_IMPORTED_BYTES, "GPU sees the imported bytes", app.gpuSees(h, 1));
    hazard(app, buf, h);
    afterwards(app, buf, h);
    app.gemClose(h);
    run.expect(Promise.BYTES_OUTSIDE_RANGE_KEPT, "free(buf) found malloc's header intact", app.free(buf));
    app.end();
  }

  /** The program writes, the GPU reads; the GPU writes, the program reads. */
  void afterwards(App app, long buf, int h) {
    app.p.fill(buf, size(), 2);
    app.run.expect(Promise.PROGRAM_KEEPS_ITS_BYTES, "the program reads its own later write", app.p.matches(buf, size(), 2));
    app.run.expect(Promise.GPU_KEEPS_SNAPSHOT, "the GPU still has the imported bytes", app.gpuSees(h, 1));
    app.run.expect(Promise.GPU_SEES_LATER_CPU_WRITES, "the GPU sees the program's later write", app.gpuSees(h, 2));
    if (app.gpuWrites(h, 3)) {
      app.run.expect(Promise.CPU_SEES_GPU_WRITES, "the program reads the GPU's write", app.p.matches(buf, size(), 3));
    }
  }
}
