package org.userptrlab.examples.scenarios;

import org.userptrlab.core.spi.Promise;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.harness.ScenarioRun;

/**
 * The program exits while the object lives on (its DRM file was passed to a compositor): what is
 * left for the GPU, and is everything given back when the object finally goes?
 */
public final class ExitWhileImported implements Scenario {
  static final long SIZE = 1L << 20;

  @Override
  public String name() {
    return "exit-while-imported";
  }

  @Override
  public String description() {
    return "import 1 MiB, the program exits, the compositor holding the object renders it, then closes it";
  }

  @Override
  public void run(ScenarioRun run) {
    App app = new App(run, "app");
    long buf = app.mallocFilled(SIZE, 1);
    int h = app.userptr(buf, SIZE);
    app.p.exit();
    run.expect(Promise.GPU_KEEPS_SNAPSHOT, "after the exit the GPU still has the imported bytes", app.gpuSees(h, 1));
    app.f.close();
    app.reportLeaks();
  }
}
