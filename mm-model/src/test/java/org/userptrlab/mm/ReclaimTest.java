package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.Foll.FOLL_WRITE;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReclaimTest {

  static Machine withSwap(KernelConfig era) {
    return new Machine(MachineConfig.builder().ram(32 * MiB).swap(64 * MiB).kernel(era).build());
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void anonymousPagesGoToSwapAndComeBackWithTheirBytes(KernelConfig era) {
    Machine m = withSwap(era);
    Process p = m.spawn("p");
    long buf = anon(p, 64 * PAGE);
    p.fill(buf, 64 * PAGE, 7);
    long free = m.freePages();

    int freed = m.kernel().reclaim(64);

    assertThat(freed).isEqualTo(64);
    assertThat(m.freePages()).isEqualTo(free + 64);
    assertThat(p.swappedOut(buf)).isTrue();
    assertThat(m.vmstat().get(VmEvent.PSWPOUT)).isEqualTo(64);
    assertThat(p.matches(buf, 64 * PAGE, 7)).isTrue();
    assertThat(m.vmstat().get(VmEvent.PSWPIN)).isEqualTo(64);
    m.checkInvariants();
  }

  @Test
  void mlockedPagesAreNeverReclaimed() {
    Machine m = withSwap(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = anon(p, 16 * PAGE);
    p.mlock(buf, 16 * PAGE);
    assertThat(m.kernel().reclaim(16)).isZero();
    assertThat(p.swappedOut(buf)).isFalse();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aHeldPageIsUnmappedOn34ButSkippedWhenPinnedOnAModernKernel(KernelConfig era) {
    Machine m = withSwap(era);
    Process p = m.spawn("p");
    long buf = anon(p, PAGE);
    p.fill(buf, PAGE, 1);
    PageRefs pin = m.kernel().pinUserPages(p, buf, 1, FOLL_WRITE);

    m.kernel().reclaim(1);

    if (era.has(KernelChange.RECLAIM_SKIP_PINNED)) {
      assertThat(p.pagemap(buf)).isEqualTo(pin.pfn(0));
    } else {
      // try_to_unmap took the PTE and the page went to swap, but the holder keeps the frame alive in
      // the swap cache: the next touch finds the same frame there.
      assertThat(p.swappedOut(buf)).isTrue();
      assertThat(m.vmstat().get(VmEvent.PSWPOUT)).isEqualTo(1);
      assertThat(m.page(pin.pfn(0)).flags()).contains("swapcache");
      assertThat(p.matches(buf, PAGE, 1)).isTrue();
      assertThat(p.pagemap(buf)).isEqualTo(pin.pfn(0));
    }
    m.checkInvariants();
    pin.release();
    m.checkInvariants();
  }

  @Test
  void onLinux34AGpuWriteToASwappedOutHeldPageIsLostIfTheDriverNeverDirtiesIt() {
    Machine m = withSwap(KernelConfig.LINUX_3_4);
    Process p = m.spawn("p");
    long buf = anon(p, PAGE);
    p.fill(buf, PAGE, 1);
    PageRefs held = m.kernel().getUserPages(p, buf, 1, FOLL_WRITE);
    m.kernel().reclaim(1);
    assertThat(p.swappedOut(buf)).isTrue();
    // The device writes the frame by DMA, then the driver lets go without set_page_dirty.
    int pfn = held.pfn(0);
    m.content.release(m.mem.content[pfn]);
    m.mem.content[pfn] = m.content.pattern(2, 0);
    held.release();

    m.kernel().reclaim(1);

    assertThat(p.matches(buf, PAGE, 1)).isTrue();
    assertThat(p.matches(buf, PAGE, 2)).isFalse();
    m.checkInvariants();
  }

  @Test
  void cleanFilePagesAreDroppedAndRereadFromDisk() {
    Machine m = withSwap(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    MemFile f = m.createFile("f", 8 * PAGE);
    m.fillFile(f, 0, 8 * PAGE, 3);
    long map = p.mmap(0, 8 * PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE, f, 0);
    assertThat(p.matches(map, 8 * PAGE, 3)).isTrue();
    m.kernel().reclaim(64);
    assertThat(f.cachedPages()).isZero();
    assertThat(p.matches(map, 8 * PAGE, 3)).isTrue();
    m.checkInvariants();
  }

  @Test
  void memoryPressureReclaimsInsteadOfFailing() {
    Machine m = withSwap(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = anon(p, 48 * MiB);
    p.fill(buf, 48 * MiB, 8);
    assertThat(m.vmstat().get(VmEvent.PSWPOUT)).isGreaterThan(0);
    assertThat(p.matches(buf, 48 * MiB, 8)).isTrue();
    m.checkInvariants();
  }
}
