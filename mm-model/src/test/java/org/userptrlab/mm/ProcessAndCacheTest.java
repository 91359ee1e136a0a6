package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import org.junit.jupiter.api.Test;

/**
 * A program's calls checked before they touch memory, the address space filled top-down into the
 * first gap that fits, sbrk as glibc builds it on brk, and the page cache and CMA region behaving
 * as mm/filemap.c, mm/shmem.c and mm/cma.c do: a read that runs out of memory holds nothing, shared
 * anonymous memory goes with its last mapping, a migrated file page stays the file's, and CMA
 * allocations are aligned to their size.
 */
class ProcessAndCacheTest {
  private final Machine m = new Machine(MachineConfig.builder().ram(16 * MiB).cma(4 * MiB).kernel(KernelConfig.LINUX_6_12).build());
  private final Process p = m.spawn("p");

  /**
   * A program's fill, check and memcpy go a page at a time, forward: across a hole they do the pages
   * before it, then fault (the real kernel's process does the same, by diff); the lab's write of its
   * own bytes is refused whole.
   */
  @Test
  void anAccessAcrossAHoleDoesThePagesBeforeItThenFaults() {
    long buf = anon(p, 3 * PAGE);
    p.munmap(buf + 2 * PAGE, PAGE);
    p.fill(buf, 2 * PAGE, 1);
    assertThatThrownBy(() -> p.fill(buf, 3 * PAGE, 2)).isInstanceOf(SignalException.class);
    assertThat(p.matches(buf, 2 * PAGE, 2)).as("the two pages before the hole written").isTrue();
    assertThat(p.matches(buf, 3 * PAGE, 1)).as("the check stops at its first differing byte, short of the hole").isFalse();
    assertThatThrownBy(() -> p.matches(buf, 3 * PAGE, 2)).as("it reaches the hole").isInstanceOf(SignalException.class);
    assertThatThrownBy(() -> p.write(buf + PAGE, new byte[2 * PAGE])).isInstanceOf(SignalException.class);
    assertThat(p.matches(buf + PAGE, PAGE, 2, PAGE)).as("no byte of the refused write").isTrue();
    p.fill(buf, PAGE, 3);
    assertThatThrownBy(() -> p.memcpy(buf + PAGE, buf, 2 * PAGE)).isInstanceOf(SignalException.class);
    assertThat(p.matches(buf + PAGE, PAGE, 3)).as("the first page copied before the destination's hole").isTrue();
    p.fill(buf + PAGE, PAGE, 4);
    assertThatThrownBy(() -> p.memcpy(buf, buf + PAGE, 2 * PAGE)).isInstanceOf(SignalException.class);
    assertThat(p.matches(buf, PAGE, 4)).as("the first page copied before the source's hole").isTrue();
    assertThatThrownBy(() -> p.read(buf, 3 * PAGE)).isInstanceOf(SignalException.class);
    assertThatThrownBy(() -> p.read(buf, -1)).isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    assertThat(p.read(buf, 0)).isEmpty();
    m.checkInvariants();
  }

  @Test
  void mappingsGoTopDownIntoTheHighestGapThatFits() {
    long a = anon(p, 2 * PAGE);
    long b = anon(p, 2 * PAGE);
    long c = anon(p, 2 * PAGE);
    assertThat(b).isEqualTo(a - 2 * PAGE);
    assertThat(c).isEqualTo(b - 2 * PAGE);
    p.munmap(b, 2 * PAGE);
    assertThat(anon(p, 3 * PAGE)).as("the 2-page gap is too small").isEqualTo(c - 3 * PAGE);
    assertThat(anon(p, 2 * PAGE)).as("an exact fit").isEqualTo(b);
  }

  /**
   * glibc's sbrk: the old break, and ENOMEM where the kernel leaves the break below the one asked (growth it refuses)
   * or the increment wraps; a shrink below the heap's start, which the kernel refuses, leaves the break where it was
   * and succeeds, as glibc's __brk sees it.
   */
  @Test
  void sbrkReturnsTheOldBreakAndFailsWithEnomemWhenTheBreakCannotGrow() {
    long start = p.sbrk(0);
    assertThat(start).isEqualTo(p.brk(0));
    assertThat(p.sbrk(PAGE)).isEqualTo(start);
    assertThat(p.sbrk(0)).isEqualTo(start + PAGE);
    assertThat(p.sbrk(-PAGE)).isEqualTo(start + PAGE);
    assertThat(p.sbrk(0)).isEqualTo(start);
    assertThat(p.sbrk(-PAGE)).as("below the heap's start: unmoved, and no error").isEqualTo(start);
    assertThat(p.sbrk(0)).isEqualTo(start);
    assertThatThrownBy(() -> p.sbrk(1L << 40)).as("more than RAM plus swap").isInstanceOfSatisfying(MmException.class,
        e -> assertThat(e.errno()).isEqualTo(Errno.ENOMEM));
    assertThatThrownBy(() -> p.sbrk(-start - 1)).as("wraps").isInstanceOfSatisfying(MmException.class,
        e -> assertThat(e.errno()).isEqualTo(Errno.ENOMEM));
  }

