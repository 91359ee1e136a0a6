package org.userptrlab.bench;

import com.google.inject.Guice;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.userptrlab.core.driver.DriverLimits;
import org.userptrlab.core.driver.UserptrImporter;
import org.userptrlab.core.inject.LabModule;
import org.userptrlab.core.spi.GpuAccess;
import org.userptrlab.core.spi.GpuLease;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.core.spi.UserptrRequest;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.Mman;
import org.userptrlab.mm.Process;

/**
 * Simulated wall time of GPU shared virtual memory over 1 GiB: a GPU job's faults move the buffer
 * into device memory (512 ranges of 2 MiB, migrate_vma), then a CPU touch of each range brings it
 * back (migrate_to_ram). Scores are milliseconds per round trip of the whole GiB.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms3g", "-Xmx3g"})
@State(Scope.Thread)
public class SvmBench {
  static final long GIB = 1L << 30;
  static final long RANGE = 2L << 20;

  private Machine machine;
  private UserptrImporter importer;
  private Process p;
  private long buf;

  @Setup(Level.Trial)
  public void boot() {
    var injector = Guice.createInjector(new LabModule(MachineConfig.builder().ram(2 * GIB).devicePrivate(GIB)
        .kernel(KernelConfig.linux("6.15")).build(), new DriverLimits(2 * GIB, false), "svm"));
    machine = injector.getInstance(Machine.class);
    importer = injector.getInstance(UserptrImporter.class);
    p = machine.spawn("bench");
    long map = p.mmap(0, GIB + RANGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    buf = (map + RANGE - 1) & -RANGE;
    p.fill(buf, GIB, 1);
  }

  @TearDown(Level.Trial)
  public void check() {
    machine.checkInvariants();
  }

  @Benchmark
  public long toDeviceAndBack() {
    UserptrBacking b = importer.importRange(new UserptrRequest(p, buf, GIB, Set.of()));
    long first;
    try (GpuLease lease = b.pin(GpuAccess.READ)) {
      first = lease.frames()[0];
    }
    for (long a = buf; a < buf + GIB; a += RANGE) {
      p.load(a);
    }
    b.release();
    return first;
  }
}
