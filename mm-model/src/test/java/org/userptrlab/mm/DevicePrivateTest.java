package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Device-private memory (ZONE_DEVICE, MEMORY_DEVICE_PRIVATE) and migration to and from it, each
 * test a fact of mm/memory.c, mm/migrate_device.c or mm/hmm.c, with lib/test_hmm.c's dmirror as
 * the device, as tools/testing/selftests/mm/hmm-tests.c drives it.
 */
class DevicePrivateTest {
  private final Machine m = new Machine(MachineConfig.builder().ram(64 * MiB).devicePrivate(4 * MiB).kernel(KernelConfig.linux("6.15")).build());
  private final TestHmm dev = new TestHmm(m, 4 * MiB);
  private final Process p = m.spawn("p");

  @AfterEach
  void invariantsHold() {
    m.checkInvariants();
  }

  private long written(int pages, long seed) {
    long buf = anon(p, (long) pages * PAGE);
    p.fill(buf, (long) pages * PAGE, seed);
    return buf;
  }

  @Test
  void migrationToTheDeviceLeavesWritableDevicePrivateEntriesAndFreesTheRamPages() {
    long buf = written(4, 7);
    long ram = m.kernel().allocPages(1).pfns()[0];
    int freeBefore = m.mem.freePages();
    assertThat(dev.migrateToDevice(p, buf, 4)).isEqualTo(4);
    for (int i = 0; i < 4; i++) {
      assertThat(p.devicePrivatePage(buf + (long) i * PAGE)).isGreaterThanOrEqualTo(m.mem.nrFrames);
      assertThat(p.devicePrivateWritable(buf + (long) i * PAGE)).isTrue();
      assertThat(p.pagemap(buf + (long) i * PAGE)).isEqualTo(-1);
    }
    assertThat(m.mem.freePages()).isEqualTo(freeBefore + 4);
    assertThat(p.rssParts().anon()).as("MM_ANONPAGES still counts them").isEqualTo(4);
    assertThat(ram).isPositive();
  }

  @Test
  void aCpuFaultMigratesTheDevicePageBackWithItsBytesAndFreesTheDevicePage() {
    long buf = written(2, 11);
    dev.migrateToDevice(p, buf, 2);
    int devicePage = (int) p.devicePrivatePage(buf);
    assertThat(p.matches(buf, PAGE, 11)).isTrue();
    assertThat(dev.cpuFaults).isEqualTo(1);
    assertThat(p.resident(buf)).isTrue();
    assertThat(p.devicePrivatePage(buf)).isEqualTo(-1);
    assertThat(p.devicePrivatePage(buf + PAGE)).as("dmirror takes back only the faulting page").isNotEqualTo(-1);
    assertThat(dev.pagesFreed).isEqualTo(1);
    assertThat(m.mem.isFree(devicePage)).isTrue();
    assertThat(m.vmstat().get(VmEvent.DEVICE_PRIVATE_FAULT)).isEqualTo(1);
    assertThat(m.vmstat().get(VmEvent.MIGRATE_TO_RAM)).isEqualTo(1);
  }

  @Test
  void holesOfAnAnonymousVmaAreFilledInDeviceMemory() {
    long buf = anon(p, 2 * PAGE);
    assertThat(dev.migrateToDevice(p, buf, 2)).isEqualTo(2);
    assertThat(p.devicePrivatePage(buf)).isNotEqualTo(-1);
    assertThat(p.load(buf + PAGE)).isZero();
  }

  @Test
  void forkSharesTheDevicePageReadOnlyAndTheFirstWriteMigratesItBackAndCopies() {
    long buf = written(1, 3);
    dev.migrateToDevice(p, buf, 1);
    int page = (int) p.devicePrivatePage(buf);
    Process child = p.fork();
    // copy_nonpresent_pte: readable entries on both sides, one device page mapped twice.
    assertThat(child.devicePrivatePage(buf)).isEqualTo(page);
    assertThat(p.devicePrivateWritable(buf)).isFalse();
    assertThat(child.devicePrivateWritable(buf)).isFalse();
    assertThat((int) m.mem.mapcount[page]).isEqualTo(2);
    p.store(buf, (byte) 0x5a);
    // migrate_vma moved the page for both (try_to_migrate), then the parent's write copied it.
    assertThat(child.devicePrivatePage(buf)).isEqualTo(-1);
    assertThat(child.pagemap(buf)).isNotEqualTo(p.pagemap(buf));
    assertThat(child.matches(buf, PAGE, 3)).isTrue();
    assertThat(p.load(buf)).isEqualTo((byte) 0x5a);
    assertThat(dev.pagesFreed).isEqualTo(1);
  }

