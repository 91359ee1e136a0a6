package org.userptrlab.lab.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.core.spi.Contract;
import org.userptrlab.core.spi.GpuAccess;
import org.userptrlab.core.spi.GpuLease;
import org.userptrlab.core.spi.StrategyProvider;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.core.spi.UserptrRequest;
import org.userptrlab.core.support.FixedLease;
import org.userptrlab.core.support.KernelStrategy;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.mm.Foll;
import org.userptrlab.mm.Kernel;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MmuIntervalNotifier;
import org.userptrlab.mm.PageRefs;

/**
 * The lock-order checker: a driver that takes its own lock inside its invalidate callback and calls
 * get_user_pages (mmap_lock) under that same lock closes a cycle, mmap_lock then the invalidate map
 * then the driver's lock on munmap, and the driver's lock then mmap_lock on a job; lockdep reports
 * it as a possible deadlock. None of the shipped strategies does.
 */
class LockOrderTest {
  /** The driver's lock, as lockdep would name its class. */
  static final String DRIVER_LOCK = "&drv->lock";

  /** A driver with the inversion: get_user_pages for each job under the lock its notifier takes. */
  static final class InvertedLockStrategy extends KernelStrategy {
    @Inject
    InvertedLockStrategy(Kernel kernel, KernelConfig kernelConfig) {
      super("inverted-lock", Contract.COHERENT, kernel, kernelConfig);
    }

    @Override
    public UserptrBacking importRange(UserptrRequest r) {
      MmuIntervalNotifier sub = kernel.mmuIntervalNotifierInsert(r.process(), r.firstPage(), (long) r.pageCount() << 12,
          (s, range, seq) -> {
            kernel.lockdep().acquire(DRIVER_LOCK, "invalidate callback");
            s.setSeq(seq);
            kernel.lockdep().release(DRIVER_LOCK);
            return true;
          });
      return new UserptrBacking() {
        @Override
        public long size() {
          return r.size();
        }

        @Override
        public GpuLease pin(GpuAccess access) {
          kernel.lockdep().acquire(DRIVER_LOCK, "job: get pages");
          try {
            PageRefs refs = kernel.getUserPages(r.process(), r.firstPage(), r.pageCount(), Foll.FOLL_WRITE);
            return new FixedLease(refs.pfns(), r.offsetInPage(), r.size(), wrote -> refs.release());
          } finally {
            kernel.lockdep().release(DRIVER_LOCK);
          }
        }

        @Override
        public void release() {
          sub.remove();
        }
      };
    }
  }

  private static final String BODY = "scenario locks \"a job, then munmap\"\nmachine ram 64M\n\np = app app\n"
      + "buf = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\np.fill buf 64K 7\nobj = p.userptr buf 64K\n"
      + "ok = gpu.sees obj 7\np.munmap buf 64K\n";

  @Test
  void aDriverThatCallsGupUnderTheLockItsNotifierTakesIsAPossibleDeadlock() {
    Comparison cmp = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12).profiles(List.of(Profiles.EPYC_GUEST))
        .modules(List.of(new AbstractModule() {
          @Override
          protected void configure() {
            StrategyProvider.bind(binder(), "inverted-lock", InvertedLockStrategy.class);
          }
        })).build());
    RunResult r = cmp.run(new TextScenario("locks.scenario", Parser.parse("locks.scenario", BODY)), "inverted-lock",
        KernelConfig.LINUX_6_12);
    assertThat(r.error()).isNull();
    assertThat(r.hazards()).filteredOn(h -> h.kind() == HazardKind.DEADLOCK).singleElement().satisfies(h -> {
      // Both orders that close the cycle, each where it was seen.
      assertThat(h.detail()).contains("&drv->lock taken while holding &mm->mmap_lock (invalidate callback)")
          .contains("&mm->mmap_lock taken while holding &drv->lock (get_user_pages)");
    });
  }

  @Test
  void noShippedStrategyTakesLocksInOppositeOrders() {
    Comparison cmp = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_3_4, KernelConfig.LINUX_6_12)
        .profiles(List.of(Profiles.EPYC_GUEST)).build());
    List<Scenario> scenarios = new java.util.ArrayList<>(Catalogue.all());
    scenarios.add(new TextScenario("locks.scenario", Parser.parse("locks.scenario", BODY
        + "t1 = p.thread\nb2 = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\no2 = p.userptr b2 64K\n"
        + "t1: job = gpu.submit o2 write 1ms\nc = p.fork\np.mprotect b2 64K PROT_READ\nt1: gpu.wait job\n")));
    for (RunResult r : cmp.run(scenarios.stream().flatMap(s -> Strategies.names().stream().flatMap(st -> cmp.options().kernels()
        .stream().map(k -> new Comparison.Run(s, st, k)))).toList())) {
      assertThat(r.has(HazardKind.DEADLOCK)).as(r.scenario() + " under " + r.strategy() + " on " + r.kernel() + ": " + r.hazards())
          .isFalse();
    }
  }
}
