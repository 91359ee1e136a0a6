package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.Mman.MAP_ANONYMOUS;
import static org.userptrlab.mm.Mman.MAP_LOCKED;
import static org.userptrlab.mm.Mman.MAP_PRIVATE;
import static org.userptrlab.mm.Mman.MAP_SHARED;
import static org.userptrlab.mm.Mman.MREMAP_DONTUNMAP;
import static org.userptrlab.mm.Mman.MREMAP_FIXED;
import static org.userptrlab.mm.Mman.MREMAP_MAYMOVE;
import static org.userptrlab.mm.Mman.PROT_READ;
import static org.userptrlab.mm.Mman.PROT_WRITE;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * mremap(2) as mm/mremap.c does it: a shrink unmaps the tail, a grow stays in place where the gap
 * after the mapping is free, and otherwise moves with MREMAP_MAYMOVE, taking the page tables along:
 * the same frames at the new address, so a pin on them still holds the program's pages. Each
 * refused call names the kernel's errno and changes nothing.
 */
class MremapTest {
  private static Machine machine(KernelConfig k) {
    return new Machine(MachineConfig.builder().ram(64 * MiB).swap(16 * MiB).kernel(k).build());
  }

  /** The call fails with {@code errno} and the machine is as it was. */
  private static void refused(Machine m, Errno errno, Executable call) {
    long before = m.stateHash();
    assertThatThrownBy(call::execute).isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(errno));
    assertThat(m.stateHash()).as("a refused call changes nothing").isEqualTo(before);
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aShrinkUnmapsTheTailAndKeepsTheAddress(KernelConfig k) {
    Machine m = machine(k);
    Process p = m.spawn("p");
    long buf = anon(p, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    assertThat(p.mremap(buf, 4 * PAGE, 2 * PAGE, 0)).isEqualTo(buf);
    assertThat(p.vma(buf).size()).isEqualTo(2 * PAGE);
    assertThat(p.vma(buf + 2 * PAGE)).isNull();
    assertThat(p.rss()).isEqualTo(2);
    assertThat(p.matches(buf, 2 * PAGE, 1)).isTrue();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aGrowStaysInPlaceWhereTheGapAfterItIsFree(KernelConfig k) {
    Machine m = machine(k);
    Process p = m.spawn("p");
    long buf = anon(p, 4 * PAGE);
    p.munmap(buf + 2 * PAGE, 2 * PAGE);
    p.fill(buf, 2 * PAGE, 1);
    assertThat(p.mremap(buf, 2 * PAGE, 4 * PAGE, 0)).isEqualTo(buf);
    assertThat(p.vma(buf).size()).isEqualTo(4 * PAGE);
    p.fill(buf + 2 * PAGE, 2 * PAGE, 2);
    assertThat(p.matches(buf, 2 * PAGE, 1)).isTrue();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aGrowWithoutRoomIsEnomemWithoutMaymoveAndChangesNothing(KernelConfig k) {
    Machine m = machine(k);
    Process p = m.spawn("p");
    long buf = anon(p, 4 * PAGE);
    p.mprotect(buf + 2 * PAGE, 2 * PAGE, PROT_READ);
    p.fill(buf, 2 * PAGE, 1);
    refused(m, Errno.ENOMEM, () -> p.mremap(buf, 2 * PAGE, 3 * PAGE, 0));
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aMoveTakesTheSameFramesAlongSoAPinStillHoldsTheProgramsPages(KernelConfig k) {
    Machine m = machine(k);
    Process p = m.spawn("p");
    long buf = anon(p, 4 * PAGE);
    p.mprotect(buf + 2 * PAGE, 2 * PAGE, PROT_READ);
    p.fill(buf, 2 * PAGE, 1);
    long frame = p.pagemap(buf);
    PageRefs pin = m.kernel().pinUserPages(p, buf, 2, Foll.FOLL_WRITE | Foll.FOLL_LONGTERM);
    long moved = p.mremap(buf, 2 * PAGE, 8 * PAGE, MREMAP_MAYMOVE);
    assertThat(moved).isNotEqualTo(buf);
    assertThat(p.pagemap(moved)).as("move_page_tables: the same frame").isEqualTo(frame);
    assertThat(p.pagemap(buf)).isEqualTo(-1);
    assertThat(p.vma(buf + 2 * PAGE).flags() & VmFlags.VM_WRITE).as("the read-only rest stays").isZero();
    assertThat(p.matches(moved, 2 * PAGE, 1)).isTrue();
    p.fill(moved, 2 * PAGE, 2);
    assertThat(m.kernel().dmaMatches(pin.pfns(), 0, 2 * PAGE, 2, 0)).as("the pin sees the program's writes after the move").isTrue();
    assertThat(p.rss()).isEqualTo(2);
    m.checkInvariants();
    pin.release();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void pagesSharedWithAForkedChildAreStillFoundByTheRmapAfterAMove(KernelConfig k) {
    Machine m = machine(k);
    Process p = m.spawn("p");
    long buf = anon(p, 2 * PAGE);
    p.fill(buf, 2 * PAGE, 1);
    Process child = p.fork();
    long moved = p.mremap(buf, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, 0x4000_0000L);
    assertThat(moved).isEqualTo(0x4000_0000L);
    m.checkInvariants();
    assertThat(m.rmap((int) p.pagemap(moved))).hasSize(2);
    p.fill(moved, 2 * PAGE, 2);
    assertThat(child.matches(buf, 2 * PAGE, 1)).as("the parent's write after the move copies; the child keeps its bytes").isTrue();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void lockedVmFollowsAMovedLockedMapping(KernelConfig k) {
    Machine m = machine(k);
    Process p = m.spawn("p");
    p.setCapability(Capability.CAP_IPC_LOCK, true);
    long buf = p.mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED);
    long moved = p.mremap(buf, 2 * PAGE, 4 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, 0x4000_0000L);
    assertThat(p.lockedVm()).isEqualTo(4);
    assertThat(p.rss()).as("the grown part of a locked mapping is populated").isEqualTo(4);
    assertThat(p.vma(moved).has(VmFlags.VM_LOCKED)).isTrue();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void mremapFixedReplacesWhatIsAtTheDestination(KernelConfig k) {
    Machine m = machine(k);
    Process p = m.spawn("p");
    long src = anon(p, 2 * PAGE);
    long dst = anon(p, 2 * PAGE);
    p.fill(src, 2 * PAGE, 1);
    p.fill(dst, 2 * PAGE, 2);
    assertThat(p.mremap(src, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, dst)).isEqualTo(dst);
    assertThat(p.matches(dst, 2 * PAGE, 1)).isTrue();
    assertThat(p.vma(src)).isNull();
    assertThat(p.rss()).isEqualTo(2);
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void theArgumentErrorsOfDoMremapAreEinvalAndChangeNothing(KernelConfig k) {
    Machine m = machine(k);
    Process p = m.spawn("p");
    long buf = anon(p, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    refused(m, Errno.EINVAL, () -> p.mremap(buf + 1, PAGE, 2 * PAGE, MREMAP_MAYMOVE));
    refused(m, Errno.EINVAL, () -> p.mremap(buf, PAGE, 2 * PAGE, 8));
    refused(m, Errno.EINVAL, () -> p.mremap(buf, PAGE, 0, MREMAP_MAYMOVE));
    refused(m, Errno.EINVAL, () -> p.mremap(buf, PAGE, PAGE, MREMAP_FIXED, 0x4000_0000L));
    refused(m, Errno.EINVAL, () -> p.mremap(buf, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, buf + PAGE));
    refused(m, Errno.EINVAL, () -> p.mremap(buf, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, 0x4000_0000L + 1));
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void anAddressNotMappedOrARangeAcrossMappingsIsEfaultAndChangesNothing(KernelConfig k) {
    Machine m = machine(k);
    Process p = m.spawn("p");
    long buf = anon(p, 4 * PAGE);
    p.mprotect(buf + 2 * PAGE, 2 * PAGE, PROT_READ);
    p.munmap(buf + 3 * PAGE, PAGE);
    refused(m, Errno.EFAULT, () -> p.mremap(buf + 3 * PAGE, PAGE, 2 * PAGE, MREMAP_MAYMOVE));
    refused(m, Errno.EFAULT, () -> p.mremap(buf, 3 * PAGE, 4 * PAGE, MREMAP_MAYMOVE));
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void growingALockedMappingPastRlimitMemlockIsEagainAndChangesNothing(KernelConfig k) {
    Machine m = machine(k);
    Process p = m.spawn("p");
    p.setrlimitMemlock(4 * PAGE, 4 * PAGE);
    long buf = p.mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED);
    refused(m, Errno.EAGAIN, () -> p.mremap(buf, 2 * PAGE, 8 * PAGE, MREMAP_MAYMOVE));
  }

  @Test
  void dontunmapLeavesTheOldRangeMappedButEmptyOn612() {
    Machine m = machine(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = anon(p, 2 * PAGE);
    p.fill(buf, 2 * PAGE, 1);
    long moved = p.mremap(buf, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
    assertThat(moved).isNotEqualTo(buf);
    assertThat(p.matches(moved, 2 * PAGE, 1)).isTrue();
    assertThat(p.vma(buf)).as("still mapped").isNotNull();
    assertThat(p.pagemap(buf)).as("but empty").isEqualTo(-1);
    assertThat(p.load(buf)).as("a fault there gives a fresh zero page").isZero();
    m.checkInvariants();
  }

  @Test
  void dontunmapIsAnUnknownFlagOn34() {
    Machine m = machine(KernelConfig.LINUX_3_4);
    Process p = m.spawn("p");
    long buf = anon(p, 2 * PAGE);
    p.fill(buf, 2 * PAGE, 1);
    refused(m, Errno.EINVAL, () -> p.mremap(buf, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0));
  }

  @Test
  void dontunmapTakesOnlyPrivateAnonymousMemoryFrom57To512AndSharedFrom513() {
    for (String release : new String[] {"5.7", "5.12"}) {
      Machine m = machine(KernelConfig.linux(release));
      Process p = m.spawn("p");
      long shared = p.mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
      refused(m, Errno.EINVAL, () -> p.mremap(shared, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0));
    }
    Machine m = machine(KernelConfig.linux("5.13"));
    Process p = m.spawn("p");
    long shared = p.mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
    p.fill(shared, PAGE, 3);
    long moved = p.mremap(shared, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
    assertThat(p.matches(moved, PAGE, 3)).isTrue();
    assertThat(p.matches(shared, PAGE, 3)).as("the old range maps the same shmem file: a fault there finds its page").isTrue();
    m.checkInvariants();
  }

  /**
   * move_page_tables moves a PMD mapping whole where its 2 MiB lines up with a PMD at the new address
   * (move_huge_pmd): the THP stays one folio, mapped by a PMD, its bytes and frames the same; to an
   * address off a 2 MiB boundary the PMD is split first and the pages move as PTEs. Seen on 6.18
   * (smaps' AnonHugePages after mremap with MREMAP_FIXED to an aligned address is 2048 kB).
   */
  @Test
  void aThpMovedToAPmdBoundaryStaysMappedByAPmd() {
    Machine m = machine(KernelConfig.linux("6.18"));
    Process p = m.spawn("p");
    long thp = 2 * MiB;
    long buf = KernelChangeTest.hugeAligned(p);
    p.fill(buf, thp, 3);
    long frame = p.pagemap(buf);
    assertThat(p.pmdMapped(buf)).isTrue();
    long area = anon(p, 4 * thp);
    long dst = (area + thp) & -thp;
    long moved = p.mremap(buf, thp, thp, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
    assertThat(moved).isEqualTo(dst);
    assertThat(p.pmdMapped(dst)).as("move_huge_pmd").isTrue();
    assertThat(p.anonHugePages(dst)).isEqualTo(thp);
    assertThat(p.pagemap(dst)).isEqualTo(frame);
    assertThat(p.matches(dst, thp, 3)).isTrue();
    m.checkInvariants();
    long odd = p.mremap(dst, thp, thp, MREMAP_MAYMOVE | MREMAP_FIXED, dst + thp + 4 * PAGE);
    assertThat(p.pmdMapped(odd)).as("split_huge_pmd before move_ptes").isFalse();
    assertThat(p.pagemap(odd)).isEqualTo(frame);
    assertThat(p.matches(odd, thp, 3)).isTrue();
    m.checkInvariants();
  }

  /** A growing move of a THP goes where mmap would put the new length (a 2 MiB boundary for 4 MiB, 6.12 on), and takes the PMD along. */
  @Test
  void aThpThatGrowsByMovingKeepsItsPmd() {
    Process p = machine(KernelConfig.linux("6.18")).spawn("p");
    long thp = 2 * MiB;
    long buf = KernelChangeTest.hugeAligned(p);
    p.fill(buf, thp, 4);
    anon(p, PAGE);
    long moved = p.mremap(buf, thp, 2 * thp, MREMAP_MAYMOVE);
    assertThat(moved).isNotEqualTo(buf);
    assertThat(p.anonHugePages(moved)).isEqualTo(thp);
    assertThat(p.matches(moved, thp, 4)).isTrue();
  }
}