  @Test
  void pinUserPagesOfADevicePrivatePageReturnsASystemPage() {
    long buf = written(2, 5);
    dev.migrateToDevice(p, buf, 2);
    PageRefs pins = m.kernel().pinUserPages(p, buf, 2, Foll.FOLL_WRITE | Foll.FOLL_LONGTERM);
    for (int pfn : pins.pfns()) {
      assertThat(pfn).isBetween(1, m.mem.nrFrames - 1);
    }
    assertThat(p.devicePrivatePage(buf)).isEqualTo(-1);
    assertThat(p.matches(buf, 2L * PAGE, 5)).isTrue();
    pins.release();
  }

  @Test
  void aPinnedPageIsNotMigratedToTheDevice() {
    long buf = written(2, 5);
    PageRefs pin = m.kernel().pinUserPages(p, buf, 1, Foll.FOLL_WRITE | Foll.FOLL_LONGTERM);
    assertThat(dev.migrateToDevice(p, buf, 2)).as("the pinned page stays; its neighbour moves").isEqualTo(1);
    assertThat(p.pagemap(buf)).isEqualTo(pin.pfns()[0]);
    assertThat(p.devicePrivatePage(buf + PAGE)).isNotEqualTo(-1);
    pin.release();
  }

  @Test
  void aPageSomeoneHoldsWithGetUserPagesIsNotMigratedEither() {
    long buf = written(1, 5);
    PageRefs ref = m.kernel().getUserPages(p, buf, 1, Foll.FOLL_WRITE);
    assertThat(dev.migrateToDevice(p, buf, 1)).isZero();
    assertThat(p.pagemap(buf)).isEqualTo(ref.pfns()[0]);
    ref.release();
  }

  @Test
  void munmapOfPartOfARangeGivesItsDevicePagesBackToTheDriverAndKeepsTheRest() {
    long buf = written(4, 9);
    dev.migrateToDevice(p, buf, 4);
    int freeBefore = dev.freePages();
    p.munmap(buf + 2L * PAGE, 2L * PAGE);
    assertThat(dev.pagesFreed).isEqualTo(2);
    assertThat(dev.freePages()).isEqualTo(freeBefore + 2);
    assertThat(p.devicePrivatePage(buf)).isNotEqualTo(-1);
    assertThat(p.matches(buf, 2L * PAGE, 9)).isTrue();
  }

  @Test
  void exitGivesEveryDevicePageBack() {
    long buf = written(8, 9);
    dev.migrateToDevice(p, buf, 8);
    p.exit();
    assertThat(dev.pagesFreed).isEqualTo(8);
  }

  @Test
  void mprotectMakesDevicePrivateEntriesReadable() {
    long buf = written(1, 1);
    dev.migrateToDevice(p, buf, 1);
    p.mprotect(buf, PAGE, Mman.PROT_READ);
    assertThat(p.devicePrivatePage(buf)).isNotEqualTo(-1);
    assertThat(p.devicePrivateWritable(buf)).isFalse();
  }

  @Test
  void hmmRangeFaultReportsTheOwnersDevicePagesAsTheyAreEvenForAWrite() {
    long buf = written(1, 1);
    dev.migrateToDevice(p, buf, 1);
    p.fork();
    long[] pfns = dev.fault(p, buf, 1, true);
    assertThat(HmmRange.pfn(pfns[0])).isEqualTo(p.devicePrivatePage(buf));
    assertThat(HmmRange.valid(pfns[0])).isTrue();
    assertThat(HmmRange.writable(pfns[0])).as("the entry is readable after fork; hmm does not fault it").isFalse();
    assertThat(dev.cpuFaults).isZero();
  }

  @Test
  void hmmRangeFaultForAnotherOwnerFaultsTheDevicePageBack() {
    long buf = written(1, 1);
    dev.migrateToDevice(p, buf, 1);
    long[] pfns = m.kernel().hmmRangeFault(new HmmRange(p, buf, buf + PAGE, HmmRange.HMM_PFN_REQ_FAULT, "another driver"));
    assertThat(HmmRange.pfn(pfns[0])).isLessThan(m.mem.nrFrames);
    assertThat(dev.cpuFaults).isEqualTo(1);
  }

