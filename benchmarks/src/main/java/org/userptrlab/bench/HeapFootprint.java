package org.userptrlab.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.MachineConfig;

/**
 * Heap taken by a booted machine, per simulated frame: builds a 64 GiB machine (16 M frames of
 * 4 KiB) and reports the heap in use after a full GC, before and after. Target: at most 24 bytes
 * per frame. Run: {@code java -cp benchmarks/target/benchmarks.jar org.userptrlab.bench.HeapFootprint [GiB]}.
 */
public final class HeapFootprint {
  private HeapFootprint() {}

  public static void main(String[] args) {
    long gib = args.length > 0 ? Long.parseLong(args[0]) : 64;
    MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
    long before = used(mx);
    Machine m = new Machine(MachineConfig.builder().ram(gib << 30).build());
    long after = used(mx);
    long frames = m.totalPages();
    System.out.printf("machine of %d GiB: %d frames, heap %.1f MiB, %.2f bytes per frame%n",
        gib, frames, (after - before) / 1048576.0, (after - before) / (double) frames);
  }

  private static long used(MemoryMXBean mx) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return mx.getHeapMemoryUsage().getUsed();
  }
}
