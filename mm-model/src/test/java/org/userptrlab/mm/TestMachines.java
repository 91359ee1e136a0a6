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

  /** The two kernels of the story: the seed thread's 3.4 and today's 6.12. */
  static java.util.stream.Stream<KernelConfig> ends() {
    return java.util.stream.Stream.of(KernelConfig.LINUX_3_4, KernelConfig.LINUX_6_12);
  }

  static Machine small(KernelConfig era) {
    return new Machine(MachineConfig.builder().ram(64 * MiB).kernel(era).build());
  }

  static long anon(Process p, long bytes) {
    return p.mmap(0, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  }
}
