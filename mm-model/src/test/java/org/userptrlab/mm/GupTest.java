package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.Foll.FOLL_LONGTERM;
import static org.userptrlab.mm.Foll.FOLL_WRITE;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;
import static org.userptrlab.mm.TestMachines.small;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GupTest {

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void followWriteBreaksCowSoTheDriverHoldsThePageTheProcessWillWrite(KernelConfig era) {
    Machine m = small(era);
    Process p = m.spawn("p");
    long buf = anon(p, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    Process child = p.fork();
    int shared = (int) p.pagemap(buf);

    PageRefs refs = m.kernel().getUserPages(p, buf, 4, FOLL_WRITE);

    assertThat(refs.pfn(0)).isEqualTo((int) p.pagemap(buf)).isNotEqualTo(shared);
    assertThat(child.pagemap(buf)).isEqualTo(shared);
    p.store(buf, (byte) 5);
    assertThat(m.content.byteAt(m.mem.content[refs.pfn(0)], 0)).isEqualTo((byte) 5);
    refs.release();
    m.checkInvariants();
  }

  @Test
  void aPinAddsTheBiasAndMakesThePageMaybeDmaPinnedWhileAGetDoesNot() {
    Machine m = small(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = anon(p, PAGE);
    p.fill(buf, PAGE, 1);
    int pfn = (int) p.pagemap(buf);

    PageRefs get = m.kernel().getUserPages(p, buf, 1, 0);
    assertThat(m.page(pfn).refcount()).isEqualTo(2);
    assertThat(m.page(pfn).maybeDmaPinned()).isFalse();
    PageRefs pin = m.kernel().pinUserPages(p, buf, 1, 0);
    assertThat(m.page(pfn).refcount()).isEqualTo(2 + MemMap.GUP_PIN_COUNTING_BIAS);
    assertThat(m.page(pfn).maybeDmaPinned()).isTrue();
    m.checkInvariants();

    pin.release();
    get.release();
    assertThat(m.page(pfn).refcount()).isEqualTo(1);
    assertThat(m.vmstat().get(VmEvent.NR_FOLL_PIN_ACQUIRED)).isEqualTo(m.vmstat().get(VmEvent.NR_FOLL_PIN_RELEASED));
    m.checkInvariants();
  }

  /** put_page gives back each reference a FOLL_GET walk took, the zero page's too; only pins are nr_foll_pin_released. */
  @Test
  void eachReferenceGivenBackIsCountedAsAPinOrAsAPlainReference() {
    Machine m = small(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = anon(p, 3 * PAGE);
    p.fill(buf, 2 * PAGE, 1);
    PageRefs get = m.kernel().getUserPages(p, buf, 3, 0);
    assertThat(get.pfn(2)).as("a read of an untouched page: the zero page").isEqualTo(MemMap.ZERO_PFN);
    PageRefs pin = m.kernel().pinUserPages(p, buf, 2, 0);

    get.release();
    assertThat(m.vmstat().get(VmEvent.FOLL_GET_RELEASED)).isEqualTo(3);
    assertThat(m.vmstat().get(VmEvent.NR_FOLL_PIN_RELEASED)).isZero();
    pin.release();
    assertThat(m.vmstat().get(VmEvent.FOLL_GET_RELEASED)).isEqualTo(3);
    assertThat(m.vmstat().get(VmEvent.NR_FOLL_PIN_RELEASED)).isEqualTo(2);
    // A driver's own shmem pages are no get_user_pages references.
    MemFile obj = m.kernel().shmemFileSetup("obj", 2 * PAGE);
    m.kernel().shmemGetPages(obj).release();
    assertThat(m.vmstat().get(VmEvent.FOLL_GET_RELEASED)).isEqualTo(3);
    m.kernel().shmemFileRelease(obj);
    m.checkInvariants();
  }

  /**
   * A page whose last reference a pin or a plain reference was goes when that reference is given back, alone
   * (gup_put_folio's folio_put_refs, __folio_put); a page a munmap's zap frees goes in the zap's batch.
   */
  @Test
  void aPageFreedAtTheReleaseOfItsLastReferenceIsCountedAsFreedAlone() {
    Machine m = small(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long held = anon(p, 4 * PAGE);
    long zapped = anon(p, 2 * PAGE);
    p.fill(held, 4 * PAGE, 1);
    p.fill(zapped, 2 * PAGE, 1);
    PageRefs pin = m.kernel().pinUserPages(p, held, 2, FOLL_WRITE);
    PageRefs get = m.kernel().getUserPages(p, held + 2 * PAGE, 2, 0);
    long freed = m.vmstat().get(VmEvent.PGFREE);

    p.munmap(held, 4 * PAGE);
    p.munmap(zapped, 2 * PAGE);
    assertThat(m.vmstat().get(VmEvent.PGFREE) - freed).as("the zap frees only the pages nothing else holds").isEqualTo(2);
    assertThat(m.vmstat().get(VmEvent.PUT_FREED)).isZero();
    pin.release();
    get.release();
    assertThat(m.vmstat().get(VmEvent.PGFREE) - freed).isEqualTo(6);
    assertThat(m.vmstat().get(VmEvent.PUT_FREED)).as("the pinned pages and the referenced ones, each at its put").isEqualTo(4);
    m.checkInvariants();
  }

  @Test
  void linux34HasNoFollPinSoAPinIsAPlainReference() {
    Machine m = small(KernelConfig.LINUX_3_4);
    Process p = m.spawn("p");
    long buf = anon(p, PAGE);
    p.fill(buf, PAGE, 1);
    PageRefs pin = m.kernel().pinUserPages(p, buf, 1, FOLL_WRITE);
    assertThat(pin.pinned()).isFalse();
    assertThat(m.page(pin.pfn(0)).refcount()).isEqualTo(2);
    pin.release();
    m.checkInvariants();
  }

  @Test
  void aShortCountIsReturnedAndTheAllOrNothingHelperReleasesEverything() {
    Machine m = small(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = anon(p, 8 * PAGE);
    p.fill(buf, 8 * PAGE, 1);
    p.munmap(buf + 5 * PAGE, PAGE);

    PageRefs some = m.kernel().getUserPages(p, buf, 8, 0);
    assertThat(some.size()).isEqualTo(5);
    some.release();

    int[] refcounts = new int[5];
    for (int i = 0; i < 5; i++) {
      refcounts[i] = m.page((int) p.pagemap(buf + (long) i * PAGE)).refcount();
    }
    SignalExceptionAssert.errno(() -> m.kernel().pinUserPagesAll(p, buf, 8, FOLL_WRITE), Errno.EFAULT);
    for (int i = 0; i < 5; i++) {
      assertThat(m.page((int) p.pagemap(buf + (long) i * PAGE)).refcount()).isEqualTo(refcounts[i]);
    }
    assertThat(m.gup.liveHolders()).isZero();
    m.checkInvariants();
  }

  @Test
  void pfnmapAndWriteToReadOnlyAreRefusedWithEfaultAndChangeNothing() {
    Machine m = small(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    DeviceMemory bar = m.createDevice("bar", 4 * PAGE);
    long io = p.mmap(0, 4 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, bar, 0);
    long ro = p.mmap(0, 4 * PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    long before = m.stateHash();
    SignalExceptionAssert.errno(() -> m.kernel().getUserPages(p, io, 1, 0), Errno.EFAULT);
    SignalExceptionAssert.errno(() -> m.kernel().pinUserPages(p, ro, 4, FOLL_WRITE), Errno.EFAULT);
    SignalExceptionAssert.errno(() -> m.kernel().pinUserPages(p, ro + 1, 1, 0), Errno.EINVAL);
    SignalExceptionAssert.errno(() -> m.kernel().pinUserPages(p, ro, 0, 0), Errno.EINVAL);
    assertThat(m.stateHash()).isEqualTo(before);
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void longtermPinsMigrateOutOfCmaOnlyOnAModernKernel(KernelConfig era) {
    Machine m = new Machine(MachineConfig.builder().ram(64 * MiB).cma(48 * MiB).kernel(era.with(KernelChange.CMA)).build());
    Process filler = m.spawn("filler");
    long fill = anon(filler, 16 * MiB);
    filler.fill(fill, 16 * MiB, 9);
    Process p = m.spawn("p");
    long buf = anon(p, 16 * PAGE);
    p.fill(buf, 16 * PAGE, 3);
    for (int i = 0; i < 16; i++) {
      assertThat(m.mem.isCma((int) p.pagemap(buf + (long) i * PAGE))).as("page %d starts in CMA", i).isTrue();
    }
    filler.exit();

    PageRefs pin = m.kernel().pinUserPages(p, buf, 16, FOLL_WRITE | FOLL_LONGTERM);

    for (int pfn : pin.pfns()) {
      assertThat(m.mem.isCma(pfn)).isEqualTo(!era.has(KernelChange.LONGTERM_CMA));
    }
    assertThat(m.vmstat().get(VmEvent.PGMIGRATE_SUCCESS)).isEqualTo(era.has(KernelChange.LONGTERM_CMA) ? 16 : 0);
    assertThat(p.matches(buf, 16 * PAGE, 3)).isTrue();
    pin.release();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aLongtermWritablePinOfAFileWithWritebackIsRefusedOnlyOnAModernKernel(KernelConfig era) {
    Machine m = small(era);
    Process p = m.spawn("p");
    MemFile f = m.createFile("data", 4 * PAGE);
    MemFile shm = m.createShmemFile("shm", 4 * PAGE);
    long map = p.mmap(0, 4 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, f, 0);
    long smap = p.mmap(0, 4 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, shm, 0);

    if (era.has(KernelChange.LONGTERM_NO_WRITEBACK)) {
      SignalExceptionAssert.errno(() -> m.kernel().pinUserPages(p, map, 4, FOLL_WRITE | FOLL_LONGTERM), Errno.EFAULT);
    } else {
      m.kernel().pinUserPages(p, map, 4, FOLL_WRITE | FOLL_LONGTERM).release();
    }
    m.kernel().pinUserPages(p, smap, 4, FOLL_WRITE | FOLL_LONGTERM).release();
    m.checkInvariants();
  }

  @Test
  void fastGupTakesPresentPagesWithoutFaulting() {
    Machine m = small(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = anon(p, 8 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    long faults = m.vmstat().get(VmEvent.PGFAULT);

    PageRefs refs = m.kernel().pinUserPagesFast(p, buf, 8, FOLL_WRITE);

    assertThat(m.vmstat().get(VmEvent.GUP_FAST_PAGES)).isEqualTo(4);
    assertThat(m.vmstat().get(VmEvent.GUP_SLOW_PAGES)).isEqualTo(4);
    assertThat(m.vmstat().get(VmEvent.PGFAULT)).isEqualTo(faults + 4);
    refs.release();
    m.checkInvariants();
  }
}
