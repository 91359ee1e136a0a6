package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.Foll.FOLL_WRITE;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;
import static org.userptrlab.mm.TestMachines.small;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MigrationTest {

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void migrationRepointsEveryPteAndKeepsTheBytes(KernelConfig era) {
    Machine m = small(era);
    Process p = m.spawn("p");
    long buf = anon(p, PAGE);
    p.fill(buf, PAGE, 4);
    Process child = p.fork();
    int old = (int) p.pagemap(buf);

    int moved = m.kernel().migratePage(old);

    assertThat(moved).isNotEqualTo(old);
    assertThat(p.pagemap(buf)).isEqualTo(moved);
    assertThat(child.pagemap(buf)).isEqualTo(moved);
    assertThat(p.matches(buf, PAGE, 4)).isTrue();
    assertThat(m.vmstat().get(VmEvent.PGMIGRATE_SUCCESS)).isEqualTo(1);
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void migrationOfAPinnedPageFailsWithEagainAndChangesNothing(KernelConfig era) {
    Machine m = small(era);
    Process p = m.spawn("p");
    long buf = anon(p, PAGE);
    p.fill(buf, PAGE, 4);
    PageRefs pin = m.kernel().pinUserPages(p, buf, 1, FOLL_WRITE);
    int pfn = pin.pfn(0);

    long failsBefore = m.vmstat().get(VmEvent.PGMIGRATE_FAIL);
    SignalExceptionAssert.errno(() -> m.kernel().migratePage(pfn), Errno.EAGAIN);

    assertThat(p.pagemap(buf)).isEqualTo(pfn);
    assertThat(m.vmstat().get(VmEvent.PGMIGRATE_FAIL)).isEqualTo(failsBefore + 1);
    pin.release();
    assertThat(m.kernel().migratePage(pfn)).isNotEqualTo(pfn);
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aCmaAllocationFailsWhileAPageInItsRangeIsPinnedAndSucceedsAfterTheUnpin(KernelConfig era) {
    Machine m = new Machine(MachineConfig.builder().ram(64 * MiB).cma(4 * MiB).kernel(era.with(KernelChange.CMA)).build());
    Process p = m.spawn("p");
    // Fill normal memory so that some of the process's pages land in the CMA region.
    long filler = anon(p, 60 * MiB);
    p.fill(filler, 60 * MiB, 1);
    long buf = anon(p, 64 * PAGE);
    p.fill(buf, 64 * PAGE, 2);
    boolean someInCma = false;
    for (int i = 0; i < 64; i++) {
      someInCma |= m.mem.isCma((int) p.pagemap(buf + (long) i * PAGE));
    }
    assertThat(someInCma).isTrue();
    PageRefs pin = m.kernel().getUserPages(p, buf, 64, FOLL_WRITE);
    p.munmap(filler, 60 * MiB);

    SignalExceptionAssert.errno(() -> m.kernel().cmaAlloc(1024), Errno.ENOMEM);
    assertThat(m.vmstat().get(VmEvent.CMA_ALLOC_FAIL)).isEqualTo(1);
    assertThat(m.vmstat().get(VmEvent.PGMIGRATE_FAIL)).isGreaterThanOrEqualTo(Cma.MIGRATE_RETRIES);
    m.checkInvariants();

    pin.release();
    PageRefs cma = m.kernel().cmaAlloc(1024);
    assertThat(cma.pfn(0)).isEqualTo(m.mem.cmaStart);
    assertThat(p.matches(buf, 64 * PAGE, 2)).isTrue();
    for (int i = 0; i < 64; i++) {
      assertThat(m.mem.isCma((int) p.pagemap(buf + (long) i * PAGE))).isFalse();
    }
    m.checkInvariants();
    cma.release();
    m.checkInvariants();
  }

  /**
   * compact_zone: the migrate scanner takes movable pages from the bottom, the free scanner gives
   * them the highest free frames, so the pages end at the top of the zone; a pinned page cannot
   * move (migrate_pages sees a reference no mapping accounts for) and is counted as failed.
   */
  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void compactionMovesEveryMovablePageToTheTopOfTheZoneAndStepsAroundAPinnedOne(KernelConfig era) {
    Machine m = small(era);
    Process p = m.spawn("p");
    long buf = anon(p, 64 * PAGE);
    p.fill(buf, 64 * PAGE, 5);
    for (int i = 0; i < 64; i += 2) {
      p.madvise(buf + (long) i * PAGE, PAGE, Mman.MADV_DONTNEED);
    }
    PageRefs pin = m.kernel().pinUserPages(p, buf + PAGE, 1, FOLL_WRITE);
    long isolated = m.vmstat().get(VmEvent.COMPACT_ISOLATED);
    long moved = m.vmstat().get(VmEvent.PGMIGRATE_SUCCESS);

    long[] result = m.kernel().compactMemory();

    assertThat(result).containsExactly(31, 1);
    assertThat(m.vmstat().get(VmEvent.COMPACT_ISOLATED) - isolated).isEqualTo(31);
    assertThat(m.vmstat().get(VmEvent.PGMIGRATE_SUCCESS) - moved).isEqualTo(31);
    int top = (int) m.totalPages();
    for (int i = 3; i < 64; i += 2) {
      assertThat(p.pagemap(buf + (long) i * PAGE)).as("page %d", i).isBetween((long) top - 31, (long) top - 1);
      assertThat(p.matches(buf + (long) i * PAGE, PAGE, 5, (long) i * PAGE)).isTrue();
    }
    assertThat(p.pagemap(buf + PAGE)).isEqualTo(pin.pfn(0));
    assertThat(m.kernel().compactMemory()).as("a second pass finds nothing to move").containsExactly(0, 1);
    pin.release();
    m.checkInvariants();
  }
}
