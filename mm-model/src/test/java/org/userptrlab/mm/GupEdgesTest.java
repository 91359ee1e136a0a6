package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.Foll.FOLL_FORCE;
import static org.userptrlab.mm.Foll.FOLL_LONGTERM;
import static org.userptrlab.mm.Foll.FOLL_WRITE;
import static org.userptrlab.mm.Mman.MAP_ANONYMOUS;
import static org.userptrlab.mm.Mman.MAP_PRIVATE;
import static org.userptrlab.mm.Mman.PROT_NONE;
import static org.userptrlab.mm.Mman.PROT_READ;
import static org.userptrlab.mm.Mman.PROT_WRITE;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import org.junit.jupiter.api.Test;

/**
 * get_user_pages at the edges of mm/gup.c: the access the VMA allows (check_vma_flags, FOLL_FORCE
 * through a private read-only mapping as ptrace does), a short count at a hole, FOLL_LONGTERM out of
 * ZONE_MOVABLE (5.13+), and the charges a holder makes, which the checker accounts for.
 */
class GupEdgesTest {
  private final Machine m = new Machine(MachineConfig.builder().ram(32 * MiB).movable(8 * MiB).kernel(KernelConfig.LINUX_6_12).build());
  private final Kernel k = m.kernel();
  private final Process p = m.spawn("p");

  private static void efault(Runnable call) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EFAULT));
  }

  @Test
  void theAccessMustBeOneTheMappingAllowsUnlessForcedThroughAPrivateOne() {
    long none = p.mmap(0, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS);
    efault(() -> k.getUserPages(p, none, 1, 0));
    PageRefs forcedRead = k.getUserPages(p, none, 1, FOLL_FORCE);
    assertThat(forcedRead.size()).as("FOLL_FORCE reads what PROT_NONE hides").isEqualTo(1);
    forcedRead.release();

    long ro = p.mmap(0, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    efault(() -> k.getUserPages(p, ro, 1, FOLL_WRITE));
    PageRefs forced = k.getUserPages(p, ro, 1, FOLL_WRITE | FOLL_FORCE);
    int pfn = forced.pfn(0);
    assertThat(pfn).as("the forced write broke COW: a page of its own, not the zero page").isNotEqualTo(MemMap.ZERO_PFN);
    assertThat(p.pteWritable(ro)).as("the PTE itself stays read-only").isFalse();
    forced.release();
    PageRefs again = k.getUserPages(p, ro, 1, FOLL_WRITE | FOLL_FORCE);
    assertThat(again.pfn(0)).as("its own page is taken as it is the second time").isEqualTo(pfn);
    again.release();

    MemFile f = m.createFile("f", PAGE);
    long shared = p.mmap(0, PAGE, PROT_READ, Mman.MAP_SHARED, f, 0);
    efault(() -> k.getUserPages(p, shared, 1, FOLL_WRITE | FOLL_FORCE));
    m.checkInvariants();
  }

  @Test
  void aWalkStopsAtAHoleWithAShortCountAndTheAllOrNothingCallsTakeNothing() {
    long buf = anon(p, 4 * PAGE);
    p.munmap(buf + 2 * PAGE, PAGE);
    PageRefs some = k.getUserPages(p, buf, 4, FOLL_WRITE);
    assertThat(some.size()).isEqualTo(2);
    some.release();
    int refcount = m.page((int) p.pagemap(buf)).refcount();
    assertThatThrownBy(() -> k.pinUserPagesAll(p, buf, 4, FOLL_WRITE)).isInstanceOfSatisfying(MmException.class, e -> {
      assertThat(e.errno()).isEqualTo(Errno.EFAULT);
      assertThat(e.getMessage()).contains("only 2 of 4 pages").contains("nothing is held");
    });
    assertThat(m.page((int) p.pagemap(buf)).refcount()).as("the pins taken before the hole were given back").isEqualTo(refcount);
    assertThat(m.gup.liveHolders()).isZero();
    efault(() -> k.getUserPages(p, buf + 2 * PAGE, 1, 0));
  }

  @Test
  void aLongtermPinMovesItsPagesOutOfZoneMovableAndAShortOneDoesNot() {
    Machine movable = new Machine(MachineConfig.builder().ram(8 * MiB).movable(6 * MiB).kernel(KernelConfig.LINUX_6_12).build());
    Process q = movable.spawn("q");
    long buf = anon(q, 4 * PAGE);
    q.fill(buf, 4 * PAGE, 1);
    assertThat(movable.page((int) q.pagemap(buf)).zone()).isEqualTo("Movable");
    PageRefs shortTerm = movable.kernel().pinUserPages(q, buf, 4, FOLL_WRITE);
    assertThat(movable.page(shortTerm.pfn(0)).zone()).isEqualTo("Movable");
    shortTerm.release();
    PageRefs longTerm = movable.kernel().pinUserPages(q, buf, 4, FOLL_WRITE | FOLL_LONGTERM);
    for (int i = 0; i < 4; i++) {
      assertThat(movable.page(longTerm.pfn(i)).zone()).isEqualTo("Normal");
    }
    assertThat(longTerm.pinned()).isTrue();
    assertThat(q.matches(buf, 4 * PAGE, 1)).isTrue();
    longTerm.release();
    movable.checkInvariants();
  }

  @Test
  void chargesAreTheHoldersAndTheCheckerCountsThem() {
    long buf = anon(p, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    PageRefs pinned = k.pinUserPagesAll(p, buf, 2, FOLL_WRITE | FOLL_LONGTERM);
    PageRefs locked = k.getUserPagesAll(p, buf + 2 * PAGE, 2, FOLL_WRITE);
    k.accountPinnedVm(p, pinned);
    k.accountLockedVm(p, locked);
    assertThat(p.pinnedVm()).isEqualTo(2);
    assertThat(p.lockedVm()).isEqualTo(2);
    assertThat(m.gup.liveHolders()).isEqualTo(2);
    m.checkInvariants();
    p.mm.pinnedVm--;
    assertThatThrownBy(m::checkInvariants).hasMessageContaining("pinned_vm is 1 pages but live pins charged to it hold 2");
    p.mm.pinnedVm++;
    p.mm.lockedVm++;
    assertThatThrownBy(m::checkInvariants).hasMessageContaining("locked_vm is 3 pages");
    p.mm.lockedVm--;
    pinned.release();
    locked.release();
    assertThat(p.pinnedVm()).isZero();
    assertThat(p.lockedVm()).isZero();
    assertThat(m.gup.liveHolders()).isZero();
  }

  @Test
  void pagesHeldForWritingAreDirtiedWhenGivenBackThatWay() {
    long buf = anon(p, 2 * PAGE);
    p.fill(buf, 2 * PAGE, 1);
    PageRefs refs = k.getUserPagesAll(p, buf, 2, FOLL_WRITE);
    int pfn = refs.pfn(0);
    m.mem.flags[pfn] &= ~PageFlags.PG_DIRTY;
    refs.releaseDirty();
    assertThat(m.page(pfn).flags()).contains("dirty");
  }
}
