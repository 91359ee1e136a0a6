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
    int blits = 0;
    int kept = 0;
    for (int i = 0; i < IMAGES; i++) {
      images[i] = app.mallocFilled(SIZE, 500 + i);
      int h = app.userptr(images[i], SIZE);
      blits += app.gpuSees(h, 500 + i) ? 1 : 0;
      app.gemClose(h);
      kept += app.p.matches(images[i], SIZE, 500 + i) ? 1 : 0;
    }
    run.expect(Promise.GPU_SEES_IMPORTED_BYTES, blits + "/" + IMAGES + " blits read the right image", blits == IMAGES);
    run.expect(Promise.PROGRAM_KEEPS_ITS_BYTES, kept + "/" + IMAGES + " images still hold what the program drew", kept == IMAGES);
    boolean freed = true;
    for (long img : images) {
      freed &= app.free(img);
    }
    run.expect(Promise.BYTES_OUTSIDE_RANGE_KEPT, "every image's malloc header survived", freed);
    app.end();
  }
}
