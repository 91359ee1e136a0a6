package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * do_swap_page on each side of PageAnonExclusive (5.19): a page that was the process's alone comes
 * back its own (mapped writable at once on a modern kernel, reused in place by a write before),
 * and a page a fork shares comes back read-only, so that the first write copies it and the other
 * process keeps its bytes.
 */
class SwapInTest {
  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aPageThatWasTheProcesssAloneComesBackItsOwn(KernelConfig k) {
    Machine m = ReclaimTest.withSwap(k);
    Process p = m.spawn("p");
    long buf = anon(p, 2 * PAGE);
    p.fill(buf, 2 * PAGE, 1);
    m.kernel().reclaim(1 << 12);
    assertThat(p.swappedOut(buf)).isTrue();
    long in = m.vmstat().get(VmEvent.PSWPIN);
    assertThat(p.load(buf)).isEqualTo(Content.patternByte(1, 0));
    assertThat(m.vmstat().get(VmEvent.PSWPIN) - in).isEqualTo(1);
    boolean modern = k.has(KernelChange.ANON_EXCLUSIVE);
    assertThat(p.pteWritable(buf)).as("a read maps an exclusive page writable only with PageAnonExclusive").isEqualTo(modern);
    assertThat(m.page((int) p.pagemap(buf)).flags().contains("anon_exclusive")).isEqualTo(modern);
    long page = p.pagemap(buf);
    long copies = m.vmstat().get(VmEvent.COW_COPY);
    p.store(buf, (byte) 5);
    assertThat(p.pagemap(buf)).as("the write reuses the page in place").isEqualTo(page);
    assertThat(m.vmstat().get(VmEvent.COW_COPY)).isEqualTo(copies);
    p.store(buf + PAGE, (byte) 6);
    assertThat(p.pteWritable(buf + PAGE)).as("a write fault on a swapped page maps it writable").isTrue();
    assertThat(p.matches(buf + PAGE + 1, PAGE - 1, 1, PAGE + 1)).isTrue();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aPageAForkSharesComesBackReadOnlyAndIsCopiedOnTheFirstWrite(KernelConfig k) {
    Machine m = ReclaimTest.withSwap(k);
    Process parent = m.spawn("parent");
    long buf = anon(parent, PAGE);
    parent.fill(buf, PAGE, 1);
    Process child = parent.fork();
    m.kernel().reclaim(1 << 12);
    assertThat(parent.swappedOut(buf)).isTrue();
    assertThat(child.swappedOut(buf)).isTrue();
    child.load(buf);
    assertThat(child.pteWritable(buf)).as("the slot is still the parent's too").isFalse();
    parent.load(buf);
    assertThat(parent.pagemap(buf)).as("both map the one page read back").isEqualTo(child.pagemap(buf));
    assertThat(m.page((int) parent.pagemap(buf)).mapcount()).isEqualTo(2);
    long copies = m.vmstat().get(VmEvent.COW_COPY);
    child.store(buf, (byte) 7);
    assertThat(m.vmstat().get(VmEvent.COW_COPY) - copies).isEqualTo(1);
    assertThat(child.pagemap(buf)).isNotEqualTo(parent.pagemap(buf));
    assertThat(parent.matches(buf, PAGE, 1)).isTrue();
    m.kernel().reclaim(1 << 12);
    assertThat(parent.matches(buf, PAGE, 1)).as("swapped out and in again, still the parent's bytes").isTrue();
    m.checkInvariants();
  }
}
