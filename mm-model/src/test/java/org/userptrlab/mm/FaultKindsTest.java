package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.Mman.MAP_PRIVATE;
import static org.userptrlab.mm.Mman.MAP_SHARED;
import static org.userptrlab.mm.Mman.PROT_READ;
import static org.userptrlab.mm.Mman.PROT_WRITE;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import org.junit.jupiter.api.Test;

/**
 * Each kind of fault does what mm/memory.c does and is counted as such: do_anonymous_page maps
 * the zero page on a read and a zeroed page of its own on a write, do_cow_fault copies a private
 * file page, do_shared_fault writes the file's own page and dirties it, wp_page_shared makes a
 * read-faulted shared page writable, and fork and zap count the PTEs they copy, protect and clear.
 */
class FaultKindsTest {
  private final Machine m = new Machine(MachineConfig.builder().ram(16 * MiB).kernel(KernelConfig.LINUX_6_12).build());
  private final Process p = m.spawn("p");

  private long count(VmEvent e) {
    return m.vmstat().get(e);
  }

  private String flags(long addr) {
    return m.page((int) p.pagemap(addr)).flags();
  }

  @Test
  void anonymousReadsMapTheZeroPageAndWritesAZeroedPageEachCounted() {
    long buf = anon(p, 3 * PAGE);
    long zero = count(VmEvent.ZERO_PAGE_MAPPED);
    long fill = count(VmEvent.ZERO_FILL);
    long faults = count(VmEvent.PGFAULT);
    p.load(buf);
    p.load(buf + PAGE);
    p.store(buf + 2 * PAGE, (byte) 1);
    assertThat(count(VmEvent.ZERO_PAGE_MAPPED) - zero).isEqualTo(2);
    assertThat(count(VmEvent.ZERO_FILL) - fill).isEqualTo(1);
    assertThat(p.pagemap(buf)).isEqualTo(MemMap.ZERO_PFN);
    assertThat(p.pteWritable(buf + 2 * PAGE)).isTrue();
    p.store(buf, (byte) 2);
    assertThat(p.pagemap(buf)).as("a write replaces the zero page").isNotEqualTo(MemMap.ZERO_PFN);
    assertThat(count(VmEvent.PGFAULT) - faults).isEqualTo(4);
    p.load(buf);
    assertThat(count(VmEvent.PGFAULT) - faults).as("a present, allowed access takes no fault").isEqualTo(4);
  }

  @Test
  void aWriteToAPrivateFileMappingCopiesThePageAndLeavesTheFileAlone() {
    MemFile f = m.createFile("f", 2 * PAGE);
    m.fillFile(f, 0, 2 * PAGE, 5);
    long map = p.mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, f, 0);
    p.load(map + PAGE);
    long cached = p.pagemap(map + PAGE);
    assertThat(p.pteWritable(map + PAGE)).as("a private file page is read-only until written").isFalse();
    long copies = count(VmEvent.COW_COPY);
    p.store(map, (byte) 9);
    p.store(map + PAGE, (byte) 9);
    assertThat(count(VmEvent.COW_COPY) - copies).as("do_cow_fault once, wp_page_copy once").isEqualTo(2);
    assertThat(p.pagemap(map + PAGE)).isNotEqualTo(cached);
    assertThat(flags(map)).contains("anon");
    assertThat(p.pteWritable(map)).isTrue();
    assertThat(p.load(map)).isEqualTo((byte) 9);
    assertThat(p.matches(map + 1, PAGE - 1, 5, 1)).as("the rest of the copy is the file's bytes").isTrue();
    assertThat(m.fileMatches(f, 0, 2 * PAGE, 5)).as("the file never sees a private write").isTrue();
    m.checkInvariants();
  }

  @Test
  void aSharedFileMappingIsWrittenInPlaceAndItsPageDirtied() {
    MemFile f = m.createFile("f", 2 * PAGE);
    long map = p.mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
    p.load(map);
    assertThat(p.pteWritable(map)).as("a read of a shared file page maps it read-only, to notice the first write").isFalse();
    assertThat(flags(map)).doesNotContain("dirty");
    long page = p.pagemap(map);
    p.store(map, (byte) 4);
    assertThat(p.pagemap(map)).as("wp_page_shared writes the page in place").isEqualTo(page);
    assertThat(p.pteWritable(map)).isTrue();
    assertThat(flags(map)).contains("dirty");
    p.store(map + PAGE, (byte) 4);
    assertThat(flags(map + PAGE)).as("do_shared_fault dirties the page it maps").contains("dirty");
    assertThat(p.pteWritable(map + PAGE)).isTrue();
    m.checkInvariants();
  }

  @Test
  void aReadOfASharedWritableShmemMappingMapsItWritable() {
    MemFile shm = m.createShmemFile("shm", PAGE);
    long rw = p.mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, shm, 0);
    long ro = p.mmap(0, PAGE, PROT_READ, MAP_SHARED, shm, 0);
    p.load(rw);
    p.load(ro);
    assertThat(p.pteWritable(rw)).as("shmem needs no write notification").isTrue();
    assertThat(p.pteWritable(ro)).isFalse();
    assertThat(flags(rw)).doesNotContain("dirty");
  }

  @Test
  void aDevicePageWriteProtectedByMprotectIsWritableAgainInPlace() {
    DeviceMemory dev = m.createDevice("bar", PAGE);
    long map = p.mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, dev, 0);
    long pfn = p.pagemap(map);
    p.mprotect(map, PAGE, PROT_READ);
    p.mprotect(map, PAGE, PROT_READ | PROT_WRITE);
    p.store(map, (byte) 3);
    assertThat(p.pagemap(map)).isEqualTo(pfn);
    assertThat(p.pteWritable(map)).isTrue();
    assertThat(p.load(map)).isEqualTo((byte) 3);
  }

  @Test
  void forkCountsThePtesItCopiesAndProtectsAndUnmapCountsThoseItClears() {
    long buf = anon(p, 4 * PAGE);
    p.fill(buf, 3 * PAGE, 1);
    p.load(buf + 3 * PAGE);
    long copied = count(VmEvent.FORK_PTE);
    long protectedPtes = count(VmEvent.WRPROTECT_PTE);
    long flushed = count(VmEvent.TLB_FLUSHED_PAGES);
    Process child = p.fork();
    assertThat(count(VmEvent.FORK_PTE) - copied).isEqualTo(4);
    assertThat(count(VmEvent.WRPROTECT_PTE) - protectedPtes).as("the three writable anonymous PTEs; the zero page was read-only")
        .isEqualTo(3);
    assertThat(count(VmEvent.TLB_FLUSHED_PAGES)).as("the parent's protected PTEs are flushed").isGreaterThan(flushed);
    assertThat(p.pteWritable(buf)).isFalse();
    long zapped = count(VmEvent.ZAP_PTE);
    child.munmap(buf, 4 * PAGE);
    assertThat(count(VmEvent.ZAP_PTE) - zapped).isEqualTo(4);
    Process readOnly = m.spawn("ro");
    long ro = anon(readOnly, PAGE);
    readOnly.load(ro);
    long before = count(VmEvent.WRPROTECT_PTE);
    readOnly.fork();
    assertThat(count(VmEvent.WRPROTECT_PTE)).as("nothing to protect").isEqualTo(before);
    m.checkInvariants();
  }
}
