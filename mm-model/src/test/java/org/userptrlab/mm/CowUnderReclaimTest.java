package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;

import org.junit.jupiter.api.Test;

/**
 * A COW fault allocates its copy with the old page held (do_wp_page's folio_get); the allocation may
 * reclaim, and reclaim may unmap that very page into the swap cache (a GUP reference does not stop
 * try_to_unmap). wp_page_copy then finds the PTE changed (pte_same) and the fault is taken again.
 */
class CowUnderReclaimTest {
  @Test
  void aWriteToPagesAGetUserPagesHolderSharesStaysConsistentWhenItsCopiesMakeReclaimUnmapThem() {
    Machine m = new Machine(MachineConfig.builder().ram(6 * MiB).swap(8 * MiB).cma(4 * MiB).kernel(KernelConfig.LINUX_6_12).build());
    Process p = m.spawn("p");
    long buf = p.memalign(2 * MiB, 2 * MiB);
    p.fill(buf, 2 * MiB, 1);
    // The cow strategy's import, twice: references on every page, then the range write-protected and shared.
    for (int i = 0; i < 2; i++) {
      m.kernel().getUserPagesAll(p, buf, 512, Foll.FOLL_WRITE);
      m.kernel().writeProtectRange(p, buf, 2 * MiB, true);
    }
    for (long off = 0; off < 2 * MiB; off += PAGE) {
      p.fill(buf + off, PAGE, 2);
    }
    assertThat(m.vmstat().get(VmEvent.COW_COPY)).as("every page written was copied away from the held one").isPositive();
    for (long off = 0; off < 2 * MiB; off += PAGE) {
      assertThat(p.matches(buf + off, PAGE, 2)).as("page %d", off / PAGE).isTrue();
    }
    m.checkInvariants();
  }
}
