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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.userptrlab.core.driver.DriverLimits;
import org.userptrlab.core.inject.LabModule;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.core.driver.UserptrImporter;
import org.userptrlab.core.spi.UserptrRequest;
import org.userptrlab.mm.Capability;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.Process;

/**
 * Simulated wall time of importing 1 GiB of touched, page-aligned memory under each strategy and
 * releasing it again: the "1 GiB import in milliseconds" figure. Scores are milliseconds per
 * import plus release.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms3g", "-Xmx3g"})
@State(Scope.Thread)
public class ImportBench {
  static final long GIB = 1L << 30;

  @Param({"copy", "steal", "cow", "mlock", "backed-pin", "backed-longterm", "backed-notifier"})
  public String strategy;

  private Machine machine;
  private UserptrImporter importer;
  private Process p;
  private long buf;

  @Setup(Level.Trial)
  public void boot() {
    var injector = Guice.createInjector(new LabModule(
        MachineConfig.builder().ram(3 * GIB).kernel(KernelConfig.LINUX_6_12).build(), new DriverLimits(2 * GIB, false), strategy));
    machine = injector.getInstance(Machine.class);
    importer = injector.getInstance(UserptrImporter.class);
    p = machine.spawn("bench");
    p.setCapability(Capability.CAP_IPC_LOCK, true);
    buf = p.memalign(4096, GIB);
  }

  @Setup(Level.Invocation)
  public void touch() {
    p.fill(buf, GIB, 1);
  }

  @TearDown(Level.Trial)
  public void check() {
    machine.checkInvariants();
  }

  @Benchmark
  public UserptrBacking importAndRelease() {
    UserptrBacking b = importer.importRange(new UserptrRequest(p, buf, GIB, Set.of()));
    b.release();
    return b;
  }
}
