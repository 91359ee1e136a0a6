package org.userptrlab.examples.scenarios;

import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.harness.ScenarioRun;
import org.userptrlab.mm.Mman;
import org.userptrlab.mm.Process;
import org.userptrlab.mm.SignalException;

/**
 * The thread's answers to the fork hazard, tried: MADV_DONTFORK on the buffer before forking
 * ("That was why we introduced MADV_DONTFORK"), or a child that execs at once (fork + exec, as
 * system() does) before the parent writes. Either way the parent's page should stay its own.
 */
public final class ForkWorkaround implements Scenario {
  static final long SIZE = 1L << 20;
  private final boolean dontfork;

  public ForkWorkaround(boolean dontfork) {
    this.dontfork = dontfork;
  }

  @Override
  public String name() {
    return dontfork ? "fork-with-madv-dontfork" : "fork-then-exec";
  }

  @Override
  public String description() {
    return dontfork ? "madvise(MADV_DONTFORK) on a 1 MiB buffer, import it, fork, the parent writes it"
        : "import a 1 MiB buffer, fork, the child execs, then the parent writes it";
  }

  @Override
  public void run(ScenarioRun run) {
    App app = new App(run, "app");
    long buf = app.p.memalign(4096, SIZE);
    app.p.fill(buf, SIZE, 1);
    if (dontfork) {
      app.p.madvise(buf, SIZE, Mman.MADV_DONTFORK);
    }
    int h = app.userptr(buf, SIZE);
    Process child = app.p.fork();
    if (dontfork) {
      try {
        child.load(buf);
        run.hazard(HazardKind.CHILD_KEPT_MAPPING, "the child can still read the buffer");
      } catch (SignalException e) {
        run.hazard(HazardKind.CHILD_LOST_MAPPING, "the child has no mapping of the buffer: touching it is " + e.kind().signal());
      }
    } else {
      child.exec();
    }
    app.p.fill(buf, SIZE, 3);
    run.expect(Promise.GPU_KEEPS_SNAPSHOT, "after the parent's write the GPU still has the imported bytes", app.gpuSees(h, 1));
    run.expect(Promise.GPU_SEES_LATER_CPU_WRITES, "the GPU sees the parent's write", app.gpuSees(h, 3));
    if (app.gpuWrites(h, 4)) {
      run.expect(Promise.CPU_SEES_GPU_WRITES, "the parent reads the GPU's write", app.p.matches(buf, SIZE, 4));
    }
    child.exit();
    app.gemClose(h);
    app.free(buf);
    app.end();
  }
}
