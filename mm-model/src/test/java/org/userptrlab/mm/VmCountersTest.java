package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import org.junit.jupiter.api.Test;

/**
 * /proc/vmstat as the model counts it, event by event, on programs whose counts are known:
 * allocations and frees, the scan and steal of reclaim (a young page gets a second chance), major
 * faults and zero fills of file pages, mlock and munlock of pages, CMA allocations, compaction's
 * scanners, and the TLB ceiling of arch/x86/mm/tlb.c.
 */
class VmCountersTest {
  private final Machine m = new Machine(MachineConfig.builder().ram(16 * MiB).swap(16 * MiB).cma(4 * MiB).cpus(4)
      .kernel(KernelConfig.LINUX_6_12).build());
  private final Process p = m.spawn("p");

  private long delta(VmEvent e, Runnable r) {
    long before = m.vmstat().get(e);
    r.run();
    return m.vmstat().get(e) - before;
  }

  @Test
  void everyPageAllocatedAndFreedIsCountedOnce() {
    long buf = anon(p, 4 * PAGE);
    assertThat(delta(VmEvent.PGALLOC, () -> p.fill(buf, 4 * PAGE, 1))).isEqualTo(4);
    assertThat(delta(VmEvent.PGFREE, () -> p.munmap(buf, 4 * PAGE))).isEqualTo(4);
    PageRefs[] held = new PageRefs[2];
    assertThat(delta(VmEvent.PGALLOC, () -> held[0] = m.kernel().allocPages(3))).isEqualTo(3);
    assertThat(delta(VmEvent.PGALLOC, () -> held[1] = m.kernel().allocContigPages(2))).isEqualTo(2);
    assertThat(delta(VmEvent.PGFREE, () -> {
      held[0].release();
      held[1].release();
    })).isEqualTo(5);
  }

  /**
   * x86's faults set no accessed bit: a PTE the kernel installs with no access of the CPU's after it
   * (MAP_POPULATE, get_user_pages, a fork's child's copy) stays old until the CPU's first access sets
   * the bit in its page walk, counted once a page; a page the program faulted in itself is young
   * already, and a page get_user_pages faulted in is marked accessed on its folio (FOLL_TOUCH).
   */
  @Test
  void theCpusFirstTouchOfAPageTheKernelMappedOldIsCountedOnce() {
    long faulted = anon(p, 4 * PAGE);
    assertThat(delta(VmEvent.PTE_FIRST_TOUCH, () -> p.fill(faulted, 4 * PAGE, 1))).as("faulted in by the program").isZero();
    long populated = p.mmap(0, 4 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS
        | Mman.MAP_POPULATE);
    assertThat(delta(VmEvent.PTE_FIRST_TOUCH, () -> p.fill(populated, 4 * PAGE, 2))).as("populated").isEqualTo(4);
    assertThat(delta(VmEvent.KERNEL_FAULTS, () -> p.madvise(populated, 4 * PAGE, Mman.MADV_DONTNEED)))
        .as("no fault in a zap").isZero();
    long faults = m.vmstat().get(VmEvent.PGFAULT);
    assertThat(delta(VmEvent.KERNEL_FAULTS, () -> p.madvise(populated, 4 * PAGE, Mman.MADV_POPULATE_WRITE)))
        .as("MADV_POPULATE_WRITE's faults, the kernel's own").isEqualTo(4).isEqualTo(m.vmstat().get(VmEvent.PGFAULT) - faults);
    assertThat(delta(VmEvent.PTE_FIRST_TOUCH, () -> p.fill(populated, 4 * PAGE, 2))).as("populated again").isEqualTo(4);
    assertThat(delta(VmEvent.PTE_FIRST_TOUCH, () -> p.fill(populated, 4 * PAGE, 3))).as("touched once already").isZero();
    long got = anon(p, 2 * PAGE);
    PageRefs refs = m.kernel().getUserPages(p, got, 2, Foll.FOLL_WRITE);
    assertThat(m.mem.pageReferenced(refs.pfn(0))).as("FOLL_TOUCH's folio_mark_accessed").isTrue();
    assertThat(delta(VmEvent.PTE_FIRST_TOUCH, () -> p.fill(got, 2 * PAGE, 4))).as("faulted in by get_user_pages").isEqualTo(2);
    refs.release();
    Process child = p.fork();
    assertThat(delta(VmEvent.PTE_FIRST_TOUCH, () -> child.matches(faulted, 4 * PAGE, 1))).as("the child's copies: old")
        .isEqualTo(4);
  }

