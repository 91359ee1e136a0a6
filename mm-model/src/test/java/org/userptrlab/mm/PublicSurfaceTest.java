package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import org.junit.jupiter.api.Test;

/**
 * What the model's public types say about themselves, in the kernel's own terms: errno values and
 * strerror texts, /proc/vmstat names and which counters a real kernel prints, a notifier's interval
 * and removal, and what kind of references a holder took.
 */
class PublicSurfaceTest {
  private final Machine m = new Machine(MachineConfig.builder().ram(8 * MiB).kernel(KernelConfig.LINUX_6_12).build());
  private final Process p = m.spawn("p");

  @Test
  void errnosCarryTheKernelsNumbersAndTexts() {
    assertThat(Errno.ENOMEM.value()).isEqualTo(12);
    assertThat(Errno.ENOMEM.description()).isEqualTo("Out of memory");
    assertThat(Errno.EFAULT.value()).isEqualTo(14);
    assertThat(Errno.EFAULT.description()).isEqualTo("Bad address");
  }

  @Test
  void vmstatNamesItsCountersAsProcVmstatDoesAndPrintsThemSo() {
    assertThat(VmEvent.PGFAULT.procName()).isEqualTo("pgfault");
    assertThat(VmEvent.PGFAULT.inProcVmstat()).isTrue();
    assertThat(VmEvent.TLB_FLUSHED_PAGES.inProcVmstat()).as("a count of the model's own").isFalse();
    long buf = anon(p, PAGE);
    p.fill(buf, PAGE, 1);
    assertThat(m.vmstat().snapshot()).containsEntry(VmEvent.PGFAULT, m.vmstat().get(VmEvent.PGFAULT))
        .hasSize(VmEvent.values().length);
    assertThat(m.vmstat().toString()).contains("pgfault " + m.vmstat().get(VmEvent.PGFAULT) + "\n")
        .contains("pgalloc " + m.vmstat().get(VmEvent.PGALLOC) + "\n");
  }

  @Test
  void aNotifierKnowsItsIntervalAndWhenItWasRemoved() {
    long buf = anon(p, 4 * PAGE);
    MmuIntervalNotifier sub = m.kernel().mmuIntervalNotifierInsert(p, buf + PAGE, 2 * PAGE, (s, r, seq) -> true);
    assertThat(sub.start()).isEqualTo(buf + PAGE);
    assertThat(sub.end()).isEqualTo(buf + 3 * PAGE);
    assertThat(sub.isRemoved()).isFalse();
    sub.remove();
    assertThat(sub.isRemoved()).isTrue();
  }

  @Test
  void aHolderSaysWhatKindOfReferencesItTook() {
    long buf = anon(p, 2 * PAGE);
    p.fill(buf, 2 * PAGE, 1);
    PageRefs got = m.kernel().getUserPages(p, buf, 1, 0);
    PageRefs pinned = m.kernel().pinUserPages(p, buf, 1, 0);
    PageRefs longterm = m.kernel().pinUserPages(p, buf + PAGE, 1, Foll.FOLL_LONGTERM);
    assertThat(got.pinned()).isFalse();
    assertThat(got.longterm()).isFalse();
    assertThat(pinned.pinned()).isTrue();
    assertThat(pinned.longterm()).isFalse();
    assertThat(longterm.pinned()).isTrue();
    assertThat(longterm.longterm()).isTrue();
    assertThat(got.released()).isFalse();
    got.release();
    pinned.release();
    longterm.release();
    assertThat(got.released()).isTrue();
  }

  @Test
  void anAccessAcrossTwoVmasFaultsEachPageInThroughItsOwn() {
    long buf = anon(p, 2 * PAGE);
    p.mlock(buf, PAGE);
    assertThat(p.vmas()).hasSize(2);
    p.fill(buf, 2 * PAGE, 1);
    assertThat(m.page((int) p.pagemap(buf)).flags()).contains("mlocked");
    assertThat(m.page((int) p.pagemap(buf + PAGE)).flags()).as("the second page is not in the locked VMA").doesNotContain("mlocked");
    m.checkInvariants();
  }
}
