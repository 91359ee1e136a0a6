package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.Foll.FOLL_LONGTERM;
import static org.userptrlab.mm.Foll.FOLL_WRITE;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;

import org.junit.jupiter.api.Test;

/** Migration of THPs (mm/migrate.c: migrate_pages_batch, remove_migration_pmd), whole from 4.14, split before. */
class ThpMigrationTest {
  private static final long THP = 2 * MiB;

  /** A machine whose user memory is ZONE_MOVABLE first, so that a THP fault lands there. */
  private static Machine machine(KernelConfig k) {
    return new Machine(MachineConfig.builder().ram(64 * MiB).movable(16 * MiB).kernel(k).build());
  }

  @Test
  void aLongtermPinOfOnePageMovesTheWholeThpOutOfZoneMovableAndItStaysAThp() {
    Machine m = machine(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = KernelChangeTest.hugeAligned(p);
    p.fill(buf, THP, 7);
    int before = (int) p.pagemap(buf);
    assertThat(m.mem.isMovableZone(before)).isTrue();
    PageRefs pin = m.kernel().pinUserPages(p, buf + 5 * PAGE, 1, FOLL_WRITE | FOLL_LONGTERM);
    int after = (int) p.pagemap(buf);
    assertThat(m.mem.isMovableZone(after)).as("the folio left ZONE_MOVABLE").isFalse();
    assertThat(p.pmdMapped(buf)).as("remove_migration_pmd: still mapped by a PMD").isTrue();
    assertThat(p.anonHugePages(buf)).isEqualTo(THP);
    assertThat(pin.pfn(0)).isEqualTo(after + 5);
    assertThat(p.matches(buf, THP, 7)).isTrue();
    assertThat(m.vmstat().get(VmEvent.THP_MIGRATION_SUCCESS)).isEqualTo(1);
    assertThat(m.vmstat().get(VmEvent.PGMIGRATE_SUCCESS)).isEqualTo(THP / PAGE);
    assertThat(m.mem.isFree(before)).as("the old folio went back whole").isTrue();
    m.checkInvariants();
    pin.release();
    m.checkInvariants();
  }

  @Test
  void before414TheSamePinSplitsTheThpAndMovesOnlyThePinnedPage() {
    KernelConfig k = KernelConfig.LINUX_6_12.without(KernelChange.THP_MIGRATION);
    Machine m = machine(k);
    Process p = m.spawn("p");
    long buf = KernelChangeTest.hugeAligned(p);
    p.fill(buf, THP, 7);
    PageRefs pin = m.kernel().pinUserPages(p, buf + 5 * PAGE, 1, FOLL_WRITE | FOLL_LONGTERM);
    assertThat(p.anonHugePages(buf)).as("split_folio before the move").isZero();
    assertThat(m.mem.isMovableZone(pin.pfn(0))).isFalse();
    assertThat(m.mem.isMovableZone((int) p.pagemap(buf))).as("the pages not pinned stay where they were").isTrue();
    assertThat(p.matches(buf, THP, 7)).isTrue();
    assertThat(m.vmstat().get(VmEvent.THP_SPLIT_PAGE)).isEqualTo(1);
    assertThat(m.vmstat().get(VmEvent.THP_MIGRATION_SUCCESS)).isZero();
    m.checkInvariants();
    pin.release();
  }

  @Test
  void aThpSomeoneHoldsDoesNotMoveAndStaysWholeAndMapped() {
    Machine m = machine(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = KernelChangeTest.hugeAligned(p);
    p.fill(buf, THP, 3);
    PageRefs held = m.kernel().getUserPages(p, buf, 1, FOLL_WRITE);
    int pfn = (int) p.pagemap(buf + PAGE);
    SignalExceptionAssert.errno(() -> m.kernel().migratePage(pfn), Errno.EAGAIN);
    assertThat(p.pagemap(buf + PAGE)).isEqualTo(pfn);
    assertThat(p.pmdMapped(buf)).isTrue();
    assertThat(m.vmstat().get(VmEvent.THP_MIGRATION_FAIL)).isEqualTo(1);
    m.checkInvariants();
    held.release();
    int moved = m.kernel().migratePage(pfn);
    assertThat(p.pagemap(buf + PAGE)).isEqualTo(moved);
    assertThat(p.pmdMapped(buf)).isTrue();
    m.checkInvariants();
  }

  @Test
  void aPteMappedThpSharedWithAChildMovesWholeForBothAndEachPteFollowsItsPage() {
    Machine m = machine(KernelConfig.LINUX_6_12);
    Process parent = m.spawn("parent");
    long buf = KernelChangeTest.hugeAligned(parent);
    parent.fill(buf, THP, 4);
    parent.mprotect(buf, PAGE, Mman.PROT_READ);
    parent.mprotect(buf, PAGE, Mman.PROT_READ | Mman.PROT_WRITE);
    assertThat(parent.pmdMapped(buf)).as("change_pmd_range split the PMD").isFalse();
    Process child = parent.fork();
    int pfn = (int) parent.pagemap(buf + 9 * PAGE);
    int moved = m.kernel().migratePage(pfn);
    assertThat(parent.pagemap(buf + 9 * PAGE)).isEqualTo(moved);
    assertThat(child.pagemap(buf + 9 * PAGE)).isEqualTo(moved);
    assertThat(parent.pagemap(buf + 10 * PAGE)).isEqualTo(moved + 1);
    assertThat(m.page(moved).folioPages()).isEqualTo((int) (THP / PAGE));
    assertThat(child.matches(buf, THP, 4)).isTrue();
    m.checkInvariants();
  }

  @Test
  void aThpMappedInPartIsSplitFirstAndOnlyItsMappedPagesMove() {
    Machine m = machine(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = KernelChangeTest.hugeAligned(p);
    p.fill(buf, THP, 5);
    p.munmap(buf + THP / 2, THP / 2);
    int pfn = (int) p.pagemap(buf);
    m.kernel().migratePage(pfn);
    assertThat(m.vmstat().get(VmEvent.THP_SPLIT_PAGE)).isEqualTo(1);
    assertThat(m.vmstat().get(VmEvent.THP_MIGRATION_SUCCESS)).isZero();
    assertThat(p.matches(buf, THP / 2, 5)).isTrue();
    m.checkInvariants();
  }

  @Test
  void withNoFreeHugeBlockOutsideTheZoneTheThpIsSplitAndThePageMovesAlone() {
    Machine m = new Machine(MachineConfig.builder().ram(24 * MiB).movable(8 * MiB).kernel(KernelConfig.LINUX_6_12).build());
    Process p = m.spawn("p");
    long buf = KernelChangeTest.hugeAligned(p);
    p.fill(buf, THP, 6);
    assertThat(m.mem.isMovableZone((int) p.pagemap(buf))).isTrue();
    // Small pages everywhere until ZONE_NORMAL is all but full, then every other one freed: no aligned 2 MiB block is left there.
    Process hog = m.spawn("hog");
    long size = 24 * MiB;
    long area = hog.mmap(0, size, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    hog.madvise(area, size, Mman.MADV_NOHUGEPAGE);
    long end = area;
    while (m.mem.freePages(MemMap.AREA_NORMAL) > 64) {
      hog.store(end, (byte) 1);
      end += PAGE;
    }
    for (long a = area; a < end; a += 2 * PAGE) {
      hog.munmap(a, PAGE);
    }
    PageRefs pin = m.kernel().pinUserPages(p, buf + 3 * PAGE, 1, FOLL_WRITE | FOLL_LONGTERM);
    assertThat(m.vmstat().get(VmEvent.THP_MIGRATION_SPLIT)).isEqualTo(1);
    assertThat(p.anonHugePages(buf)).isZero();
    assertThat(m.mem.isMovableZone(pin.pfn(0))).isFalse();
    assertThat(p.matches(buf, THP, 6)).isTrue();
    m.checkInvariants();
    pin.release();
  }
}