  /**
   * A system call is counted once it returns, a refused one not at all; each VMA made (vm_area_alloc,
   * __split_vma, dup_mmap's copy) or freed (remove_vma, the neighbour a merge absorbs) is a VMA change.
   */
  @Test
  void eachSystemCallAndEachVmaMadeOrFreedIsCountedOnce() {
    long[] buf = new long[1];
    assertThat(delta(VmEvent.VMA_CHANGES, () -> buf[0] = p.mmap(0, 4 * PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE
        | Mman.MAP_ANONYMOUS))).as("a VMA made").isEqualTo(1);
    assertThat(delta(VmEvent.VMA_CHANGES, () -> p.mprotect(buf[0] + PAGE, PAGE, Mman.PROT_NONE)))
        .as("the middle split off: two __split_vma").isEqualTo(2);
    assertThat(delta(VmEvent.VMA_CHANGES, () -> p.mprotect(buf[0] + PAGE, PAGE, Mman.PROT_READ)))
        .as("merged back: two VMAs freed").isEqualTo(2);
    assertThat(delta(VmEvent.SYSCALLS, () -> p.mprotect(buf[0], PAGE, Mman.PROT_READ))).as("a call that changes nothing")
        .isEqualTo(1);
    long before = m.vmstat().get(VmEvent.SYSCALLS);
    assertThatThrownBy(() -> p.munmap(buf[0] + 1, PAGE)).isInstanceOf(MmException.class);
    assertThat(m.vmstat().get(VmEvent.SYSCALLS)).as("EINVAL: refused, not counted").isEqualTo(before);
    int vmas = p.vmas().size();
    assertThat(delta(VmEvent.VMA_CHANGES, p::fork)).as("dup_mmap copies each VMA").isEqualTo(vmas);
    assertThat(delta(VmEvent.SYSCALLS, () -> p.munmap(buf[0], 4 * PAGE))).isEqualTo(1);
    long heap = p.sbrk(PAGE);
    assertThat(delta(VmEvent.VMA_CHANGES, () -> p.sbrk(PAGE))).as("the heap grown in place: vma_expand").isEqualTo(1);
    assertThat(p.vma(heap).end()).isEqualTo(heap + 2 * PAGE);
  }

  /**
   * A shared page of a disk file is made writable through the file system's page_mkwrite, in
   * do_shared_fault or, after a read mapped it read-only, wp_page_shared; once a page, while its PTE
   * stays writable. A private mapping's write copies instead, and shmem has no page_mkwrite. A
   * pwrite of a file writes it a page a call.
   */
  @Test
  void aSharedDiskFilePageWrittenGoesThroughPageMkwriteOnce() {
    MemFile disk = m.createFile("disk", 4 * PAGE);
    long shared = p.mmap(0, 4 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, disk, 0);
    assertThat(delta(VmEvent.PAGE_MKWRITE, () -> p.fill(shared, 2 * PAGE, 1))).as("do_shared_fault").isEqualTo(2);
    assertThat(delta(VmEvent.PAGE_MKWRITE, () -> p.load(shared + 2 * PAGE))).as("a read maps it read-only").isZero();
    assertThat(delta(VmEvent.PAGE_MKWRITE, () -> p.fill(shared, 4 * PAGE, 2))).as("wp_page_shared of the page read").isEqualTo(2);
    assertThat(delta(VmEvent.PAGE_MKWRITE, () -> p.fill(shared, 4 * PAGE, 3))).as("writable now: no fault").isZero();
    long priv = p.mmap(0, 4 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE, disk, 0);
    assertThat(delta(VmEvent.PAGE_MKWRITE, () -> p.fill(priv, 4 * PAGE, 4))).as("do_cow_fault").isZero();
    assertThat(delta(VmEvent.FILE_PAGES_WRITTEN, () -> m.fillFile(disk, 100, 2 * PAGE, 6)))
        .as("a pwrite of each page the range touches").isEqualTo(3);
    MemFile tmpfs = m.createShmemFile("tmpfs", 4 * PAGE);
    long shmem = p.mmap(0, 4 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, tmpfs, 0);
    assertThat(delta(VmEvent.PAGE_MKWRITE, () -> p.fill(shmem, 4 * PAGE, 5))).as("shmem").isZero();
  }

  /** truncate_inode_pages takes each cached page out of the page cache: counted once a page, and freed. */
  @Test
  void eachPageTruncatedOutOfThePageCacheIsCountedOnce() {
    MemFile f = m.createFile("f", 4 * PAGE);
    long map = p.mmap(0, 4 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, f, 0);
    p.fill(map, 4 * PAGE, 1);
    p.munmap(map, 4 * PAGE);
    long freed = m.vmstat().get(VmEvent.PGFREE);
    assertThat(delta(VmEvent.PAGECACHE_REMOVED, () -> m.truncate(f, PAGE))).isEqualTo(3);
    assertThat(m.vmstat().get(VmEvent.PGFREE) - freed).isEqualTo(3);
  }

