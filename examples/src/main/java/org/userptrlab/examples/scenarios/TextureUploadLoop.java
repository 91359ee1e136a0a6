package org.userptrlab.examples.scenarios;

import org.userptrlab.core.spi.Promise;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.harness.ScenarioRun;

/**
 * The thread's zero-copy upload loop: one malloc'ed scratch buffer, reused for every texture.
 * Each texture is imported and the program reads the next one into the scratch buffer before the
 * GPU gets to the previous upload, as GL allows.
 */
public final class TextureUploadLoop implements Scenario {
  private final int textures;
  private final long size;

  public TextureUploadLoop(int textures, long size) {
    this.textures = textures;
    this.size = size;
  }

  public TextureUploadLoop() {
    this(8, 1L << 20);
  }

  @Override
  public String name() {
    return "texture-upload-loop";
  }

  @Override
  public java.util.Set<Promise> needs() {
    return java.util.EnumSet.of(Promise.GPU_SEES_IMPORTED_BYTES, Promise.GPU_KEEPS_SNAPSHOT, Promise.BYTES_OUTSIDE_RANGE_KEPT);
  }

  @Override
  public String description() {
    return textures + " textures of " + (size >> 10) + " KiB through one reused malloc()ed scratch buffer "
        + "(scratch = malloc(); for each: readtexture(scratch); glTexImage(scratch); free(scratch))";
  }

  @Override
  public void run(ScenarioRun run) {
    App app = new App(run, "gl-app");
    long scratch = app.p.malloc(size);
    int uploaded = -1;
    for (int i = 0; i < textures; i++) {
      app.p.fill(scratch, size, texture(i));
      if (uploaded >= 0) {
        run.expect(Promise.GPU_KEEPS_SNAPSHOT, "the GPU saw texture " + (i - 1) + " as uploaded", app.gpuSees(uploaded, texture(i - 1)));
        app.gemClose(uploaded);
      }
      uploaded = app.userptr(scratch, size);
      run.expect(Promise.PROGRAM_KEEPS_ITS_BYTES, "scratch kept texture " + i + " after its upload", app.p.matches(scratch, size, texture(i)));
    }
    boolean last = app.gpuSees(uploaded, texture(textures - 1));
    run.expect(Promise.GPU_SEES_IMPORTED_BYTES, "GPU saw the last texture, which nothing overwrote", last);
    run.expect(Promise.GPU_KEEPS_SNAPSHOT, "the GPU saw texture " + (textures - 1) + " as uploaded", last);
    app.gemClose(uploaded);
    run.expect(Promise.BYTES_OUTSIDE_RANGE_KEPT, "free(scratch) found malloc's header intact", app.free(scratch));
    app.end();
  }

  private static long texture(int i) {
    return 1000 + i;
  }
}
