package org.userptrlab.lab.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.Hazard;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.mm.KernelConfig;

/**
 * A reference or a pin of one page holds its whole folio: an import of 4 KiB of a buffer that THP or
 * hugetlb backs keeps 2 MiB that can be neither split nor migrated nor reclaimed while it lives.
 */
class LargeFolioHeldTest {
  private static final Comparison CMP = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12)
      .profiles(List.of(Profiles.all().get(0))).build());

  private static List<Hazard> held(String machine, String map, String strategy) {
    String text = "scenario held \"a page of a large folio imported\"\nmachine ram 32M " + machine + "\n\np = app app\n"
        + "area = p.mmap 4M PROT_READ|PROT_WRITE " + map + "\nbuf = align_down area+2M 2M\np.madvise buf 2M MADV_HUGEPAGE\n"
        + "p.fill buf 2M 1\nobj = p.userptr buf 4K\np.report_held buf 4K\n";
    RunResult r = CMP.run(new TextScenario("held.scenario", Parser.parse("held.scenario", text)), strategy, KernelConfig.LINUX_6_12);
    return r.hazards().stream().filter(h -> h.kind() == HazardKind.LARGE_FOLIO_HELD).toList();
  }

  @Test
  void aOnePageImportOfATransparentHugePageHoldsAll512OfItsPages() {
    List<Hazard> hazards = held("thp always", "MAP_PRIVATE|MAP_ANONYMOUS", "backed-longterm");
    assertThat(hazards).singleElement().extracting(Hazard::detail).asString()
        .startsWith("the import of 1 page at 0x").contains("holds 512 pages: 1 large folio").contains("1 pages charged to pinned_vm");
  }

  @Test
  void aOnePageImportOfAHugetlbPageHoldsItWhole() {
    assertThat(held("hugetlb 2M 2", "MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB", "backed-pin")).singleElement().extracting(Hazard::detail)
        .asString().startsWith("the import of 1 page at 0x").contains("holds 512 pages");
  }

  @Test
  void onceTheObjectIsClosedNothingIsHeld() {
    String text = "scenario held \"closed\"\nmachine ram 32M thp always\n\np = app app\n"
        + "area = p.mmap 4M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\nbuf = align_down area+2M 2M\n"
        + "p.fill buf 2M 1\nobj = p.userptr buf 4K\np.close obj\np.report_held buf 4K\n";
    RunResult r = CMP.run(new TextScenario("held.scenario", Parser.parse("held.scenario", text)), "backed-pin", KernelConfig.LINUX_6_12);
    assertThat(r.hazards()).extracting(Hazard::kind).doesNotContain(HazardKind.LARGE_FOLIO_HELD);
  }

  @Test
  void smallPagesOrACopyHoldNothingMoreThanTheRange() {
    assertThat(held("thp never", "MAP_PRIVATE|MAP_ANONYMOUS", "backed-longterm")).isEmpty();
    assertThat(held("thp always", "MAP_PRIVATE|MAP_ANONYMOUS", "copy")).isEmpty();
  }

  /** cow takes the program's pages by reference: its one-page import holds the THP as the pinning strategies do. */
  @Test
  void cowHoldsTheWholeFolioToo() {
    assertThat(held("thp always", "MAP_PRIVATE|MAP_ANONYMOUS", "cow")).singleElement().extracting(Hazard::detail).asString()
        .contains("holds 512 pages");
  }

  /** A page never faulted in is not in memory: report_resident counts only what reclaim could have taken and did not. */
  @Test
  void pagesNeverTouchedAreNotReportedResident() {
    String text = "scenario untouched \"a buffer never written\"\nmachine ram 32M swap 32M\n\np = app app\n"
        + "buf = p.malloc 16M\np.fill buf 64K 1\np.report_resident buf+9M 112K\nreclaim\np.report_resident buf 16M\n";
    RunResult r = CMP.run(new TextScenario("untouched.scenario", Parser.parse("untouched.scenario", text)), "copy", KernelConfig.LINUX_6_12);
    assertThat(r.error()).isNull();
    assertThat(r.hazards()).extracting(Hazard::kind).doesNotContain(HazardKind.PAGES_UNRECLAIMABLE);
    String locked = text.replace("p.fill buf 64K 1\n", "p.fill buf 64K 1\np.mlock buf 64K\n");
    RunResult held = CMP.run(new TextScenario("locked.scenario", Parser.parse("locked.scenario", locked)), "copy", KernelConfig.LINUX_6_12);
    assertThat(held.hazards()).extracting(Hazard::kind).as("the locked pages stay").contains(HazardKind.PAGES_UNRECLAIMABLE);
  }

  /** Before 4.5 a THP with a held page could still be split (the references went to the pages): only that page stays. */
  @Test
  void before45AHeldPageDoesNotHoldItsThp() {
    String text = "scenario held \"old\"\nmachine ram 32M swap 32M thp always\n\np = app app\n"
        + "area = p.mmap 4M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\nbuf = align_down area+2M 2M\n"
        + "p.fill buf 2M 1\nobj = p.userptr buf 4K\np.report_held buf 4K\nreclaim\np.report_resident buf+4K 2044K\n";
    for (KernelConfig k : new KernelConfig[] {KernelConfig.LINUX_3_4, KernelConfig.parse("4.4"), KernelConfig.parse("4.5")}) {
      RunResult r = CMP.run(new TextScenario("held.scenario", Parser.parse("held.scenario", text)), "backed-pin", k);
      boolean whole = k.has(org.userptrlab.mm.KernelChange.THP_PTE_MAPPED);
      assertThat(r.hazards()).extracting(Hazard::kind).as("%s", k).matches(kinds -> kinds.contains(HazardKind.LARGE_FOLIO_HELD) == whole);
      assertThat(r.hazards()).extracting(Hazard::kind).as("%s: reclaim splits it and takes the rest", k)
          .matches(kinds -> kinds.contains(HazardKind.PAGES_UNRECLAIMABLE) == whole);
    }
  }

  /** An unused hugetlb pool is the pool's, not a leak. */
  @Test
  void aPoolNoOneUsedIsNoLeak() {
    String text = "scenario pool \"a pool only\"\nmachine ram 32M hugetlb 2M 2\n\np = app app\nreport_leaks\n";
    RunResult r = CMP.run(new TextScenario("pool.scenario", Parser.parse("pool.scenario", text)), "copy", KernelConfig.LINUX_6_12);
    assertThat(r.hazards()).extracting(Hazard::kind).doesNotContain(HazardKind.PAGES_LEAKED);
  }

  /** move_pages of a whole THP moves the folio once: its pages counted once, one THP migration. */
  @Test
  void migratingAThpRangeMovesTheFolioOnce() {
    String text = "scenario mv \"a THP moved\"\nmachine ram 32M thp always\n\np = app app\n"
        + "area = p.mmap 4M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\nbuf = align_down area+2M 2M\n"
        + "p.fill buf 2M 1\nmigrate p buf 2M\ncheck \"still a THP\" p.anon_huge buf == 2M\n";
    RunResult r = CMP.run(new TextScenario("mv.scenario", Parser.parse("mv.scenario", text)), "copy", KernelConfig.LINUX_6_12);
    assertThat(r.counters().get(org.userptrlab.mm.VmEvent.THP_MIGRATION_SUCCESS)).isEqualTo(1);
    assertThat(r.counters().get(org.userptrlab.mm.VmEvent.PGMIGRATE_SUCCESS)).isEqualTo(512);
    assertThat(r.failedChecks()).isEmpty();
  }
}
