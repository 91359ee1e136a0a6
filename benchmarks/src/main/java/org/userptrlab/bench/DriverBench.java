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
import org.userptrlab.mm.Foll;
import org.userptrlab.mm.KernelChange;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.Mman;
import org.userptrlab.mm.PageRefs;
import org.userptrlab.mm.Process;

/**
 * The simulator's cost per simulated page of the kernel services a userptr driver is built from.
 * Scores are nanoseconds per page. Targets: a tenth of the real kernel on a 2-core EPYC guest.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms3g", "-Xmx3g"})
public class DriverBench {
  static final long GIB = 1L << 30;
  static final int GIB_PAGES = (int) (GIB >>> 12);
  static final long MIG_BYTES = 64L << 20;
  static final int MIG_PAGES = (int) (MIG_BYTES >>> 12);

  /** A process with 1 GiB of anonymous memory touched, kept across invocations. */
  @State(Scope.Thread)
  public static class Touched {
    Machine m;
    Process p;
    long buf;
    PageRefs refs;

    @Setup(Level.Trial)
    public void boot() {
      m = new Machine(MachineConfig.builder().ram(GIB + (512L << 20)).kernel(KernelConfig.LINUX_6_12).build());
      p = m.spawn("bench");
      buf = ProcessBench.anon(p, GIB);
      p.fill(buf, GIB, 1);
    }

    @TearDown(Level.Invocation)
    public void release() {
      if (refs != null && !refs.released()) {
        refs.release();
      }
      refs = null;
    }
  }

  /** As {@link Touched}, pinned before each invocation. */
  @State(Scope.Thread)
  public static class Pinned extends Touched {
    @Setup(Level.Invocation)
    public void pin() {
      if (p.pagemap(buf) < 0) {
        p.fill(buf, GIB, 1);
      }
      refs = m.kernel().pinUserPagesFast(p, buf, GIB_PAGES, Foll.FOLL_WRITE);
    }
  }

  /** As {@link Touched}, its PTEs made writable again before each invocation. */
  @State(Scope.Thread)
  public static class Writable extends Touched {
    @Setup(Level.Invocation)
    public void rewrite() {
      p.fill(buf, GIB, 1);
    }
  }

  /** 64 MiB touched; the frames to migrate are collected before each invocation. */
  @State(Scope.Thread)
  public static class Migratable {
    Machine m;
    Process p;
    long buf;
    int[] pfns = new int[MIG_PAGES];

    @Setup(Level.Trial)
    public void boot() {
      m = new Machine(MachineConfig.builder().ram(512L << 20).kernel(KernelConfig.LINUX_6_12).build());
      p = m.spawn("bench");
      buf = ProcessBench.anon(p, MIG_BYTES);
      p.fill(buf, MIG_BYTES, 1);
    }

    @Setup(Level.Invocation)
    public void collect() {
      for (int i = 0; i < MIG_PAGES; i++) {
        pfns[i] = (int) p.pagemap(buf + ((long) i << 12));
      }
    }
  }

  /** A 128 MiB CMA region half full of movable user pages. */
  @State(Scope.Thread)
  public static class CmaHalfFull {
    Machine m;
    PageRefs cma;

    @Setup(Level.Invocation)
    public void boot() {
      // 3.4's fallback order fills ZONE_NORMAL before CMA, so a filler the size of ZONE_NORMAL's free
      // memory puts the next 128 MiB exactly in the CMA region; every other page of it is then freed.
      m = new Machine(MachineConfig.builder().ram(256L << 20).cma(128L << 20).kernel(KernelConfig.LINUX_3_4.with(KernelChange.CMA)).build());
      Process p = m.spawn("bench");
      long normalFree = ((128L << 20) >>> 12) - 1;
      long filler = ProcessBench.anon(p, normalFree << 12);
      p.fill(filler, normalFree << 12, 2);
      long buf = ProcessBench.anon(p, 128L << 20);
      p.fill(buf, 128L << 20, 1);
      for (long off = 0; off < (128L << 20); off += 8192) {
        p.madvise(buf + off, 4096, Mman.MADV_DONTNEED);
      }
      p.munmap(filler, normalFree << 12);
    }

    @TearDown(Level.Invocation)
    public void release() {
      if (cma != null) {
        cma.release();
        cma = null;
      }
    }
  }

  /** pin_user_pages_fast of 1 GiB already faulted. Target <= 6.2 ns/page. */
  @Benchmark
  @OperationsPerInvocation(GIB_PAGES)
  public PageRefs pin(Touched s) {
    s.refs = s.m.kernel().pinUserPagesFast(s.p, s.buf, GIB_PAGES, Foll.FOLL_WRITE);
    return s.refs;
  }

  /** unpin_user_pages of 1 GiB. Target <= 2 ns/page. */
  @Benchmark
  @OperationsPerInvocation(GIB_PAGES)
  public PageRefs unpin(Pinned s) {
    s.refs.release();
    return s.refs;
  }

  /** zap of 1 GiB whose pages a pin holds. Target <= 11 ns/page. */
  @Benchmark
  @OperationsPerInvocation(GIB_PAGES)
  public long zap(Pinned s) {
    return s.m.kernel().zapPageRange(s.p, s.buf, GIB);
  }

  /** Write-protect of 1 GiB. Target <= 7 ns/page. */
  @Benchmark
  @OperationsPerInvocation(GIB_PAGES)
  public long writeProtect(Writable s) {
    return s.m.kernel().writeProtectRange(s.p, s.buf, GIB, false);
  }

  /** Migration of 64 MiB, page by page through the rmap. */
  @Benchmark
  @OperationsPerInvocation(MIG_PAGES)
  public Machine migrate(Migratable s) {
    for (int pfn : s.pfns) {
      s.m.kernel().migratePage(pfn);
    }
    return s.m;
  }

  /** A 64 MiB CMA allocation over a region half full of movable pages (per page of the allocation). */
  @Benchmark
  @OperationsPerInvocation(MIG_PAGES)
  public PageRefs cmaAlloc(CmaHalfFull s) {
    s.cma = s.m.kernel().cmaAlloc(MIG_PAGES);
    return s.cma;
  }
}
