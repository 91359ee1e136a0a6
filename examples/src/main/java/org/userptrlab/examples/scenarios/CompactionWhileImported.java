package org.userptrlab.examples.scenarios;

/** Memory compaction runs while the object lives: can it move the imported pages, and does the GPU follow? */
public final class CompactionWhileImported extends HazardScenario {
  @Override
  public String name() {
    return "compaction-while-imported";
  }

  @Override
  public String description() {
    return "import 4 MiB; the program frees half of another 16 MiB; compaction runs over all memory";
  }

  @Override
  long size() {
    return 4L << 20;
  }

  @Override
  void hazard(App app, long buf, int handle) {
    long other = app.mallocFilled(16L << 20, 9);
    for (long off = 8192; off < (16L << 20) - 8192; off += 8192) {
      app.p.madvise((other & -4096L) + off, 4096, org.userptrlab.mm.Mman.MADV_DONTNEED);
    }
    app.compact();
    app.p.free(other);
  }
}
