package org.userptrlab.examples.scenarios;

import java.util.EnumSet;
import java.util.Set;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.harness.ScenarioRun;

/**
 * pixman/evas on a 2D accelerator (the Exynos use case): many small malloc()ed images, each
 * imported for one blit; the program goes on drawing into its images afterwards.
 */
public final class Pixman2d implements Scenario {
  static final int IMAGES = 32;
  static final long SIZE = 64 << 10;

  @Override
  public String name() {
    return "pixman-2d";
  }

  @Override
  public String description() {
    return IMAGES + " malloc()ed images of 64 KiB, each imported for one blit while the program keeps using it";
  }

  @Override
  public Set<Promise> needs() {
    return EnumSet.of(Promise.GPU_SEES_IMPORTED_BYTES, Promise.PROGRAM_KEEPS_ITS_BYTES, Promise.BYTES_OUTSIDE_RANGE_KEPT);
  }

  @Override
  public void run(ScenarioRun run) {
    App app = new App(run, "pixman");
    long[] images = new long[IMAGES];
    for (int i = 0; i < IMAGES; i++) {
      images[i] = app.mallocFilled(SIZE, 500 + i);
      int h = app.userptr(images[i], SIZE);
      run.expect(Promise.GPU_SEES_IMPORTED_BYTES, "blit " + i + " read the right image", app.gpuSees(h, 500 + i));
      app.gemClose(h);
      run.expect(Promise.PROGRAM_KEEPS_ITS_BYTES, "image " + i + " still holds what the program drew", app.p.matches(images[i], SIZE, 500 + i));
    }
    for (int i = 0; i < IMAGES; i++) {
      run.expect(Promise.BYTES_OUTSIDE_RANGE_KEPT, "image " + i + "'s malloc header survived", app.free(images[i]));
    }
    app.end();
  }
}
