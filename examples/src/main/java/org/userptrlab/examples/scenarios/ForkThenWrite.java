package org.userptrlab.examples.scenarios;

import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.harness.ScenarioRun;
import org.userptrlab.mm.Process;

/**
 * The program forks after importing ("the fork case might be problematic"); then the parent, or
 * in the other variant the child, writes the buffer first. Who sees what: the GPU, the parent,
 * the child. The order matters on 3.4, where do_wp_page reuses whichever copy is left mapped once.
 */
public final class ForkThenWrite implements Scenario {
  static final long SIZE = 1L << 20;
  private final boolean childFirst;

  public ForkThenWrite(boolean childFirst) {
    this.childFirst = childFirst;
  }

  @Override
  public String name() {
    return childFirst ? "fork-then-child-writes" : "fork-then-parent-writes";
  }

  @Override
  public String description() {
    return "import a 1 MiB malloc()ed buffer, fork, then the " + (childFirst ? "child writes it, then the parent"
        : "parent writes it while the child keeps its copy");
  }

  @Override
  public void run(ScenarioRun run) {
    App app = new App(run, "cl-app");
    long buf = app.mallocFilled(SIZE, 1);
    int h = app.userptr(buf, SIZE);
    Process child = app.p.fork();
    if (childFirst) {
      child.fill(buf, SIZE, 2);
      run.expect(Promise.GPU_SEES_LATER_CPU_WRITES, "after the child's write the GPU still agrees with the parent",
          app.gpuSees(h, 1));
      if (app.gpuSees(h, 2)) {
        run.hazard(HazardKind.GPU_FOLLOWS_CHILD, "the GPU sees the child's write: the object follows the child, not the parent");
      }
    }
    app.p.fill(buf, SIZE, 3);
    run.expect(Promise.GPU_KEEPS_SNAPSHOT, "after the writes the GPU still has the imported bytes", app.gpuSees(h, 1));
    run.expect(Promise.GPU_SEES_LATER_CPU_WRITES, "the GPU sees the parent's write", app.gpuSees(h, 3));
    boolean isolated = child.matches(buf, SIZE, childFirst ? 2 : 1) && app.p.matches(buf, SIZE, 3);
    run.expect(Promise.PROGRAM_KEEPS_ITS_BYTES, "parent and child each read their own bytes", isolated);
    if (app.gpuWrites(h, 4)) {
      run.expect(Promise.CPU_SEES_GPU_WRITES, "the parent reads the GPU's write", app.p.matches(buf, SIZE, 4));
      if (child.matches(buf, SIZE, 4)) {
        run.hazard(HazardKind.GPU_WRITE_REACHED_CHILD, "the GPU's write reached the child's memory");
      }
    }
    child.exit();
    app.gemClose(h);
    run.expect(Promise.BYTES_OUTSIDE_RANGE_KEPT, "free(buf) found malloc's header intact", app.free(buf));
    app.end();
  }
}
