package org.userptrlab.examples.scenarios;

import java.util.EnumSet;
import java.util.Set;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.harness.ScenarioRun;

/**
 * OpenCL's CL_MEM_USE_HOST_PTR, the thread's second use case: one long-lived buffer that the
 * program and the GPU take turns to write, each expecting to see the other's work.
 */
public final class OpenclHostPtr implements Scenario {
  static final long SIZE = 4L << 20;
  static final int ROUNDS = 4;

  @Override
  public String name() {
    return "opencl-use-host-ptr";
  }

  @Override
  public String description() {
    return "a 4 MiB page-aligned host buffer used for " + ROUNDS + " rounds: the program writes, a kernel reads and writes, the program reads";
  }

  @Override
  public Set<Promise> needs() {
    return EnumSet.of(Promise.GPU_SEES_LATER_CPU_WRITES, Promise.CPU_SEES_GPU_WRITES);
  }

  @Override
  public void run(ScenarioRun run) {
    App app = new App(run, "opencl");
    long buf = app.p.memalign(4096, SIZE);
    app.p.fill(buf, SIZE, 1);
    int h = app.userptr(buf, SIZE);
    for (int i = 0; i < ROUNDS; i++) {
      app.p.fill(buf, SIZE, 10 + i);
      run.expect(Promise.GPU_SEES_LATER_CPU_WRITES, "the GPU saw the program's data in round " + i, app.gpuSees(h, 10 + i));
      boolean wrote = app.gpuWrites(h, 20 + i);
      run.expect(Promise.CPU_SEES_GPU_WRITES, "the program saw the GPU's results in round " + i, wrote && app.p.matches(buf, SIZE, 20 + i));
    }
    app.gemClose(h);
    app.free(buf);
    app.end();
  }
}
