package org.userptrlab.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.Mman;
import org.userptrlab.mm.Process;

/**
 * The simulator's cost of a transparent huge page: nanoseconds per 2 MiB faulted in by one write
 * (do_huge_pmd_anonymous_page), with THP always and with THP never (512 small-page faults) for
 * comparison. Each invocation faults {@link #HUGE_PAGES} huge pages' worth of fresh memory.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
public class ThpBench {
  static final long HUGE = 2L << 20;
  static final int HUGE_PAGES = 256;

  /** A fresh machine and a process with 512 MiB of untouched, 2 MiB-aligned anonymous memory. */
  @State(Scope.Thread)
  public static class Fresh {
    @Param({"always", "never"})
    String thp;
    Process p;
    long buf;

    @Setup(Level.Invocation)
    public void setUp() {
      MachineConfig.Thp mode = MachineConfig.Thp.valueOf(thp.toUpperCase(java.util.Locale.ROOT));
      Machine m = new Machine(MachineConfig.builder().ram(1L << 30).kernel(KernelConfig.LINUX_6_12).thp(mode).build());
      p = m.spawn("bench");
      long area = p.mmap(0, (HUGE_PAGES + 1) * HUGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
      buf = (area + HUGE - 1) & -HUGE;
    }
  }

  /** One byte written into each 2 MiB: one THP fault each with THP always, 512 small-page faults each with never. */
  @Benchmark
  @OperationsPerInvocation(HUGE_PAGES)
  public long faultPer2MiB(Fresh s) {
    for (int i = 0; i < HUGE_PAGES; i++) {
      long base = s.buf + i * HUGE;
      if (s.thp.equals("always")) {
        s.p.store(base, (byte) 1);
      } else {
        for (long a = base; a < base + HUGE; a += 4096) {
          s.p.store(a, (byte) 1);
        }
      }
    }
    return s.p.rss();
  }
}
