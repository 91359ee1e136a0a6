package org.userptrlab.testkit;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.util.Set;
import org.userptrlab.core.driver.DriverLimits;
import org.userptrlab.core.spi.GpuAccess;
import org.userptrlab.core.spi.GpuLease;
import org.userptrlab.core.inject.LabModule;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.core.driver.UserptrImporter;
import org.userptrlab.core.spi.UserptrRequest;
import org.userptrlab.core.spi.UserptrStrategy;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.Process;

/**
 * One fresh machine, injector and program for a strategy test, with the GPU's view of an object:
 * what strategy tests (this suite's and a third party's) need and nothing more.
 */
public final class StrategyRig {
  /** The two kernels of the story, for parameterized strategy tests: the seed thread's 3.4 and today's 6.12. */
  public static java.util.stream.Stream<org.userptrlab.mm.KernelConfig> ends() {
    return java.util.stream.Stream.of(org.userptrlab.mm.KernelConfig.LINUX_3_4, org.userptrlab.mm.KernelConfig.LINUX_6_12);
  }

  public static final int PAGE = 4096;
  public final Machine m;
  public final UserptrImporter importer;
  public final UserptrStrategy strategy;
  public final Process p;

  public StrategyRig(String strategy, MachineConfig config, DriverLimits limits) {
    Injector injector = Guice.createInjector(new LabModule(config, limits, strategy));
    m = injector.getInstance(Machine.class);
    importer = injector.getInstance(UserptrImporter.class);
    this.strategy = importer.strategy();
    p = m.spawn("app");
  }

  public StrategyRig(String strategy, MachineConfig config) {
    this(strategy, config, DriverLimits.DEFAULT);
  }

  /** A buffer as the strategy wants it: page aligned if it requires that, plain malloc otherwise. */
  public long buffer(long size) {
    return strategy.requiresPageAlignment() ? p.memalign(PAGE, size) : p.malloc(size);
  }

  public UserptrBacking imp(long addr, long size) {
    return importer.importRange(new UserptrRequest(p, addr, size, Set.of()));
  }

  /** A GPU job reading the whole object: whether it holds the seed's stream from {@code streamPos}. */
  public boolean gpuSees(UserptrBacking b, long seed, long streamPos) {
    try (GpuLease lease = b.pin(GpuAccess.READ)) {
      return m.kernel().dmaMatches(lease.frames(), lease.offset(), b.size(), seed, streamPos);
    }
  }

  public boolean gpuSees(UserptrBacking b, long seed) {
    return gpuSees(b, seed, 0);
  }

  /** A GPU job writing the seed's stream over the whole object. */
  public void gpuWrites(UserptrBacking b, long seed) {
    try (GpuLease lease = b.pin(GpuAccess.WRITE)) {
      m.kernel().dmaFill(lease.frames(), lease.offset(), b.size(), seed);
      lease.markDirty();
    }
  }
}
