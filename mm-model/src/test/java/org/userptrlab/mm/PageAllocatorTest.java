package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PageAllocatorTest {

  @Test
  void aContiguousAllocationTakesTheLowestFreeRunAndFailsWhenNoneIsLongEnough() {
    Machine m = new Machine(MachineConfig.builder().ram(8 * MiB).build());
    Process p = m.spawn("p");
    long buf = filled(p, 1024 * PAGE, 1);
    for (int i = 0; i < 1024; i += 64) {
      p.madvise(buf + (long) i * PAGE, 16 * PAGE, Mman.MADV_DONTNEED);
    }
    PageRefs run = m.kernel().allocContigPages(16);
    for (int i = 1; i < 16; i++) {
      assertThat(run.pfn(i)).isEqualTo(run.pfn(0) + i);
    }
    long free = m.freePages();
    SignalExceptionAssert.errno(() -> m.kernel().allocContigPages((int) free), Errno.ENOMEM);
    assertThat(m.freePages()).isEqualTo(free);
    run.release();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void userPagesGoToCmaFirstOnlyOnAModernKernelWhileCmaHoldsMostFreeMemory(KernelConfig era) {
    Machine m = new Machine(MachineConfig.builder().ram(32 * MiB).cma(24 * MiB).kernel(era.with(KernelChange.CMA)).build());
    Process p = m.spawn("p");
    long buf = anon(p, PAGE);
    p.fill(buf, PAGE, 1);
    // __rmqueue (since 2020): CMA pageblocks are preferred while they hold more than half of the free pages;
    // 3.x falls back to CMA only once the other movable memory is gone.
    assertThat(m.page((int) p.pagemap(buf)).zone()).isEqualTo(era == KernelConfig.LINUX_6_12 ? "Normal(CMA)" : "Normal");
  }

  @Test
  void kernelAllocationsNeverLandInCmaOrZoneMovable() {
    Machine m = new Machine(MachineConfig.builder().ram(32 * MiB).cma(8 * MiB).movable(8 * MiB).build());
    PageRefs pages = m.kernel().allocPages(64);
    for (int pfn : pages.pfns()) {
      assertThat(m.page(pfn).zone()).isEqualTo("Normal");
    }
    pages.release();
    m.checkInvariants();
  }

  /**
   * rmqueue_pcplist hands back the page freed last first: a fault after a munmap takes the frames the munmap freed,
   * still warm (pgalloc_warm), where a first fault takes a frame new to the run; a frame a recycled machine's run
   * freed is new to the next run.
   */
  @Test
  void aFrameTheRunFreedComesBackWarmAndAFreshOneDoesNot() {
    Machine m = new Machine(MachineConfig.builder().ram(8 * MiB).build());
    Process p = m.spawn("p");
    long first = filled(p, 8 * PAGE, 1);
    assertThat(m.vmstat().get(VmEvent.PGALLOC)).isPositive();
    assertThat(m.vmstat().get(VmEvent.PGALLOC_WARM)).as("frames new to the run").isZero();
    int freedLast = (int) p.pagemap(first + 7 * PAGE);
    p.munmap(first, 8 * PAGE);
    long again = filled(p, 8 * PAGE, 2);
    assertThat(m.vmstat().get(VmEvent.PGALLOC_WARM)).as("the eight frames the munmap freed").isEqualTo(8);
    assertThat(p.pagemap(again)).as("the page freed last, first").isEqualTo(freedLast);
    m.checkInvariants();
    m.retire();
    Machine next = new Machine(MachineConfig.builder().ram(8 * MiB).build());
    filled(next.spawn("q"), 8 * PAGE, 3);
    assertThat(next.vmstat().get(VmEvent.PGALLOC_WARM)).as("a new machine's frames, on the arrays of the last").isZero();
  }

  /**
   * A run that follows another (MachineConfig#recentlyFreed) takes the first frames its anonymous write faults take new off the lists the other
   * left (pgalloc_recent), as many as the other freed; a frame the run itself freed is warm, not recent; a machine
   * booted for its run alone, on the arrays of that one, has none.
   */
  @Test
  void aRunAfterAnotherTakesTheFramesTheOtherFreedFirst() {
    Machine m = new Machine(MachineConfig.builder().ram(8 * MiB).recentlyFreed(4 * PAGE).build());
    Process p = m.spawn("p");
    long first = filled(p, 3 * PAGE, 1);
    assertThat(m.vmstat().get(VmEvent.PGALLOC_RECENT)).as("three of the four").isEqualTo(3);
    p.munmap(first, 3 * PAGE);
    filled(p, 6 * PAGE, 2);
    assertThat(m.vmstat().get(VmEvent.PGALLOC_WARM)).as("the three the munmap freed").isEqualTo(3);
    assertThat(m.vmstat().get(VmEvent.PGALLOC_RECENT)).as("then the fourth, then frames long free").isEqualTo(4);
    assertThat(m.vmstat().get(VmEvent.PGALLOC)).isEqualTo(9);
    m.checkInvariants();
    m.retire();
    Machine alone = new Machine(MachineConfig.builder().ram(8 * MiB).build());
    filled(alone.spawn("q"), 8 * PAGE, 3);
    assertThat(alone.vmstat().get(VmEvent.PGALLOC_RECENT)).as("a machine booted for its run alone").isZero();
  }

  @Test
  void aRunCannotFollowOneThatFreedMoreThanTheMachineHasOrPartOfAPage() {
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> MachineConfig.builder().ram(8 * MiB).recentlyFreed(16 * MiB)
        .build())).hasMessageContaining("at most the ram of 8 MiB");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> MachineConfig.builder().recentlyFreed(100).build()))
        .hasMessageContaining("a whole number of pages");
  }

  /** An anonymous mapping of {@code bytes}, written with the seed's stream. */
  private static long filled(Process p, long bytes, long seed) {
    long buf = anon(p, bytes);
    p.fill(buf, bytes, seed);
    return buf;
  }
}
