package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import org.junit.jupiter.api.Test;

/**
 * The reverse map as mm/rmap.c walks it: a file page is found through i_mmap at the address its
 * index gives in each mapping (vma_address, with the mapping's file offset), an anonymous page
 * through its anon_vma in every process of the family, and a mapping whose PTE no longer holds the
 * page is not reported (page_vma_mapped_walk).
 */
class ReverseMapTest {
  private final Machine m = new Machine(MachineConfig.builder().ram(16 * MiB).kernel(KernelConfig.LINUX_6_12).build());
  private final Process p = m.spawn("p");

  @Test
  void aFilePageIsFoundInEveryMappingAtTheAddressItsOffsetGives() {
    MemFile f = m.createFile("f", 4 * PAGE);
    Process q = m.spawn("q");
    long whole = p.mmap(0, 4 * PAGE, Mman.PROT_READ, Mman.MAP_SHARED, f, 0);
    long tail = q.mmap(0, 2 * PAGE, Mman.PROT_READ, Mman.MAP_SHARED, f, 2 * PAGE);
    long elsewhere = q.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_SHARED, f, 0);
    p.load(whole + 3 * PAGE);
    q.load(tail + PAGE);
    q.load(elsewhere);
    int pfn = (int) p.pagemap(whole + 3 * PAGE);
    assertThat(q.pagemap(tail + PAGE)).isEqualTo(pfn);
    assertThat(m.rmap(pfn)).containsExactlyInAnyOrder(new Machine.Mapping(p, whole + 3 * PAGE), new Machine.Mapping(q, tail + PAGE));
    q.munmap(tail, 2 * PAGE);
    assertThat(m.rmap(pfn)).containsExactly(new Machine.Mapping(p, whole + 3 * PAGE));
    assertThat(m.rmap((int) q.pagemap(elsewhere))).containsExactly(new Machine.Mapping(q, elsewhere));
  }

  @Test
  void anAnonymousPageIsFoundInEachProcessOfTheFamilyThatStillMapsIt() {
    long buf = anon(p, 2 * PAGE);
    p.fill(buf, 2 * PAGE, 1);
    Process child = p.fork();
    Process grandchild = child.fork();
    int pfn = (int) p.pagemap(buf);
    assertThat(m.rmap(pfn)).extracting(Machine.Mapping::process).containsExactlyInAnyOrder(p, child, grandchild);
    child.store(buf, (byte) 1);
    assertThat(m.rmap(pfn)).as("the child's write gave it a copy").extracting(Machine.Mapping::process)
        .containsExactlyInAnyOrder(p, grandchild);
    assertThat(m.rmap((int) child.pagemap(buf))).containsExactly(new Machine.Mapping(child, buf));
    m.kernel().zapPageRange(grandchild, buf, PAGE);
    assertThat(m.rmap(pfn)).containsExactly(new Machine.Mapping(p, buf));
    assertThat(m.rmap(MemMap.ZERO_PFN)).as("the zero page is in no reverse map").isEmpty();
    m.checkInvariants();
  }

  @Test
  void aPageLockedInTwoProcessesIsMunlockedOnlyWhenTheLastLockedMappingGoes() {
    // Shared: a private page would be copied by the child's mlock, which populates with write faults.
    long buf = p.mmap(0, PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED | Mman.MAP_ANONYMOUS);
    p.fill(buf, PAGE, 1);
    p.mlock(buf, PAGE);
    Process child = p.fork();
    child.mlock(buf, PAGE);
    int pfn = (int) p.pagemap(buf);
    assertThat(child.pagemap(buf)).isEqualTo(pfn);
    p.munlock(buf, PAGE);
    assertThat(m.page(pfn).flags()).contains("mlocked");
    child.munmap(buf, PAGE);
    assertThat(m.page(pfn).flags()).doesNotContain("mlocked");
    m.checkInvariants();
  }
}
