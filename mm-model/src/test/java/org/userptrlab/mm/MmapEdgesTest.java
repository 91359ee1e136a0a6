package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.Mman.MAP_ANONYMOUS;
import static org.userptrlab.mm.Mman.MAP_FIXED;
import static org.userptrlab.mm.Mman.MAP_LOCKED;
import static org.userptrlab.mm.Mman.MAP_POPULATE;
import static org.userptrlab.mm.Mman.MAP_PRIVATE;
import static org.userptrlab.mm.Mman.MAP_SHARED;
import static org.userptrlab.mm.Mman.PROT_READ;
import static org.userptrlab.mm.Mman.PROT_WRITE;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * mmap, brk, mprotect and munmap at the edges of what they accept (mm/mmap.c, mm/mprotect.c): a
 * free hint is honoured, MAP_FIXED replaces what was there, MAP_POPULATE and MAP_LOCKED fault the
 * range in, brk grows and shrinks the heap and under mlockall(MCL_FUTURE) locks what it adds, and
 * an unmap gives back the page tables it emptied (free_pgtables).
 */
class MmapEdgesTest {
  private final Machine m = new Machine(MachineConfig.builder().ram(16 * MiB).swap(16 * MiB).kernel(KernelConfig.LINUX_6_12).build());
  private final Process p = m.spawn("p");

