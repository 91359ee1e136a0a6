package org.userptrlab.examples.scenarios;

import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.harness.ScenarioRun;
import org.userptrlab.mm.MemFile;
import org.userptrlab.mm.Mman;

/**
 * A range of a file mapping ("check to that the vma you are trying to use is anonymous and only
 * handle this case and fallback to alloc new page and copy otherwise"): the program mmaps a file
 * MAP_SHARED and imports the mapping. Does the GPU's write reach the file?
 */
public final class FileBackedRange implements Scenario {
  static final long SIZE = 1L << 20;

  @Override
  public String name() {
    return "file-backed-range";
  }

  @Override
  public String description() {
    return "import 1 MiB of a file mapped MAP_SHARED; the program writes it, the GPU writes it, the file is read back";
  }

  @Override
  public void run(ScenarioRun run) {
    App app = new App(run, "viewer");
    MemFile file = app.m.createFile("image.raw", SIZE);
    app.m.fillFile(file, 0, SIZE, 5);
    long map = app.p.mmap(0, SIZE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, file, 0);
    int h = app.userptr(map, SIZE);
    run.expect(Promise.GPU_SEES_IMPORTED_BYTES, "GPU sees the file's bytes", app.gpuSees(h, 5));
    app.p.fill(map, SIZE, 6);
    run.expect(Promise.GPU_KEEPS_SNAPSHOT, "the GPU still has the imported bytes", app.gpuSees(h, 5));
    run.expect(Promise.GPU_SEES_LATER_CPU_WRITES, "the GPU sees the program's write", app.gpuSees(h, 6));
    if (app.gpuWrites(h, 7)) {
      run.expect(Promise.CPU_SEES_GPU_WRITES, "the program reads the GPU's write", app.p.matches(map, SIZE, 7));
      app.gemClose(h);
      app.p.munmap(map, SIZE);
      app.m.kernel().reclaim((int) app.m.totalPages());
      if (!app.m.fileMatches(file, 0, SIZE, 7) && run.strategy().contract().promises(Promise.CPU_SEES_GPU_WRITES)) {
        run.hazard(HazardKind.GPU_WRITE_LOST, "the GPU's write never reached the file: the pages it wrote were not dirtied before writeback");
      }
    } else {
      app.gemClose(h);
    }
    app.end();
  }
}