  @Test
  void reclaimScansAYoungPageThriceAndStealsItOnTheThirdPass() {
    Machine small = new Machine(MachineConfig.builder().ram(4 * MiB).swap(4 * MiB).kernel(KernelConfig.LINUX_6_12).build());
    Process q = small.spawn("q");
    long buf = anon(q, PAGE);
    q.fill(buf, PAGE, 1);
    long scanned = small.vmstat().get(VmEvent.PGSCAN);
    long stolen = small.vmstat().get(VmEvent.PGSTEAL);
    assertThat(small.kernel().reclaim(1)).isEqualTo(1);
    assertThat(small.vmstat().get(VmEvent.PGSTEAL) - stolen).isEqualTo(1);
    assertThat(small.vmstat().get(VmEvent.PGSCAN) - scanned)
        .as("once to clear the accessed bit, once to write it out (kept while the write is in flight), once to take it").isEqualTo(3);
    assertThat(q.swappedOut(buf)).isTrue();
    assertThat(q.matches(buf, PAGE, 1)).isTrue();
  }

  @Test
  void aFilePageIsReadFromDiskAsAMajorFaultAndAShmemPageIsZeroFilled() {
    MemFile f = m.createFile("f", PAGE);
    long map = p.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_SHARED, f, 0);
    assertThat(delta(VmEvent.PGMAJFAULT, () -> p.load(map))).isEqualTo(1);
    assertThat(delta(VmEvent.PGMAJFAULT, () -> p.load(map + 1))).as("in the page cache now").isZero();
    MemFile shm = m.createShmemFile("shm", PAGE);
    long smap = p.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_SHARED, shm, 0);
    assertThat(delta(VmEvent.ZERO_FILL, () -> p.load(smap))).as("shmem_get_folio clears a new page").isEqualTo(1);
    assertThat(delta(VmEvent.PGMAJFAULT, () -> p.load(smap + 1))).isZero();
  }

  @Test
  void aProgramsCheckReadsUpToTheFirstByteThatDiffersAndFaultsInNoFurther() {
    long buf = anon(p, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    assertThat(delta(VmEvent.USER_BYTES_CHECKED, () -> assertThat(p.matches(buf, 4 * PAGE, 1)).isTrue())).isEqualTo(4 * PAGE);
    p.store(buf + 2 * PAGE + 100, (byte) ~p.load(buf + 2 * PAGE + 100));
    assertThat(delta(VmEvent.USER_BYTES_CHECKED, () -> assertThat(p.matches(buf, 4 * PAGE, 1)).isFalse()))
        .as("two pages and the 101 bytes up to the one changed").isEqualTo(2 * PAGE + 101);
    long fresh = anon(p, 4 * PAGE);
    long faults = m.vmstat().get(VmEvent.PGFAULT);
    assertThat(delta(VmEvent.USER_BYTES_CHECKED, () -> assertThat(p.matches(fresh, 4 * PAGE, 1)).isFalse()))
        .as("the zero page differs at its first byte").isEqualTo(1);
    assertThat(m.vmstat().get(VmEvent.PGFAULT) - faults).as("one read fault, of the first page").isEqualTo(1);
  }

  /** Each PTE holding a swap entry that a zap clears gives its entry back once; a fork makes one process. */
  @Test
  void aZapCountsEachSwapEntryItGivesBackAndAForkItsProcess() {
    long buf = anon(p, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    p.madvise(buf, 2 * PAGE, Mman.MADV_PAGEOUT);
    assertThat(p.swappedOut(buf)).isTrue();
    assertThat(delta(VmEvent.ZAP_SWAP_PTE, () -> p.munmap(buf, 4 * PAGE))).as("two swapped out, two present").isEqualTo(2);
    assertThat(delta(VmEvent.FORKS, p::fork)).isEqualTo(1);
  }

  @Test
  void mlockAndMunlockCountEachPageOnce() {
    long buf = anon(p, 3 * PAGE);
    p.fill(buf, 3 * PAGE, 1);
    assertThat(delta(VmEvent.UNEVICTABLE_PGS_MLOCKED, () -> p.mlock(buf, 3 * PAGE))).isEqualTo(3);
    assertThat(delta(VmEvent.UNEVICTABLE_PGS_MLOCKED, () -> p.mlock(buf, 3 * PAGE))).as("already locked").isZero();
    assertThat(delta(VmEvent.UNEVICTABLE_PGS_MUNLOCKED, () -> p.munlock(buf, PAGE))).isEqualTo(1);
    assertThat(delta(VmEvent.UNEVICTABLE_PGS_MUNLOCKED, () -> p.munmap(buf + PAGE, 2 * PAGE))).as("unmapping a locked page munlocks it")
        .isEqualTo(2);
  }

  @Test
  void cmaAllocationsAreCountedAndGiveBackTheirRange() {
    int region = (int) ((4 * MiB) / PAGE);
    PageRefs[] got = new PageRefs[1];
    assertThat(delta(VmEvent.CMA_ALLOC_SUCCESS, () -> got[0] = m.kernel().cmaAlloc(region))).isEqualTo(1);
    assertThat(got[0].pfn(0)).isEqualTo(m.mem.cmaStart);
    assertThat(got[0].pfn(region - 1)).isEqualTo(m.mem.normalEnd - 1);
    assertThatThrownBy(() -> m.kernel().cmaAlloc(1)).as("the whole region is taken").isInstanceOf(MmException.class);
    got[0].release();
    assertThat(m.kernel().cmaAlloc(region).pfn(0)).as("released, the range can be taken again").isEqualTo(m.mem.cmaStart);
    assertThatThrownBy(() -> m.kernel().cmaAlloc(region + 1)).isInstanceOf(MmException.class);
    assertThatThrownBy(() -> m.kernel().cmaAlloc(0)).isInstanceOf(MmException.class);
  }

  @Test
  void compactionScansFromBothEndsAndMovesUsedPagesDown() {
    long buf = anon(p, 64 * PAGE);
    p.fill(buf, 64 * PAGE, 1);
    p.munmap(buf, 32 * PAGE);
    long migrateScanned = m.vmstat().get(VmEvent.COMPACT_MIGRATE_SCANNED);
    long freeScanned = m.vmstat().get(VmEvent.COMPACT_FREE_SCANNED);
    long[] moved = m.kernel().compactMemory();
    assertThat(moved[1]).isZero();
    assertThat(m.vmstat().get(VmEvent.COMPACT_NODES)).as("one write to compact_memory, every zone").isEqualTo(1);
    assertThat(m.vmstat().get(VmEvent.COMPACT_MIGRATE_SCANNED)).isGreaterThan(migrateScanned);
    assertThat(m.vmstat().get(VmEvent.COMPACT_FREE_SCANNED)).isGreaterThan(freeScanned);
    assertThat(p.matches(buf + 32 * PAGE, 32 * PAGE, 1, 32 * PAGE)).isTrue();
    m.checkInvariants();
  }

  @Test
  void upToTheCeilingPagesAreFlushedOneByOneAndPastItTheWholeTlb() {
    long buf = anon(p, 34 * PAGE);
    p.fill(buf, 34 * PAGE, 1);
    long one = m.vmstat().get(VmEvent.NR_TLB_LOCAL_FLUSH_ONE);
    long all = m.vmstat().get(VmEvent.NR_TLB_LOCAL_FLUSH_ALL);
    m.kernel().zapPageRange(p, buf, Tlb.SINGLE_PAGE_FLUSH_CEILING * PAGE);
    assertThat(m.vmstat().get(VmEvent.NR_TLB_LOCAL_FLUSH_ONE) - one).isEqualTo(Tlb.SINGLE_PAGE_FLUSH_CEILING);
    assertThat(m.vmstat().get(VmEvent.NR_TLB_LOCAL_FLUSH_ALL)).isEqualTo(all);
    p.fill(buf, 34 * PAGE, 1);
    m.kernel().zapPageRange(p, buf, 34 * PAGE);
    assertThat(m.vmstat().get(VmEvent.NR_TLB_LOCAL_FLUSH_ALL) - all).isEqualTo(1);
    assertThat(m.vmstat().get(VmEvent.NR_TLB_LOCAL_FLUSH_ONE) - one).isEqualTo(Tlb.SINGLE_PAGE_FLUSH_CEILING);
  }

  @Test
  void aProcessRunsOnlyOnCpusTheMachineHas() {
    assertThatThrownBy(() -> p.runOn(4)).isInstanceOf(MmException.class);
    assertThatThrownBy(() -> p.runOn(-1)).isInstanceOf(MmException.class);
    p.runOn(3);
    long buf = anon(p, PAGE);
    p.fill(buf, PAGE, 1);
    long remote = m.vmstat().get(VmEvent.NR_TLB_REMOTE_FLUSH_RECEIVED);
    p.munmap(buf, PAGE);
    assertThat(m.vmstat().get(VmEvent.NR_TLB_REMOTE_FLUSH_RECEIVED) - remote).as("CPU 3 gets the IPI").isEqualTo(1);
  }
}
