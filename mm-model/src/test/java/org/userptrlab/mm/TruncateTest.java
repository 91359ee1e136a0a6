package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.Mman.MAP_PRIVATE;
import static org.userptrlab.mm.Mman.MAP_SHARED;
import static org.userptrlab.mm.Mman.PROT_READ;
import static org.userptrlab.mm.Mman.PROT_WRITE;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * truncate(2) (mm/truncate.c: truncate_pagecache): pages past the new size leave every mapping,
 * private copies too, then the page cache; an access there is SIGBUS. A page someone else holds
 * (a pin, a driver's reference) stays alive with its holder, with its bytes, but is no longer the
 * file's. Growing the file again gives zeros, not the old bytes.
 */
class TruncateTest {
  private static Machine machine(KernelConfig k) {
    return new Machine(MachineConfig.builder().ram(64 * MiB).kernel(k).build());
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void pagesPastTheNewSizeLeaveEveryMappingAndAnAccessThereIsSigbus(KernelConfig k) {
    Machine m = machine(k);
    MemFile f = m.createShmemFile("f", 4 * PAGE);
    Process p = m.spawn("p");
    long shared = p.mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
    long priv = p.mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, f, 0);
    p.fill(shared, 4 * PAGE, 1);
    p.fill(priv + 3 * PAGE, PAGE, 2);
    m.truncate(f, 2 * PAGE);
    assertThat(f.size()).isEqualTo(2 * PAGE);
    assertThat(f.cachedPages()).isEqualTo(2);
    assertThat(p.pagemap(shared + 2 * PAGE)).isEqualTo(-1);
    assertThat(p.pagemap(priv + 3 * PAGE)).as("even the private copy goes (even_cows)").isEqualTo(-1);
    for (long addr : new long[] {shared + 2 * PAGE, priv + 3 * PAGE}) {
      assertThatThrownBy(() -> p.load(addr)).isInstanceOfSatisfying(SignalException.class,
          e -> assertThat(e.kind()).isEqualTo(SignalException.Kind.BUS_ADRERR));
    }
    assertThat(p.matches(shared, 2 * PAGE, 1)).as("the pages before the new end stay").isTrue();
    assertThat(p.rss()).isEqualTo(2);
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void growingAgainGivesZerosNotTheOldBytes(KernelConfig k) {
    Machine m = machine(k);
    MemFile f = m.createFile("f", 2 * PAGE);
    m.fillFile(f, 0, 2 * PAGE, 3);
    Process p = m.spawn("p");
    long shared = p.mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
    p.fill(shared + PAGE, PAGE, 4);
    m.truncate(f, PAGE);
    m.truncate(f, 2 * PAGE);
    assertThat(p.load(shared + PAGE)).isZero();
    assertThat(m.fileMatches(f, 0, PAGE, 3)).isTrue();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aPinnedPageStaysWithItsHolderDetachedFromTheFile(KernelConfig k) {
    Machine m = machine(k);
    MemFile f = m.createShmemFile("f", 2 * PAGE);
    Process p = m.spawn("p");
    long shared = p.mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
    p.fill(shared, 2 * PAGE, 5);
    PageRefs pin = m.kernel().pinUserPages(p, shared + PAGE, 1, Foll.FOLL_WRITE);
    int frame = pin.pfn(0);
    long free = m.freePages();
    m.truncate(f, PAGE);
    assertThat(m.freePages()).as("the held page is not freed").isEqualTo(free);
    assertThat(m.page(frame).mapcount()).isZero();
    assertThat(m.kernel().dmaMatches(pin.pfns(), 0, PAGE, 5, PAGE)).as("the holder keeps the bytes it pinned").isTrue();
    m.kernel().dmaFill(pin.pfns(), 0, PAGE, 6);
    m.truncate(f, 2 * PAGE);
    assertThat(p.load(shared + PAGE)).as("the file does not see what the holder writes now").isZero();
    m.checkInvariants();
    long now = m.freePages();
    pin.release();
    assertThat(m.freePages()).as("released, the page is freed").isEqualTo(now + 1);
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aNegativeSizeIsEinvalAndChangesNothing(KernelConfig k) {
    Machine m = machine(k);
    MemFile f = m.createFile("f", PAGE);
    long before = m.stateHash();
    assertThatThrownBy(() -> m.truncate(f, -1)).isInstanceOfSatisfying(MmException.class,
        e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    assertThat(m.stateHash()).isEqualTo(before);
    assertThat(f.size()).isEqualTo(PAGE);
  }
}
