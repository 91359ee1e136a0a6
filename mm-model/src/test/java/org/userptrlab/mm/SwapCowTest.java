package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.Foll.FOLL_GET;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A write fault on a swapped-out page that someone else holds (a driver's get_page, as the cow
 * strategy takes): before 5.18 do_swap_page asked reuse_swap_page, which counts mappings and swap
 * entries only, and reused the page in place, so the holder saw the program's write; from 5.18
 * (c145e0b47c77, "mm: streamline COW logic in do_swap_page()") it reuses only a page whose
 * page_count is 1, and the write goes to a copy. 5.17 and 5.18 are the presets on either side; from
 * 5.19 an exclusive page's swap entry says so, and it comes back the process's own.
 */
class SwapCowTest {
  static Stream<KernelConfig> kernels() {
    return Stream.of("3.4", "5.10", "5.17", "5.18", "6.12").map(KernelConfig::linux);
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void aHeldPageComingBackFromSwapIsReusedInPlaceBefore518AndCopiedFrom518(KernelConfig k) {
    Machine m = ReclaimTest.withSwap(k);
    Process p = m.spawn("p");
    long buf = anon(p, PAGE);
    p.fill(buf, PAGE, 1);
    PageRefs held = m.kernel().getUserPages(p, buf, 1, FOLL_GET);
    m.kernel().reclaim(1 << 12);
    assertThat(p.swappedOut(buf)).as("reclaim unmaps the page the driver holds").isTrue();

    p.store(buf, (byte) 9);

    // With PageAnonExclusive (5.19) the page was the process's alone when it went out, so its swap
    // entry is exclusive and it comes back the process's whatever else holds it (do_swap_page).
    boolean copies = k.has(KernelChange.SWAP_PAGE_COUNT) && !k.has(KernelChange.ANON_EXCLUSIVE);
    assertThat(p.pagemap(buf) == held.pfns()[0]).as("the write lands in the held page").isEqualTo(!copies);
    assertThat(m.kernel().dmaMatches(held.pfns(), 0, PAGE, 1, 0)).as("the holder keeps the bytes it took").isEqualTo(copies);
    held.release();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void theChangesOf518AreIn518AndNotIn517(KernelConfig k) {
    boolean from518 = k.release().atLeast(KernelRelease.parse("5.18"));
    assertThat(k.has(KernelChange.SWAP_PAGE_COUNT)).isEqualTo(from518);
    assertThat(k.has(KernelChange.MUNMAP_LOCKED_VM)).isEqualTo(from518);
    assertThat(KernelChange.MUNMAP_LOCKED_VM.commit()).isEqualTo("a213e5cf71cb");
    assertThat(KernelConfig.linux("5.7").has(KernelChange.CMA_BALANCED)).as("16867664936e came in 5.8").isFalse();
    assertThat(KernelConfig.linux("5.8").has(KernelChange.CMA_BALANCED)).isTrue();
  }
}
