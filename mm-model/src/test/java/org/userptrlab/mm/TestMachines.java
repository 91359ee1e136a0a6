package org.userptrlab.mm;

import static org.userptrlab.mm.Mman.MAP_ANONYMOUS;
import static org.userptrlab.mm.Mman.MAP_PRIVATE;
import static org.userptrlab.mm.Mman.PROT_READ;
import static org.userptrlab.mm.Mman.PROT_WRITE;

/** Small machines for behaviour tests. */
final class TestMachines {
  static final long MiB = 1 << 20;
  static final int PAGE = Page.PAGE_SIZE;

  private TestMachines() {}

  static Machine small(KernelEra era) {
    return new Machine(MachineConfig.builder().ram(64 * MiB).era(era).build());
  }

  static long anon(Process p, long bytes) {
    return p.mmap(0, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  }
}
