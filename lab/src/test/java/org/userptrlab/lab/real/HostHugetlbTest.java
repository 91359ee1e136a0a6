package org.userptrlab.lab.real;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Program;

/**
 * The hugetlb pools a program's real run asks of this machine: those its 'machine hugetlb' lines set
 * aside, and where it maps hugetlb memory with none, an empty default pool, as the model's machine
 * has, so that both sides answer from the same (empty) pool.
 */
class HostHugetlbTest {
  private static Program program(String body) {
    return Parser.parse("pools.scenario", "scenario pools\n" + body);
  }

  @Test
  void aProgramThatSetsItsPoolAsksForThatPool() {
    Program p = program("machine hugetlb 2M 4\np = spawn p\nb = p.mmap 2M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB\n");
    assertThat(HostHugetlb.asked(p)).isEqualTo(Map.of(2L << 20, 4L));
  }

  @Test
  void aProgramThatMapsHugetlbMemoryWithNoPoolAsksForAnEmptyDefaultPool() {
    Program mapped = program("p = spawn p\nr = try p.mmap 2M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB\n");
    Program memfd = program("f = memfd test 2M MFD_HUGETLB\n");
    assertThat(HostHugetlb.asked(mapped)).isEqualTo(Map.of(2L << 20, 0L));
    assertThat(HostHugetlb.asked(memfd)).isEqualTo(Map.of(2L << 20, 0L));
  }

  @Test
  void aProgramWithNoHugetlbMemoryAsksForNoPool() {
    assertThat(HostHugetlb.asked(program("p = spawn p\nb = p.mmap 2M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n"
        + "p.madvise b 2M MADV_HUGEPAGE\n"))).isEmpty();
  }
}