  private static void errno(Errno errno, Executable call) {
    assertThatThrownBy(call::execute).isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(errno));
  }

  @Test
  void aFreeHintIsWhereTheMappingGoesAndATakenOneIsNot() {
    long hint = 0x4000_0000L;
    assertThat(p.mmap(hint, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS)).isEqualTo(hint);
    assertThat(p.mmap(hint + 100, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS)).as("taken: placed elsewhere").isNotEqualTo(hint);
    assertThat(p.mmap(hint + PAGE + 100, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS)).as("rounded down to its page")
        .isEqualTo(hint + PAGE);
    assertThat(p.mmap(Mm.MMAP_MIN_ADDR - PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS)).as("below mmap_min_addr: ignored")
        .isNotEqualTo(Mm.MMAP_MIN_ADDR - PAGE);
    assertThat(p.mmap(Mm.MMAP_MIN_ADDR, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS)).isEqualTo(Mm.MMAP_MIN_ADDR);
    assertThat(p.mmap(Mm.TASK_SIZE - PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS)).as("the last page of user space")
        .isEqualTo(Mm.TASK_SIZE - PAGE);
  }

  @Test
  void mapFixedReplacesWhatWasThereAndRefusesTheLowPages() {
    long buf = anon(p, 2 * PAGE);
    p.fill(buf, 2 * PAGE, 3);
    assertThat(p.mmap(buf, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)).isEqualTo(buf);
    assertThat(p.load(buf)).as("the new mapping is zero-filled").isZero();
    assertThat(p.matches(buf + PAGE, PAGE, 3, PAGE)).as("the page after it is untouched").isTrue();
    errno(Errno.EPERM, () -> p.mmap(Mm.MMAP_MIN_ADDR - PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED));
    assertThat(p.mmap(Mm.MMAP_MIN_ADDR, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)).isEqualTo(Mm.MMAP_MIN_ADDR);
    errno(Errno.EINVAL, () -> p.mmap(buf + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED));
    errno(Errno.ENOMEM, () -> p.mmap(Mm.TASK_SIZE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED));
    m.checkInvariants();
  }

  @Test
  void lengthsAreCheckedBeforeAnythingIsMapped() {
    long before = m.stateHash();
    errno(Errno.EINVAL, () -> p.mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS));
    errno(Errno.ENOMEM, () -> p.mmap(0, Mm.TASK_SIZE + 1, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS));
    errno(Errno.ENOMEM, () -> p.mmap(0, 33 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS));
    errno(Errno.ENOMEM, () -> p.mmap(0, 33 * MiB, PROT_READ, MAP_SHARED | MAP_ANONYMOUS));
    // mprotect: a length that wraps the end to or below the start is ENOMEM (do_mprotect_pkey); madvise
    // calls a wrapped end EINVAL, and a range running past user space unmapped, ENOMEM (do_madvise).
    errno(Errno.ENOMEM, () -> p.mprotect(0x4000_0000L, -PAGE, PROT_READ));
    errno(Errno.ENOMEM, () -> p.mprotect(0x4000_0000L, -1, PROT_READ));
    errno(Errno.EINVAL, () -> p.madvise(0x4000_0000L, -PAGE, Mman.MADV_DONTNEED));
    errno(Errno.ENOMEM, () -> p.madvise(0x4000_0000L, Long.MAX_VALUE, Mman.MADV_DONTFORK));
    assertThat(m.stateHash()).isEqualTo(before);
    assertThat(p.mmap(0, 32 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)).as("RAM plus swap exactly").isPositive();
    assertThat(p.mmap(0, 64 * MiB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS)).as("read-only private memory is not accounted").isPositive();
    DeviceMemory dev = m.createDevice("bar", 2 * PAGE);
    errno(Errno.EINVAL, () -> p.mmap(0, PAGE, PROT_READ, MAP_SHARED, dev, 2 * PAGE));
    assertThat(p.mmap(0, PAGE, PROT_READ, MAP_SHARED, dev, PAGE)).as("the device's last page").isPositive();
  }

  @Test
  void populateAndLockedFaultTheRangeInAtMmap() {
    long plain = anon(p, 2 * PAGE);
    assertThat(p.pagemap(plain)).isEqualTo(-1);
    long populated = p.mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE);
    long locked = p.mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED);
    for (long a : new long[] {populated, populated + PAGE, locked, locked + PAGE}) {
      assertThat(p.pagemap(a)).as("0x%x", a).isPositive();
    }
    assertThat(p.lockedVm()).isEqualTo(2);
    assertThat(m.page((int) p.pagemap(locked)).flags()).contains("mlocked");
    m.checkInvariants();
  }

  @Test
  void brkGrowsAndShrinksTheHeapWithinItsBounds() {
    long start = p.brk(0);
    assertThat(p.brk(start - 1)).as("below the start of the heap: unchanged").isEqualTo(start);
    assertThat(p.brk(Mm.TASK_SIZE + 1)).isEqualTo(start);
    assertThat(p.brk(start + 3 * PAGE)).isEqualTo(start + 3 * PAGE);
    p.fill(start, 3 * PAGE, 1);
    assertThat(p.brk(start + PAGE + 1)).as("shrink to mid-page").isEqualTo(start + PAGE + 1);
    assertThat(p.pagemap(start + PAGE)).as("the page holding the new break stays").isPositive();
    assertThat(p.pagemap(start + 2 * PAGE)).as("the page past it is gone").isEqualTo(-1);
    assertThat(p.brk(start + 2 * PAGE)).as("up to the end of that page: no new VMA").isEqualTo(start + 2 * PAGE);
    long blocker = p.mmap(start + 4 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
    assertThat(p.brk(start + 3 * PAGE)).as("up to a page below the next mapping").isEqualTo(start + 3 * PAGE);
    assertThat(p.brk(start + 3 * PAGE + 1)).as("a page of gap below the next mapping is kept").isEqualTo(start + 3 * PAGE);
    p.munmap(blocker, PAGE);
    assertThat(p.brk(start + 5 * PAGE)).isEqualTo(start + 5 * PAGE);
    m.checkInvariants();
  }

  @Test
  void underMclFutureTheHeapItGrowsIsLockedAndFaultedIn() {
    p.setrlimitMemlock(8 * PAGE, 8 * PAGE);
    long start = p.brk(0);
    p.mlockall(Mman.MCL_FUTURE);
    assertThat(p.brk(start + 2 * PAGE)).isEqualTo(start + 2 * PAGE);
    assertThat(p.lockedVm()).isEqualTo(2);
    assertThat(p.pagemap(start)).isPositive();
    assertThat(p.pagemap(start + PAGE)).isPositive();
    assertThat(p.brk(start + 20 * PAGE)).as("past RLIMIT_MEMLOCK the break stays").isEqualTo(start + 2 * PAGE);
    assertThat(p.lockedVm()).isEqualTo(2);
    m.checkInvariants();
  }

  @Test
  void anUnmapGivesBackThePageTablesItEmptied() {
    long buf = anon(p, 4 * MiB);
    p.fill(buf, 4 * MiB, 1);
    int tables = p.mm.pgtable.ptePages();
    assertThat(tables).isGreaterThanOrEqualTo(2);
    p.munmap(buf, 4 * MiB);
    assertThat(p.mm.pgtable.ptePages()).isEqualTo(tables - 2 - (Page.offset(buf) == 0 && (buf & (2 * MiB - 1)) == 0 ? 0 : 1));
    m.checkInvariants();
  }

  @Test
  void writeProtectingARangeCountsThePtesAndFlushesTheirTlbEntries() {
    long buf = anon(p, 4 * PAGE);
    p.fill(buf, 2 * PAGE, 1);
    long wrprotected = m.vmstat().get(VmEvent.WRPROTECT_PTE);
    long flushed = m.vmstat().get(VmEvent.TLB_FLUSHED_PAGES);
    assertThat(m.kernel().writeProtectRange(p, buf, 4 * PAGE, false)).isEqualTo(2);
    assertThat(m.vmstat().get(VmEvent.WRPROTECT_PTE)).isEqualTo(wrprotected + 2);
    assertThat(m.vmstat().get(VmEvent.TLB_FLUSHED_PAGES)).isGreaterThan(flushed);
    assertThat(p.pteWritable(buf)).isFalse();
    long again = m.vmstat().get(VmEvent.TLB_FLUSHED_PAGES);
    assertThat(m.kernel().writeProtectRange(p, buf, 4 * PAGE, false)).as("nothing left to protect").isZero();
    assertThat(m.vmstat().get(VmEvent.TLB_FLUSHED_PAGES)).as("and nothing to flush").isEqualTo(again);
  }

  /**
   * MAP_NORESERVE commits no memory (do_mmap sets VM_NORESERVE under heuristic overcommit, and
   * accountable_mapping leaves such a mapping out): a private writable mapping larger than RAM plus swap
   * is made, has no VM_ACCOUNT, and stays uncharged when mprotect makes it writable again; without the
   * flag the same mapping is ENOMEM at once.
   */
  @Test
  void mapNoreserveCommitsNothingAndIsMadeLargerThanRamPlusSwap() {
    Machine m = new Machine(MachineConfig.builder().ram(64 * MiB).build());
    Process p = m.spawn("p");
    long huge = 1L << 40;
    errno(Errno.ENOMEM, () -> p.mmap(0, huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS));
    long at = p.mmap(0, huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | Mman.MAP_NORESERVE);
    assertThat(p.vmas()).filteredOn(x -> x.start() == at).singleElement()
        .satisfies(v -> assertThat(v.has(VmFlags.VM_NORESERVE) && !v.has(VmFlags.VM_ACCOUNT)).isTrue());
    p.fill(at + huge / 2, PAGE, 5);
    assertThat(p.matches(at + huge / 2, PAGE, 5)).isTrue();
    p.mprotect(at, 16 * PAGE, PROT_READ);
    p.mprotect(at, 16 * PAGE, PROT_READ | PROT_WRITE);
    assertThat(p.vmas()).filteredOn(x -> x.start() == at).singleElement().satisfies(x -> assertThat(x.has(VmFlags.VM_ACCOUNT)).isFalse());
    m.checkInvariants();
  }

  /**
   * mprotect_fixup commits a private read-only mapping's pages when it makes them writable, and
   * security_vm_enough_memory_mm refuses more than RAM plus swap at once: ENOMEM, the mapping as it was;
   * a MAP_NORESERVE one commits nothing and is made writable.
   */
  @Test
  void mprotectMakingMoreThanRamPlusSwapWritableIsEnomemAndChangesNothing() {
    Machine m = new Machine(MachineConfig.builder().ram(64 * MiB).build());
    Process p = m.spawn("p");
    long big = 1L << 30;
    long ro = p.mmap(0, big, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    errno(Errno.ENOMEM, () -> p.mprotect(ro, big, PROT_READ | PROT_WRITE));
    assertThat(p.vmas()).filteredOn(v -> v.start() == ro).singleElement()
        .satisfies(v -> assertThat(v.has(VmFlags.VM_WRITE) || v.has(VmFlags.VM_ACCOUNT)).isFalse());
    p.mprotect(ro, 16 * PAGE, PROT_READ | PROT_WRITE);
    assertThat(p.vmas()).filteredOn(v -> v.start() == ro).singleElement().satisfies(v -> assertThat(v.has(VmFlags.VM_ACCOUNT)).isTrue());
    long nr = p.mmap(0, big, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | Mman.MAP_NORESERVE);
    p.mprotect(nr, big, PROT_READ | PROT_WRITE);
    m.checkInvariants();
  }
}
