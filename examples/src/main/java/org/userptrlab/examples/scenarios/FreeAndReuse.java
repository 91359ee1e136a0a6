package org.userptrlab.examples.scenarios;

import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.harness.ScenarioRun;

/**
 * "free(ptr) or reuse it for other things": the program frees the buffer while the object lives,
 * and a later malloc() of the same size gets memory with other data in it. What does the GPU read?
 */
public final class FreeAndReuse implements Scenario {
  static final long SIZE = 1L << 20;

  @Override
  public String name() {
    return "free-and-reuse";
  }

  @Override
  public String description() {
    return "import a 1 MiB malloc()ed buffer, free() it, malloc() 1 MiB again and fill it with other data";
  }

  @Override
  public void run(ScenarioRun run) {
    App app = new App(run, "app");
    long buf = app.mallocFilled(SIZE, 1);
    int h = app.userptr(buf, SIZE);
    app.free(buf);
    long again = app.mallocFilled(SIZE, 2);
    boolean old = app.gpuSees(h, 1);
    boolean fresh = app.gpuSees(h, 2);
    run.expect(Promise.GPU_KEEPS_SNAPSHOT, "the GPU still has the imported bytes", old);
    if (old && !run.strategy().contract().promises(Promise.GPU_KEEPS_SNAPSHOT)) {
      run.hazard(HazardKind.FREED_MEMORY_READ, "the GPU reads memory the program freed: the object kept the freed pages alive");
    }
    if (fresh) {
      run.hazard(HazardKind.REUSED_MEMORY_READ, "the GPU reads the program's new allocation: the object follows the memory, not the buffer");
    }
    app.gemClose(h);
    app.free(again);
    app.end();
  }
}
