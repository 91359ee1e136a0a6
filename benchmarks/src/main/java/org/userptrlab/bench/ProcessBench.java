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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.Mman;
import org.userptrlab.mm.Process;

/**
 * The simulator's cost per simulated 4 KiB page of the user-space half of the memory manager.
 * Scores are nanoseconds per page (each invocation handles {@link #GIB_PAGES} or
 * {@link #COW_PAGES} pages). Targets: a tenth of the real kernel on a 2-core EPYC guest.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms3g", "-Xmx3g"})
public class ProcessBench {
  static final long GIB = 1L << 30;
  static final int GIB_PAGES = (int) (GIB >>> 12);
  static final long COW_BYTES = 64L << 20;
  static final int COW_PAGES = (int) (COW_BYTES >>> 12);

  static Machine machine() {
    return new Machine(MachineConfig.builder().ram(2 * GIB + (256L << 20)).kernel(KernelConfig.LINUX_6_12).build());
  }

  static long anon(Process p, long bytes) {
    return p.mmap(0, bytes, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
  }

  /** A fresh machine and a process with {@code bytes} of anonymous memory mapped, touched or not. */
  public abstract static class Mapped {
    Machine m;
    Process p;
    long buf;

    void map(long bytes, boolean touch) {
      m = machine();
      p = m.spawn("bench");
      buf = anon(p, bytes);
      if (touch) {
        p.fill(buf, bytes, 1);
      }
    }
  }

  /** A process with 1 GiB of anonymous memory mapped but not touched. */
  @State(Scope.Thread)
  public static class Untouched extends Mapped {
    @Setup(Level.Invocation)
    public void setUp() {
      map(GIB, false);
    }
  }

  /** A process with 1 GiB of anonymous memory touched. */
  @State(Scope.Thread)
  public static class Touched extends Mapped {
    Process child;

    @Setup(Level.Invocation)
    public void setUp() {
      map(GIB, true);
    }

    @TearDown(Level.Invocation)
    public void tearDown() {
      if (child != null) {
        child.exit();
        child = null;
      }
    }
  }

  /** A parent and child sharing 64 MiB of anonymous memory copy-on-write after fork. */
  @State(Scope.Thread)
  public static class Forked extends Mapped {
    @Setup(Level.Invocation)
    public void setUp() {
      map(COW_BYTES, true);
      p.fork();
    }
  }

  /** do_anonymous_page for every page of 1 GiB: first-touch write faults. Target <= 115 ns/page. */
  @Benchmark
  @OperationsPerInvocation(GIB_PAGES)
  public Machine firstTouch(Untouched s) {
    s.p.fill(s.buf, GIB, 2);
    return s.m;
  }

  /** fork of a process with 1 GiB touched: copy_page_range. Target <= 8.5 ns/page. */
  @Benchmark
  @OperationsPerInvocation(GIB_PAGES)
  public Process fork(Touched s) {
    s.child = s.p.fork();
    return s.child;
  }

  /** munmap of 1 GiB touched: zap_pte_range and freeing. Target <= 22 ns/page. */
  @Benchmark
  @OperationsPerInvocation(GIB_PAGES)
  public Machine munmap(Touched s) {
    s.p.munmap(s.buf, GIB);
    return s.m;
  }

  /** The parent's write to each page of 64 MiB after fork: wp_page_copy. Target <= 180 ns/page. */
  @Benchmark
  @OperationsPerInvocation(COW_PAGES)
  public Machine cowBreak(Forked s) {
    s.p.fill(s.buf, COW_BYTES, 2);
    return s.m;
  }
}
