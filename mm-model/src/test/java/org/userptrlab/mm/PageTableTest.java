package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;

import org.junit.jupiter.api.Test;

/**
 * The four-level page table of x86-64: a PTE page covers 2 MiB, an entry is found by the nine bits
 * of each level wherever in the 47-bit space it lies, and free_pgtables gives back a PTE page only
 * once every entry in it is none.
 */
class PageTableTest {
  private static final long LEAF = 2 * MiB;

  @Test
  void entriesAtTheEdgesOfEachLevelAreKeptApart() {
    PageTable t = new PageTable();
    long[] vpns = {0, 511, 512, (1L << 18) - 1, 1L << 18, (1L << 27) - 1, 1L << 27, (Mm.TASK_SIZE >>> Page.PAGE_SHIFT) - 1};
    for (int i = 0; i < vpns.length; i++) {
      t.set(vpns[i], Pte.make(i + 1, Pte.PRESENT));
    }
    for (int i = 0; i < vpns.length; i++) {
      assertThat(Pte.pfn(t.get(vpns[i]))).as("vpn 0x%x", vpns[i]).isEqualTo(i + 1);
    }
    assertThat(t.get(1)).isZero();
    assertThat(t.get(513)).isZero();
    assertThat(t.ptePages()).isEqualTo(7);
    t.set(511, 0);
    t.freeIfEmpty(511);
    assertThat(t.ptePages()).as("vpn 0 still uses the first PTE page").isEqualTo(7);
    t.set(0, 0);
    t.freeIfEmpty(0);
    assertThat(t.ptePages()).isEqualTo(6);
    t.freeIfEmpty(1L << 40);
    t.freeIfEmpty(5L << 18);
    assertThat(t.ptePages()).as("nothing there to free").isEqualTo(6);
    long top = (Mm.TASK_SIZE >>> Page.PAGE_SHIFT) - 1;
    t.set(top, 0);
    t.freeIfEmpty(top);
    assertThat(t.ptePages()).isEqualTo(5);
    assertThat(t.get(1L << 27)).isNotZero();
  }

  @Test
  void unmappingOneOfTwoMappingsInAPtePageKeepsItAndTheSecondFreesIt() {
    Machine m = new Machine(MachineConfig.builder().ram(8 * MiB).build());
    Process p = m.spawn("p");
    long base = 0x4000_0000L;
    long a = p.mmap(base, PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_FIXED);
    long b = p.mmap(base + LEAF - PAGE, PAGE, Mman.PROT_READ | Mman.PROT_WRITE,
        Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_FIXED);
    p.store(a, (byte) 1);
    p.store(b, (byte) 1);
    int tables = p.mm.pgtable.ptePages();
    p.munmap(a, PAGE);
    assertThat(p.mm.pgtable.ptePages()).isEqualTo(tables);
    p.munmap(b, PAGE);
    assertThat(p.mm.pgtable.ptePages()).isEqualTo(tables - 1);
    m.checkInvariants();
  }
}
