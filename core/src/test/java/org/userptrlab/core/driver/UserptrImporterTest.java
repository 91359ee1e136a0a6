package org.userptrlab.core.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import com.google.inject.Guice;
import com.google.inject.Injector;
import org.userptrlab.core.inject.LabModule;
import org.userptrlab.core.spi.UserptrStrategy;
import org.userptrlab.mm.Process;
import org.userptrlab.core.spi.UserptrRequest;
import org.userptrlab.mm.Errno;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.MmException;

/** The driver's limits at their edges: the largest userptr is allowed, one byte more is EINVAL. */
class UserptrImporterTest {
  private static final long LIMIT = 64 * 4096;

  /** The baseline copy strategy's importer on a fresh machine, and a program to import from. */
  private static final class Rig {
    final UserptrImporter importer;
    final UserptrStrategy strategy;
    final Process p;

    Rig() {
      Injector injector = Guice.createInjector(new LabModule(MachineConfig.builder().ram(16L << 20).build(), new DriverLimits(LIMIT, false), "copy"));
      importer = injector.getInstance(UserptrImporter.class);
      strategy = importer.strategy();
      p = injector.getInstance(org.userptrlab.mm.Machine.class).spawn("app");
    }
  }

  @Test
  void theLimitIsInclusiveAndARefusalIsRecordedAsTheDriversOwn() {
    Rig r = new Rig();
    long buf = r.p.memalign(4096, LIMIT + 4096);
    r.p.fill(buf, LIMIT + 4096, 1);
    r.importer.importRange(new UserptrRequest(r.p, buf, LIMIT, Set.of())).release();
    DriverStats stats = new DriverStats();
    UserptrImporter importer = new UserptrImporter(r.strategy, new DriverLimits(LIMIT, false), stats);
    UserptrRequest tooBig = new UserptrRequest(r.p, buf, LIMIT + 1, Set.of());
    assertThatThrownBy(() -> importer.importRange(tooBig)).isInstanceOfSatisfying(MmException.class, e -> {
      assertThat(e.errno()).isEqualTo(Errno.EINVAL);
      assertThat(stats.isRefusal(e)).isTrue();
    });
    assertThat(stats.isRefusal(new MmException(Errno.EINVAL, "another"))).isFalse();
    assertThat(stats.isRefusal(null)).isFalse();
  }

  @Test
  void aLimitMustBePositive() {
    assertThatThrownBy(() -> new DriverLimits(0, false)).isInstanceOfSatisfying(MmException.class,
        e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
  }

  /** The range checks at their edges: an empty range, a negative address, and a range past the end of user space are EINVAL; one byte is fine. */
  @Test
  void theRangeIsCheckedAtItsEdges() {
    Rig r = new Rig();
    long buf = r.p.memalign(4096, 4096);
    r.p.fill(buf, 4096, 1);
    UserptrImporter importer = new UserptrImporter(r.strategy, new DriverLimits(LIMIT, false), new DriverStats());
    importer.importRange(new UserptrRequest(r.p, buf, 1, Set.of())).release();
    for (long[] bad : new long[][] {{buf, 0}, {-4096, 4096}, {UserptrImporter.TASK_SIZE - 4096, 8192}}) {
      assertThatThrownBy(() -> importer.importRange(new UserptrRequest(r.p, bad[0], bad[1], Set.of())))
          .as("[0x%x, +%d)", bad[0], bad[1]).isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    }
    assertThatThrownBy(() -> importer.importRange(new UserptrRequest(r.p, UserptrImporter.TASK_SIZE - 4096, 4096, Set.of())))
        .as("the last page of user space is a range like any other: not mapped, so EFAULT")
        .isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EFAULT));
    assertThatThrownBy(() -> importer.importRange(new UserptrRequest(r.p, 0, 4096, Set.of())))
        .as("address 0 is in user space, just never mapped (mmap_min_addr): EFAULT, not EINVAL")
        .isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EFAULT));
    assertThatThrownBy(() -> importer.importRange(new UserptrRequest(r.p, buf, 0, Set.of())))
        .hasMessageContaining("the range must not be empty");
  }

  /** GEM create and pwrite only read the program's buffer (copy_from_user): the copy baseline imports a PROT_READ range. */
  @Test
  void theCopyBaselineImportsARangeTheProgramCannotWrite() {
    for (org.userptrlab.mm.KernelConfig kernel : java.util.List.of(org.userptrlab.mm.KernelConfig.LINUX_3_4, org.userptrlab.mm.KernelConfig.LINUX_6_12)) {
      Injector injector = Guice.createInjector(new LabModule(MachineConfig.builder().ram(16L << 20).kernel(kernel).build(),
          new DriverLimits(LIMIT, false), "copy"));
      UserptrImporter importer = injector.getInstance(UserptrImporter.class);
      org.userptrlab.mm.Machine m = injector.getInstance(org.userptrlab.mm.Machine.class);
      Process p = m.spawn("app");
      long buf = p.mmap(0, 4 * 4096, org.userptrlab.mm.Mman.PROT_READ | org.userptrlab.mm.Mman.PROT_WRITE,
          org.userptrlab.mm.Mman.MAP_PRIVATE | org.userptrlab.mm.Mman.MAP_ANONYMOUS);
      p.fill(buf, 4 * 4096, 7);
      p.mprotect(buf, 4 * 4096, org.userptrlab.mm.Mman.PROT_READ);
      org.userptrlab.core.spi.UserptrBacking b = importer.importRange(new UserptrRequest(p, buf, 4 * 4096, Set.of()));
      try (org.userptrlab.core.spi.GpuLease lease = b.pin(org.userptrlab.core.spi.GpuAccess.READ)) {
        assertThat(m.kernel().dmaMatches(lease.frames(), lease.offset(), b.size(), 7, 0)).as("on %s", kernel).isTrue();
      }
      b.release();
      m.checkInvariants();
    }
  }
}