  @Test
  void hmmRangeFaultAskingForWriteBreaksCowOfASharedPage() {
    long buf = written(1, 1);
    Process child = p.fork();
    long before = p.pagemap(buf);
    long[] pfns = dev.fault(p, buf, 1, true);
    assertThat(HmmRange.writable(pfns[0])).isTrue();
    assertThat(HmmRange.pfn(pfns[0])).isNotEqualTo(before);
    assertThat(child.pagemap(buf)).isEqualTo(before);
  }

  @Test
  void migrateVmaSetupRefusesWhatNoMigrationCanTakeAndChangesNothing() {
    long buf = written(1, 1);
    long before = p.pagemap(buf);
    assertThatThrownBy(() -> m.kernel().migrateVmaSetup(new MigrateVma(p, buf + 4 * PAGE, buf + 5 * PAGE, MigrateVma.SELECT_SYSTEM, dev, -1)))
        .isInstanceOf(MmException.class).hasMessageContaining("EINVAL");
    assertThatThrownBy(() -> m.kernel().migrateVmaSetup(new MigrateVma(p, buf, buf + 2 * PAGE, MigrateVma.SELECT_SYSTEM, dev, -1)))
        .isInstanceOf(MmException.class).hasMessageContaining("one VMA");
    assertThat(p.pagemap(buf)).isEqualTo(before);
  }

  @Test
  void aFilePageIsCollectedButNeverMovesIntoDeviceMemory() {
    MemFile f = m.createShmemFile("f", PAGE);
    long buf = p.mmap(0, PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, f, 0);
    p.store(buf, (byte) 1);
    long before = p.pagemap(buf);
    dev.migrateToDevice(p, buf, 1);
    assertThat(p.pagemap(buf)).isEqualTo(before);
    assertThat(dev.pagesFreed).as("the destination went back").isEqualTo(1);
  }

  @Test
  void theOwnersMigrationCarriesItsOwnerToTheNotifiers() {
    long buf = written(1, 1);
    java.util.List<MmuNotifierRange> seen = new java.util.ArrayList<>();
    m.kernel().mmuIntervalNotifierInsert(p, buf, PAGE, (s, r, seq) -> {
      seen.add(r);
      s.setSeq(seq);
      return true;
    });
    dev.migrateToDevice(p, buf, 1);
    assertThat(seen).extracting(MmuNotifierRange::event, MmuNotifierRange::owner).containsExactly(
        org.assertj.core.groups.Tuple.tuple(MmuNotifierEvent.MIGRATE, dev));
  }

  @Test
  void migrateDeviceRangeEvictsEveryMappingOfTheDevicesPages() {
    long buf = written(2, 4);
    dev.migrateToDevice(p, buf, 2);
    Process child = p.fork();
    long[] src = m.kernel().migrateDeviceRange(dev.pgmap.firstPfn(), dev.pgmap.nrPages());
    long[] dst = new long[src.length];
    for (int i = 0; i < src.length; i++) {
      if ((src[i] & MigrateVma.MIGRATE_PFN_MIGRATE) != 0) {
        int d = m.kernel().allocMigrationTarget();
        m.kernel().dmaCopyPages(new int[] {d}, new int[] {MigrateVma.page(src[i])});
        dst[i] = MigrateVma.migratePfn(d);
      }
    }
    m.kernel().migrateDevicePages(src, dst);
    m.kernel().migrateDeviceFinalize(src, dst);
    assertThat(p.devicePrivatePage(buf)).isEqualTo(-1);
    assertThat(child.pagemap(buf)).isEqualTo(p.pagemap(buf)).isPositive();
    assertThat(child.matches(buf, 2L * PAGE, 4)).isTrue();
    assertThat(dev.pagesFreed).isEqualTo(2);
  }

  @Test
  void memremapPagesNeedsTheMachinesDevicePrivateSpace() {
    assertThatThrownBy(() -> new TestHmm(m, 4 * MiB)).isInstanceOf(MmException.class).hasMessageContaining("ENOMEM");
    Machine none = new Machine(MachineConfig.builder().ram(64 * MiB).build());
    assertThatThrownBy(() -> new TestHmm(none, PAGE)).isInstanceOf(MmException.class).hasMessageContaining("ENOMEM");
  }
}
