package org.userptrlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.Hazard;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.lab.scenarios.Catalogue;
import org.userptrlab.mm.KernelConfig;

/**
 * The catalogue under the svm strategies on 6.15, the release of drm_gpusvm, on the default machine
 * with its GPU of 16 MiB of device memory. Every run keeps the COHERENT contract: the GPU maps what
 * the process maps, fault by fault. What it costs instead is in the hazards, argued below from the
 * kernel's code.
 */
class SvmCatalogueTest {
  static final KernelConfig LINUX_6_15 = KernelConfig.linux("6.15");
  static final Map<String, RunResult> results = new LinkedHashMap<>();

  @BeforeAll
  static void runAll() {
    Comparison cmp = new Comparison(LabOptions.builder().strategies("svm", "svm-mirror", "svm-kfd").kernels(LINUX_6_15)
        .profiles(List.of(Profiles.EPYC_GUEST)).build());
    for (RunResult r : cmp.runAll(Catalogue.all())) {
      results.put(r.scenario() + "/" + r.strategy(), r);
    }
  }

  private static Set<HazardKind> kinds(String scenario, String strategy) {
    Set<HazardKind> out = EnumSet.noneOf(HazardKind.class);
    results.get(scenario + "/" + strategy).hazards().stream().map(Hazard::kind).forEach(out::add);
    return out;
  }

  @Test
  void everyScenarioKeepsTheContractUnderEveryVariant() {
    assertThat(results).hasSize(Catalogue.all().size() * 3);
    assertThat(results.values()).allSatisfy(r -> assertThat(r.verdict()).as("%s/%s: %s", r.scenario(), r.strategy(), r.summary())
        .isEqualTo(RunResult.Verdict.KEPT));
  }

  /**
   * fork-then-parent-writes: the GPU has not touched the buffer when the parent writes, so the write
   * is a plain COW break (do_wp_page) and the GPU's first fault mirrors the parent's new pages; then
   * each CPU read of a page in device memory brings its whole 64 KiB range back
   * (drm_pagemap_migrate_to_ram: ALIGN_DOWN(fault_addr, size)), which the program's reads of the
   * whole buffer need: no range comes back in vain.
   */
  @Test
  void forkThenParentWritesFollowsTheParentAndPullsRangesBackOnEachCpuRead() {
    assertThat(kinds("fork-then-parent-writes", "svm")).isEmpty();
    assertThat(kinds("fork-then-parent-writes", "svm-mirror")).as("nothing moves, nothing comes back").isEmpty();
  }

  /**
   * fork-then-child-writes: the child's write faults on a device-private entry shared since fork
   * (copy_nonpresent_pte made it readable in both); migrate_vma moves the page back for both mappings
   * (try_to_migrate), then do_wp_page copies it for the child. The GPU faults the parent's range into
   * device memory again after each CPU touch: the same ranges ping-pong.
   */
  @Test
  void forkThenChildWritesPingPongsTheParentsRanges() {
    assertThat(kinds("fork-then-child-writes", "svm")).contains(HazardKind.MIGRATION_PING_PONG)
        .doesNotContain(HazardKind.GPU_WRITE_REACHED_CHILD, HazardKind.CHUNK_PULLED_BACK);
  }

  /** free-and-reuse: after free() munmaps the chunk, the GPU's fault finds no VMA: the job fails (EFAULT), it reads no freed memory. */
  @Test
  void aGpuFaultOnFreedMemoryFailsInsteadOfReadingIt() {
    for (String s : List.of("svm", "svm-mirror", "svm-kfd")) {
      assertThat(kinds("free-and-reuse", s)).as(s).containsExactly(HazardKind.GPU_JOB_FAILED)
          .doesNotContain(HazardKind.FREED_MEMORY_READ, HazardKind.REUSED_MEMORY_READ);
    }
  }

  /**
   * memory-pressure, munlock-behind-driver: the imported range sits in device memory, which reclaim
   * never sees (device-private pages are on no LRU); the program's own writes of the whole buffer
   * bring it back, all of it needed. Nothing is swapped while the object holds it, because the object
   * holds nothing (a mirror).
   */
  @Test
  void pressureAndMunlockFindTheRangeInDeviceMemoryOutOfReclaimsReach() {
    for (String scenario : List.of("memory-pressure", "munlock-behind-driver")) {
      assertThat(kinds(scenario, "svm")).as(scenario).isEmpty();
      assertThat(kinds(scenario, "svm-mirror")).as(scenario).isEmpty();
    }
  }

