package org.userptrlab.lab.scenarios;

import org.userptrlab.core.spi.Promise;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.harness.ScenarioRun;
import org.userptrlab.mm.MachineConfig;

/**
 * One steady-state upload of {@code size} bytes from a reused scratch buffer, for the size sweep:
 * measured from the import to the program's next fill of the buffer, so that what a strategy does
 * to the program's memory (a stolen page must be faulted in and cleared again) is paid for.
 */
public final class Upload implements Scenario {
  private final long size;

  public Upload(long size) {
    this.size = size;
  }

  @Override
  public String name() {
    return "upload-" + size;
  }

  @Override
  public String description() {
    return "one upload of " + size + " bytes from a reused malloc()ed scratch buffer";
  }

  @Override
  public MachineConfig.Builder machine(MachineConfig.Builder defaults) {
    // Whole pages: a size the sweep takes need not be one (a 1000-byte upload is a texture's row).
    long ram = Math.max(defaults.build().ramBytes(), org.userptrlab.mm.Page.align(4 * size) + (64L << 20));
    return defaults.ram(ram);
  }

  @Override
  public void run(ScenarioRun run) {
    App app = new App(run, "uploader");
    long scratch = app.mallocFilled(size, 1);
    run.startMeasuring();
    int h = app.userptr(app.p, scratch, size, false);
    boolean seen = app.gpu.reads(app.f, h, 1);
    app.gemClose(h);
    app.p.fill(scratch, size, 2);
    run.stopMeasuring();
    run.expect(Promise.GPU_SEES_IMPORTED_BYTES, "GPU saw the upload", seen);
    app.free(scratch);
    app.end();
  }
}