  @Test
  void anExitedProcessLeavesTheMachinesListAndItsFramesGoBack() {
    long free = m.freePages();
    Process q = m.spawn("q");
    long buf = anon(q, 4 * PAGE);
    q.fill(buf, 4 * PAGE, 1);
    assertThat(m.processes()).contains(q);
    q.exit();
    assertThat(m.processes()).doesNotContain(q);
    assertThat(q.alive()).isFalse();
    assertThat(m.freePages()).isEqualTo(free);
  }

  @Test
  void aShmemReadThatRunsOutOfMemoryHoldsNothing() {
    Machine tiny = new Machine(MachineConfig.builder().ram(4 * MiB).kernel(KernelConfig.LINUX_6_12).build());
    MemFile f = tiny.kernel().shmemFileSetup("big", 4 * MiB);
    long free = tiny.freePages();
    assertThatThrownBy(() -> tiny.kernel().shmemGetPages(f)).isInstanceOfSatisfying(MmException.class,
        e -> assertThat(e.errno()).isEqualTo(Errno.ENOMEM));
    assertThat(tiny.gup.liveHolders()).isZero();
    tiny.kernel().shmemFileRelease(f);
    assertThat(tiny.freePages()).isEqualTo(free);
    tiny.checkInvariants();
  }

  @Test
  void sharedAnonymousMemoryGoesWithItsLastMapping() {
    long free = m.freePages();
    long shared = p.mmap(0, 2 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED | Mman.MAP_ANONYMOUS);
    p.fill(shared, 2 * PAGE, 1);
    Process child = p.fork();
    p.munmap(shared, 2 * PAGE);
    assertThat(child.matches(shared, 2 * PAGE, 1)).as("the child's mapping keeps the pages").isTrue();
    child.munmap(shared, 2 * PAGE);
    child.exit();
    assertThat(m.freePages()).isEqualTo(free);
    m.checkInvariants();
  }

  @Test
  void aMigratedFilePageStaysTheFilesAndAHeldOneDoesNotMove() {
    MemFile f = m.createFile("f", PAGE);
    m.fillFile(f, 0, PAGE, 4);
    long map = p.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_SHARED, f, 0);
    p.load(map);
    int old = (int) p.pagemap(map);
    int moved = m.kernel().migratePage(old);
    assertThat(p.pagemap(map)).isEqualTo(moved);
    assertThat(m.fileMatches(f, 0, PAGE, 4)).isTrue();
    p.munmap(map, PAGE);
    long again = p.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_SHARED, f, 0);
    p.load(again);
    assertThat(p.pagemap(again)).as("the page cache names the new frame").isEqualTo(moved);
    PageRefs held = m.kernel().getUserPages(p, again, 1, 0);
    long failed = m.vmstat().get(VmEvent.PGMIGRATE_FAIL);
    long[] compacted = m.kernel().compactMemory();
    assertThat(p.pagemap(again)).isEqualTo(moved);
    held.release();
    assertThat(compacted[1] == 0 || m.vmstat().get(VmEvent.PGMIGRATE_FAIL) > failed).isTrue();
    m.checkInvariants();
  }

  @Test
  void cmaAllocationsAreAlignedToTheirSize() {
    PageRefs three = m.kernel().cmaAlloc(3);
    PageRefs again = m.kernel().cmaAlloc(3);
    PageRefs one = m.kernel().cmaAlloc(1);
    assertThat(three.pfn(0)).isEqualTo(m.mem.cmaStart);
    assertThat(again.pfn(0)).as("3 pages are aligned to 4").isEqualTo(m.mem.cmaStart + 4);
    assertThat(one.pfn(0)).as("one page fits the gap after the first").isEqualTo(m.mem.cmaStart + 3);
    three.release();
    again.release();
    one.release();
    m.checkInvariants();
  }
}
