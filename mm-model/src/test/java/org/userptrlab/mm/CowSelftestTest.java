package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.Foll.FOLL_LONGTERM;
import static org.userptrlab.mm.Foll.FOLL_WRITE;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;
import static org.userptrlab.mm.TestMachines.small;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pin-and-fork cases of tools/testing/selftests/mm/cow.c, on this model. Each asserts what
 * the era really does: the modern kernel passes them; 3.4 fails those that the selftest was
 * written to catch (CVE-2020-29374 and the "GUP after fork" incoherence).
 */
class CowSelftestTest {

  /** test_vmsplice_in_child: R/O pin in the child, child unmaps, parent writes: the pin must not see it. */
  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void vmspliceInChild(KernelConfig era) {
    Machine m = small(era);
    Process parent = m.spawn("parent");
    long buf = anon(parent, PAGE);
    parent.fill(buf, PAGE, 1);
    Process child = parent.fork();
    PageRefs pipe = m.kernel().getUserPages(child, buf, 1, 0);
    child.munmap(buf, PAGE);

    parent.fill(buf, PAGE, 2);

    boolean leaked = m.content.matches(m.mem.content[pipe.pfn(0)], 0, PAGE, 2, 0);
    assertThat(leaked).as("the parent's new data is visible through the child's pipe").isEqualTo(era == KernelConfig.LINUX_3_4);
    pipe.release();
    m.checkInvariants();
  }

  /** test_iouring_rw-like: a long-term R/W pin, then fork: the parent's later writes must reach the pinned page. */
  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void longtermPinThenForkStaysWithTheParent(KernelConfig era) {
    Machine m = small(era);
    Process parent = m.spawn("parent");
    long buf = anon(parent, PAGE);
    parent.fill(buf, PAGE, 1);
    PageRefs pin = m.kernel().pinUserPages(parent, buf, 1, FOLL_WRITE | FOLL_LONGTERM);
    Process child = parent.fork();

    parent.fill(buf, PAGE, 2);

    boolean coherent = parent.pagemap(buf) == pin.pfn(0);
    assertThat(coherent).isEqualTo(era.has(KernelChange.FORK_COPY_PINNED));
    if (era.has(KernelChange.FORK_COPY_PINNED)) {
      // copy_present_page: the child got its own copy at fork; the parent kept the pinned page writable.
      assertThat(m.vmstat().get(VmEvent.FORK_COPY)).isEqualTo(1);
      assertThat(child.matches(buf, PAGE, 1)).isTrue();
    } else {
      // The parent's write copied the page away from the pin; the device now shares the child's page.
      assertThat(child.pagemap(buf)).isEqualTo(pin.pfn(0));
    }
    pin.release();
    m.checkInvariants();
  }

  /** test_ro_pin_on_shared: a R/O pin of a page shared with a child, then the parent writes. */
  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void readOnlyPinOnSharedThenParentWrites(KernelConfig era) {
    Machine m = small(era);
    Process parent = m.spawn("parent");
    long buf = anon(parent, PAGE);
    parent.fill(buf, PAGE, 1);
    Process child = parent.fork();
    PageRefs pin = m.kernel().pinUserPages(parent, buf, 1, FOLL_LONGTERM);

    parent.fill(buf, PAGE, 2);

    boolean sees = m.content.matches(m.mem.content[pin.pfn(0)], 0, PAGE, 2, 0);
    // Modern: gup_must_unshare gave the parent its own page before pinning, so the pin follows the parent.
    assertThat(sees).isEqualTo(era.has(KernelChange.GUP_UNSHARE));
    assertThat(child.matches(buf, PAGE, 1)).isTrue();
    pin.release();
    m.checkInvariants();
  }

  /** test_ro_pin_on_ro_previously_shared: the child is gone; mprotect RO, R/O pin, mprotect RW, write. */
  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void readOnlyPinOnPreviouslySharedPage(KernelConfig era) {
    Machine m = small(era);
    Process parent = m.spawn("parent");
    long buf = anon(parent, PAGE);
    parent.fill(buf, PAGE, 1);
    parent.fork().exit();
    parent.mprotect(buf, PAGE, Mman.PROT_READ);
    PageRefs pin = m.kernel().pinUserPages(parent, buf, 1, FOLL_LONGTERM);
    parent.mprotect(buf, PAGE, Mman.PROT_READ | Mman.PROT_WRITE);

    parent.fill(buf, PAGE, 2);

    // Both eras stay coherent here: 3.4 reuses the page mapped once; modern made it exclusive when pinning.
    assertThat(m.content.matches(m.mem.content[pin.pfn(0)], 0, PAGE, 2, 0)).isTrue();
    pin.release();
    m.checkInvariants();
  }

  /** A write-protected page a driver holds by reference: is the next user write copied (snapshot kept)? */
  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void writeProtectAloneDoesNotMakeAHeldPageCopyOnWrite(KernelConfig era) {
    Machine m = small(era);
    Process p = m.spawn("p");
    long buf = anon(p, PAGE);
    p.fill(buf, PAGE, 1);
    PageRefs held = m.kernel().getUserPages(p, buf, 1, 0);
    m.kernel().writeProtectRange(p, buf, PAGE, false);

    p.fill(buf, PAGE, 2);

    // Modern: PageAnonExclusive, so do_wp_page reuses; 3.4: mapcount 1, so it reuses too.
    assertThat(p.pagemap(buf)).isEqualTo(held.pfn(0));
    held.release();

    PageRefs again = m.kernel().getUserPages(p, buf, 1, 0);
    m.kernel().writeProtectRange(p, buf, PAGE, true);
    p.fill(buf, PAGE, 3);
    // Sharing the page (clearing PageAnonExclusive) makes the modern kernel copy; 3.4 still reuses.
    assertThat(p.pagemap(buf) != again.pfn(0)).isEqualTo(era.cowReuse() != KernelConfig.CowReuse.MAPCOUNT);
    again.release();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void anExclusivePinnedPageCannotBeSharedForCow(KernelConfig era) {
    Machine m = small(era);
    Process p = m.spawn("p");
    long buf = anon(p, PAGE);
    p.fill(buf, PAGE, 1);
    PageRefs pin = m.kernel().pinUserPages(p, buf, 1, FOLL_WRITE);
    if (era.has(KernelChange.ANON_EXCLUSIVE)) {
      long before = m.stateHash();
      SignalExceptionAssert.errno(() -> m.kernel().writeProtectRange(p, buf, PAGE, true), Errno.EBUSY);
      assertThat(m.stateHash()).isEqualTo(before);
    } else {
      assertThat(m.kernel().writeProtectRange(p, buf, PAGE, true)).isEqualTo(1);
    }
    pin.release();
    m.checkInvariants();
  }
}
