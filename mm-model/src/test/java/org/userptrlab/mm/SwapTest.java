package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** do_swap_page, swap_duplicate and free_swap_and_cache, checked on a machine with swap. */
class SwapTest {
  private static Machine machine(KernelConfig era) {
    return new Machine(MachineConfig.builder().ram(16L << 20).swap(32L << 20).kernel(era).build());
  }

  /** Everything reclaimable of {@code p}'s buffer goes to swap. */
  private static void swapOut(Machine m) {
    m.kernel().reclaim(1 << 20);
  }

  /** A swapped-out page reads back its bytes through a major fault, and its slot is freed once no PTE needs it. */
  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aSwapInBringsTheBytesBackAndFreesTheSlot(KernelConfig era) {
    Machine m = machine(era);
    Process p = m.spawn("p");
    long buf = anon(p, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 7);
    swapOut(m);
    assertThat(p.swappedOut(buf)).isTrue();
    assertThat(m.swap.usedSlots()).isEqualTo(4);
    long in = m.vmstat().get(VmEvent.PSWPIN);
    long major = m.vmstat().get(VmEvent.PGMAJFAULT);
    assertThat(p.matches(buf, PAGE, 7)).isTrue();
    assertThat(m.vmstat().get(VmEvent.PSWPIN)).isEqualTo(in + 1);
    assertThat(m.vmstat().get(VmEvent.PGMAJFAULT)).isEqualTo(major + 1);
    assertThat(p.swappedOut(buf)).isFalse();
    assertThat(m.swap.usedSlots()).as("the one PTE that needed the slot has the page").isEqualTo(3);
    m.checkInvariants();
  }

  /**
   * On a modern kernel an exclusive swap entry comes back writable even on a read fault
   * (do_swap_page maps an exclusive page writable if the VMA is); on 3.4 a read maps it read-only
   * and the next write takes a fault that reuses the page, mapped once.
   */
  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aReadOfAnExclusiveSwappedPageMapsItWritableOnlyOnAModernKernel(KernelConfig era) {
    Machine m = machine(era);
    Process p = m.spawn("p");
    long buf = anon(p, PAGE);
    p.fill(buf, PAGE, 3);
    swapOut(m);
    p.load(buf);
    assertThat(p.pteWritable(buf)).isEqualTo(era == KernelConfig.LINUX_6_12);
    long pfn = p.pagemap(buf);
    long cow = m.vmstat().get(VmEvent.COW_COPY);
    p.store(buf, (byte) 1);
    assertThat(p.pagemap(buf)).as("the write reuses the page").isEqualTo(pfn);
    assertThat(m.vmstat().get(VmEvent.COW_COPY)).isEqualTo(cow);
    m.checkInvariants();
  }

  /** After fork a swap entry is shared (swap_duplicate): both processes find one page through the swap cache. */
  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aSwapEntrySharedByForkBringsBothToTheSamePage(KernelConfig era) {
    Machine m = machine(era);
    Process p = m.spawn("p");
    long buf = anon(p, PAGE);
    p.fill(buf, PAGE, 5);
    swapOut(m);
    Process child = p.fork();
    assertThat(child.swappedOut(buf)).isTrue();
    assertThat(m.swap.usedSlots()).isEqualTo(1);
    assertThat(child.matches(buf, PAGE, 5)).isTrue();
    assertThat(p.swappedOut(buf)).as("the parent's PTE still holds the entry").isTrue();
    assertThat(m.swap.usedSlots()).as("the slot stays while the parent's PTE needs it").isEqualTo(1);
    assertThat(p.matches(buf, PAGE, 5)).isTrue();
    assertThat(p.pagemap(buf)).as("the swap cache gave both the same frame").isEqualTo(child.pagemap(buf));
    assertThat(p.pteWritable(buf)).as("a page two PTEs map is not exclusive").isFalse();
    assertThat(m.swap.usedSlots()).isZero();
    p.store(buf, (byte) 9);
    assertThat(child.matches(buf, PAGE, 5)).as("the parent's write copies; the child keeps its bytes").isTrue();
    m.checkInvariants();
  }

  /** free_swap_and_cache: munmap or exit of a swapped-out page gives its slot back. */
  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void unmappingASwappedPageFreesItsSlot(KernelConfig era) {
    Machine m = machine(era);
    Process p = m.spawn("p");
    long buf = anon(p, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    swapOut(m);
    p.munmap(buf, 2 * PAGE);
    assertThat(m.swap.usedSlots()).isEqualTo(2);
    p.exit();
    assertThat(m.swap.usedSlots()).isZero();
    m.checkInvariants();
  }
}
