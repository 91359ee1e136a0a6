package org.userptrlab.examples.scenarios;

import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.Process;

/**
 * "this would horribly break CMA": the program's malloc()ed pages sit in the CMA region (movable
 * user memory may), it imports them, then a device driver (a camera, the display) asks CMA for
 * the whole region. Does the allocation find every page movable?
 */
public final class CmaWhileImported extends HazardScenario {
  static final long RAM = 40L << 20;
  static final long CMA = 16L << 20;

  @Override
  public String name() {
    return "cma-while-imported";
  }

  @Override
  public String description() {
    return "the imported 4 MiB lies in a 16 MiB CMA region; a driver then cma_alloc()s the whole region";
  }

  @Override
  public MachineConfig.Builder machine(MachineConfig.Builder defaults) {
    return defaults.ram(RAM).cma(CMA);
  }

  @Override
  long size() {
    return 4L << 20;
  }

  @Override
  long allocate(App app) {
    // Fill ZONE_NORMAL first so that the buffer's pages come from CMA, on either kernel's placement rule.
    Process filler = app.m.spawn("filler");
    long normal = RAM - CMA - (1L << 20);
    long f = filler.mmap(0, normal, org.userptrlab.mm.Mman.PROT_READ | org.userptrlab.mm.Mman.PROT_WRITE,
        org.userptrlab.mm.Mman.MAP_PRIVATE | org.userptrlab.mm.Mman.MAP_ANONYMOUS);
    filler.fill(f, normal, 5);
    long buf = app.mallocFilled(size(), 1);
    filler.exit();
    return buf;
  }

  @Override
  void hazard(App app, long buf, int handle) {
    app.cmaAlloc(CMA);
  }
}
