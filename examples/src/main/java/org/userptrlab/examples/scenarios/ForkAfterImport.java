package org.userptrlab.examples.scenarios;

import org.userptrlab.core.Promise;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.harness.ScenarioRun;
import org.userptrlab.mm.Process;

/**
 * The program forks after importing ("the fork case might be problematic"): the child writes the
 * buffer, then the parent does. Who sees what: the GPU, the parent, the child.
 */
public final class ForkAfterImport implements Scenario {
  static final long SIZE = 1L << 20;

  @Override
  public String name() {
    return "fork-after-import";
  }

  @Override
  public String description() {
    return "import a 1 MiB malloc()ed buffer, fork, the child writes it, then the parent writes it";
  }

  @Override
  public void run(ScenarioRun run) {
    App app = new App(run, "cl-app");
    long buf = app.p.malloc(SIZE);
    app.p.fill(buf, SIZE, 1);
    int h = app.userptr(buf, SIZE);
    Process child = app.p.fork();
    child.fill(buf, SIZE, 2);
    app.p.fill(buf, SIZE, 3);
    boolean gpuOld = app.gpu.reads(app.f, h, 1);
    boolean gpuParent = app.gpu.reads(app.f, h, 3);
    run.expect(Promise.GPU_SEES_IMPORTED_BYTES, "after both writes the GPU still has the imported bytes", gpuOld);
    run.expect(Promise.GPU_SEES_LATER_CPU_WRITES, "the GPU sees the parent's write", gpuParent);
    if (app.gpu.reads(app.f, h, 2)) {
      run.hazard("the GPU sees the child's write: the object follows the child, not the parent");
    }
    boolean isolated = child.matches(buf, SIZE, 2) && app.p.matches(buf, SIZE, 3);
    run.expect(Promise.PROGRAM_KEEPS_ITS_BYTES, "parent and child each read their own write", isolated);
    child.exit();
    app.f.gemClose(h);
    run.expect(Promise.BYTES_OUTSIDE_RANGE_KEPT, "free(buf) found malloc's header intact", app.free(buf));
    app.end();
  }
}