  /**
   * cma-while-imported, compaction-while-imported: no page is pinned or referenced, so cma_alloc and
   * compaction move what is in RAM and the rest is in device memory: neither fails, unlike every
   * strategy that holds pages.
   */
  @Test
  void cmaAndCompactionSucceedBecauseNothingIsHeld() {
    for (String scenario : List.of("cma-while-imported", "compaction-while-imported")) {
      for (String s : List.of("svm", "svm-mirror")) {
        assertThat(kinds(scenario, s)).as("%s/%s", scenario, s).doesNotContain(HazardKind.CMA_ALLOC_FAILED, HazardKind.COMPACTION_BLOCKED);
      }
    }
  }

  /** exit-while-imported: the address space the GPU shared is gone; the compositor's job faults and fails. */
  @Test
  void afterExitTheGpuHasNoAddressSpaceToFaultOn() {
    assertThat(results.get("exit-while-imported/svm").hazards())
        .anySatisfy(h -> assertThat(h.detail()).contains("EFAULT").contains("has exited"));
  }

  /**
   * Device memory an svm object migrated to stays the process's after the object's release, until the
   * process touches it or exits: a program that closes the object and runs on holds it; one whose run
   * ends with the object open does not, as do_exit tears the address space down (exit_mm) before it
   * closes the DRM file (exit_files).
   */
  @Test
  void deviceMemoryIsHeldAfterAReleaseTheProgramMadeNotAfterItsEnd() {
    Comparison cmp = new Comparison(LabOptions.builder().strategies("svm").kernels(LINUX_6_15).profiles(List.of(Profiles.EPYC_GUEST))
        .build());
    String head = "scenario held\np = app app\nbuf = p.memalign 2M 4M\np.fill buf 4M 1\nobj = p.userptr buf 4M\ngpu.sees obj 1\n";
    for (boolean close : List.of(true, false)) {
      String text = head + (close ? "p.close obj\n" : "");
      RunResult r = cmp.run(new org.userptrlab.lab.scenarios.TextScenario("held.scenario",
          org.userptrlab.lab.lang.Parser.parse("held.scenario", text)), "svm", LINUX_6_15);
      List<HazardKind> kinds = r.hazards().stream().map(Hazard::kind).toList();
      if (close) {
        assertThat(kinds).contains(HazardKind.DEVICE_MEMORY_HELD);
      } else {
        assertThat(kinds).doesNotContain(HazardKind.DEVICE_MEMORY_HELD);
      }
    }
  }

  /**
   * drm_pagemap_migrate_to_ram brings back the faulting page's whole allocation: a hazard where the
   * CPU touched one page of it, none where its access covered all that came back (a fill of the
   * whole buffer, a check of it).
   */
  @Test
  void aChunkIsPulledBackInVainOnlyForAnAccessSmallerThanIt() {
    Comparison cmp = new Comparison(LabOptions.builder().strategies("svm").kernels(LINUX_6_15).profiles(List.of(Profiles.EPYC_GUEST))
        .build());
    String head = "scenario pulled\np = app app\nbuf = p.memalign 2M 4M\np.fill buf 4M 1\nobj = p.userptr buf 4M\ngpu.sees obj 1\n";
    for (String touch : List.of("p.fill buf 4K 2\n", "p.fill buf 4M 2\n", "ok = p.sees buf 4M 1\n")) {
      RunResult r = cmp.run(new org.userptrlab.lab.scenarios.TextScenario("pulled.scenario",
          org.userptrlab.lab.lang.Parser.parse("pulled.scenario", head + touch)), "svm", LINUX_6_15);
      List<HazardKind> kinds = r.hazards().stream().map(Hazard::kind).toList();
      if (touch.contains("4K")) {
        assertThat(kinds).as(touch).contains(HazardKind.CHUNK_PULLED_BACK);
      } else {
        assertThat(kinds).as(touch).doesNotContain(HazardKind.CHUNK_PULLED_BACK);
      }
    }
  }

  /** The variants differ where the paper says: svm-mirror never migrates, so nothing is ever pulled back or held in device memory. */
  @Test
  void theMirrorHasNoneOfTheMigrationHazards() {
    for (RunResult r : results.values()) {
      if (r.strategy().equals("svm-mirror")) {
        assertThat(r.hazards()).extracting(Hazard::kind).as(r.scenario()).doesNotContain(HazardKind.CHUNK_PULLED_BACK,
            HazardKind.MIGRATION_PING_PONG, HazardKind.DEVICE_MEMORY_HELD);
      }
    }
  }
}
