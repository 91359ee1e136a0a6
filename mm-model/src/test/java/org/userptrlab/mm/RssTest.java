package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.Mman.MAP_SHARED;
import static org.userptrlab.mm.Mman.PROT_READ;
import static org.userptrlab.mm.Mman.PROT_WRITE;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * VmRSS (get_mm_rss): MM_ANONPAGES + MM_FILEPAGES + MM_SHMEMPAGES, counted as pages are mapped and
 * unmapped, not by walking the page tables; the invariant checker walks them and compares. The
 * shared zero page and device memory are not counted (vm_normal_page finds no page).
 */
class RssTest {
  private static Machine machine(KernelConfig k) {
    return new Machine(MachineConfig.builder().ram(64 * MiB).swap(16 * MiB).kernel(k).build());
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void rssFollowsFaultsForkCowUnmapSwapAndMigration(KernelConfig k) {
    Machine m = machine(k);
    Process p = m.spawn("p");
    long buf = anon(p, 8 * PAGE);
    p.load(buf);
    assertThat(p.rss()).as("the zero page is not counted").isZero();
    p.fill(buf, 4 * PAGE, 1);
    assertThat(p.rss()).isEqualTo(4);
    MemFile f = m.createFile("f", 2 * PAGE);
    long map = p.mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
    p.load(map);
    assertThat(p.rssParts()).isEqualTo(new Process.Rss(4, 1, 0));
    Process child = p.fork();
    assertThat(child.rss()).as("copy_page_range skips a shared file mapping: the child faults it in later").isEqualTo(4);
    child.fill(buf, PAGE, 2);
    assertThat(child.rss()).as("a COW copy replaces the shared page").isEqualTo(4);
    m.checkInvariants();
    m.kernel().migratePage((int) p.pagemap(buf + PAGE));
    assertThat(p.rss()).isEqualTo(5);
    p.munmap(buf + 2 * PAGE, 2 * PAGE);
    assertThat(p.rss()).isEqualTo(3);
    m.checkInvariants();
    m.kernel().reclaim(4096);
    m.kernel().reclaim(4096);
    assertThat(p.rss()).as("reclaim swapped out or dropped what it took").isLessThan(3);
    m.checkInvariants();
    p.exec();
    assertThat(p.rss()).isZero();
    m.checkInvariants();
  }

  @Test
  void theCheckerCatchesACounterThatDisagreesWithThePageTables() {
    Machine m = machine(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    p.fill(anon(p, PAGE), PAGE, 1);
    p.mm.rss[Rmap.MM_ANONPAGES]++;
    assertThatThrownBy(m::checkInvariants).hasMessageContaining("rss_stat");
  }
}
