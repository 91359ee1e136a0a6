package org.userptrlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.Hazard;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.lab.scenarios.Catalogue;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.Errno;

/**
 * What really happens under every strategy for every hazard of the thread, on the thread's 3.4 and today's 6.12:
 * the matrix {@code compare} prints, held to account. K kept its contract, B broke it, R refused
 * the import; ! means hazards were reported. The targeted tests below say why for the cells that
 * carry the thread's arguments.
 */
class HazardMatrixTest {
  static final List<String> STRATEGIES = List.of("copy", "backed-longterm", "backed-notifier", "backed-pin", "cow", "mlock", "steal");

  /**
   * scenario, kernel, then one code per strategy in {@link #STRATEGIES} order. Wherever the Exynos
   * patch (mlock) releases pages it locked while they are still mapped, they stay unevictable: a hazard.
   */
  static final String[] EXPECTED = {
      // Fork shares the pages COW. A reference (backed-pin, mlock; and 3.4's "long-term" pin) does not stop the
      // parent's write from copying the page away from the GPU; a FOLL_PIN on a modern kernel makes fork copy
      // for the child instead (backed-longterm); a notifier follows the COW break (backed-notifier).
      "fork-then-parent-writes    3.4  K  B! K  B! K! B! K",
      "fork-then-parent-writes    6.12 K  K  K  B! K  B! K",
      // Child first: on 3.4 the parent's page is then mapped once and reused in place (reuse_swap_page), so the
      // GPU stays coherent by luck; on 6.12 the page is no longer exclusive and has a second reference: copied.
      "fork-then-child-writes     3.4  K  K  K  K  K! K! K",
      "fork-then-child-writes     6.12 K  K  K  B  K  B! K",
      // MADV_DONTFORK keeps the range out of the child (which faults SIGSEGV if it touches it): every strategy holds.
      "fork-with-madv-dontfork    3.4  K! K! K! K! K! K! K!",
      "fork-with-madv-dontfork    6.12 K! K! K! K! K! K! K!",
      // The child execs before the parent writes: on 3.4 the page is mapped once again and reused; on 6.12
      // fork already cleared PageAnonExclusive and a plain reference keeps the refcount at 2: copied.
      "fork-then-exec             3.4  K  K  K  K  K! K! K",
      "fork-then-exec             6.12 K  K  K  B  K  B! K",
      // After munlock the pages are evictable: reclaim swaps out every page a reference holds (3.4, and 6.12 for
      // non-pins), the swap cache keeps the frame, so the GPU stays coherent but the I/O is done. A notifier's
      // mirror holds no page: swap-out only invalidates it, no hazard.
      "munlock-behind-driver      3.4  K  K! K  K! K! K! K",
      "munlock-behind-driver      6.12 K  K  K  K! K  K! K",
      // pinned_vm is charged against RLIMIT_MEMLOCK (refused); the Exynos patch locks past it unchecked.
      "rlimit-memlock             3.4  K  R  K  K  K! K! K",
      "rlimit-memlock             6.12 K  R  K  K  K  K! K",
      // The patch locks the whole 16 MiB VMA: 3840 pages outside the range cannot be reclaimed.
      "1mib-in-16mib-vma          3.4  K  K  K  K  K! K! K",
      "1mib-in-16mib-vma          6.12 K  K  K  K  K  K! K",
      // A VM_LOCKED heap VMA has flags brk's new memory does not: do_brk_flags makes a second VMA.
      "heap-growth                3.4  K  K  K  K  K! K! K",
      "heap-growth                6.12 K  K  K  K  K  K! K",
      // Any held page in the CMA region fails cma_alloc; FOLL_LONGTERM on 6.12 moved them out before pinning.
      "cma-while-imported         3.4  K  K! K  K! K! K! K!",
      "cma-while-imported         6.12 K  K  K  K! K! K! K!",
      // Compaction cannot move held pages (folio_migrate_mapping's refcount check), pinned or not.
      "compaction-while-imported  3.4  K  K! K  K! K! K! K!",
      "compaction-while-imported  6.12 K  K! K  K! K! K! K!",
      // Under pressure: mlocked pages stay; 6.12 skips pinned pages (try_to_unmap refuses); the rest swap. The
      // Exynos patch's release clears VM_LOCKED without munlock: its pages stay unevictable after the object.
      "memory-pressure            3.4  K  K! K  K! K! K! K",
      "memory-pressure            6.12 K  K  K  K! K  K! K",
      // After free(): held pages live on in the object (the GPU reads freed memory); the mirror's next job
      // finds the range unmapped (EFAULT).
      "free-and-reuse             3.4  K  K! K! K! K! K! K",
      "free-and-reuse             6.12 K  K! K! K! K  K! K",
      // After exit a mirror has nothing left to mirror: its GPU job fails.
      "exit-while-imported        3.4  K  K  K! K  K! K  K",
      "exit-while-imported        6.12 K  K  K! K  K  K  K",
      // steal and cow copy a file mapping; 6.12 refuses a long-term writable pin of a file with writeback.
      "file-backed-range          3.4  K  K  K  K  K! K! K!",
      "file-backed-range          6.12 K  R  K  K  K! K! K!",
  };

  static Map<String, RunResult> results = new LinkedHashMap<>();

  @BeforeAll
  static void runAll() {
    Comparison cmp = new Comparison(LabOptions.builder().strategies(STRATEGIES).profiles(List.of(Profiles.X86_DESKTOP_2012)).build());
    for (RunResult r : cmp.runAll(Catalogue.hazards())) {
      results.put(r.scenario() + "/" + r.kernel().release() + "/" + r.strategy(), r);
    }
  }

  static String code(RunResult r) {
    String c = switch (r.verdict()) {
      case KEPT -> "K";
      case BROKEN -> "B";
      case REFUSED -> "R";
      case ERROR -> "E";
    };
    return r.verdict() != RunResult.Verdict.REFUSED && !r.hazards().isEmpty() ? c + "!" : c;
  }

  static RunResult get(String scenario, KernelConfig kernel, String strategy) {
    return results.get(scenario + "/" + kernel.release() + "/" + strategy);
  }

  @Test
  void theMatrixIsWhatTheKernelDoes() {
    List<String> actual = new ArrayList<>();
    for (String row : EXPECTED) {
      String[] f = row.trim().split("\\s+");
      StringBuilder sb = new StringBuilder(String.format("%-26s %-4s", f[0], f[1]));
      for (String s : STRATEGIES) {
        RunResult r = results.get(f[0] + "/" + f[1] + "/" + s);
        sb.append(String.format(" %-2s", r == null ? "?" : code(r)));
      }
      actual.add(sb.toString().stripTrailing());
    }
    List<String> expected = new ArrayList<>();
    for (String row : EXPECTED) {
      expected.add(row.stripTrailing());
    }
    assertThat(actual).containsExactlyElementsOf(expected);
    List<String> covered = new ArrayList<>();
    for (Scenario s : Catalogue.hazards()) {
      covered.add(s.name());
    }
    assertThat(expected.stream().map(r -> r.trim().split("\\s+")[0]).distinct().toList()).containsExactlyElementsOf(covered);
  }

  @Test
  void theProgramsMunlockOfWhatTheExynosPatchLockedWrapsLockedVmAndMlockThenPassesTheLimit() {
    for (KernelConfig kernel : List.of(KernelConfig.LINUX_3_4, KernelConfig.LINUX_6_12)) {
      assertThat(get("rlimit-memlock", kernel, "mlock").hazards()).as("%s", kernel)
          .anySatisfy(h -> assertThat(h.kind()).isEqualTo(HazardKind.LOCKED_VM_WRAPPED))
          .anySatisfy(h -> assertThat(h.detail()).contains("4097 below zero, wrapped").endsWith("then succeeds"));
      assertThat(get("rlimit-memlock", kernel, "backed-pin").has(HazardKind.LOCKED_VM_WRAPPED)).isFalse();
    }
  }

  @Test
  void onTheThreadsKernelTheCmaScenarioRunsWithCmaAddedAndSaysSo() {
    RunResult old = get("cma-while-imported", KernelConfig.LINUX_3_4, "backed-pin");
    assertThat(old.kernel()).isEqualTo(KernelConfig.LINUX_3_4);
    assertThat(old.ranOn()).isEqualTo(KernelConfig.parse("3.4+cma"));
    assertThat(old.remarks()).containsExactly("ran on 3.4+cma: the scenario needs cma, which came in 3.5 (c64be2bb1c6e "
        + "(\"drivers: add Contiguous Memory Allocator\"))");
    RunResult today = get("cma-while-imported", KernelConfig.LINUX_6_12, "backed-pin");
    assertThat(today.ranOn()).isEqualTo(KernelConfig.LINUX_6_12);
    assertThat(today.remarks()).isEmpty();
    assertThat(get("memory-pressure", KernelConfig.LINUX_3_4, "backed-pin").ranOn()).as("no CMA needed, nothing added")
        .isEqualTo(KernelConfig.LINUX_3_4);
  }

  @Test
  void theExynosPatchsReleaseLeavesItsPagesUnevictable() {
    for (KernelConfig kernel : List.of(KernelConfig.LINUX_3_4, KernelConfig.LINUX_6_12)) {
      assertThat(get("memory-pressure", kernel, "mlock").hazards()).as("%s", kernel)
          .anySatisfy(h -> assertThat(h.detail()).startsWith("2049 pages stayed PG_mlocked and unevictable"));
      assertThat(get("memory-pressure", kernel, "backed-pin").has(HazardKind.UNEVICTABLE_AFTER_RELEASE)).isFalse();
    }
  }

  @Test
  void theExynosPatchLocksPastTheLimitWithoutChargingLockedVm() {
    for (KernelConfig kernel : List.of(KernelConfig.LINUX_3_4, KernelConfig.LINUX_6_12)) {
      assertThat(get("rlimit-memlock", kernel, "mlock").hazards())
          .anySatisfy(h -> assertThat(h.detail()).contains("VM_LOCKED past RLIMIT_MEMLOCK").contains("0 of them charged to locked_vm"));
      assertThat(get("rlimit-memlock", kernel, "mlock").has(HazardKind.RLIMIT_MEMLOCK_BYPASS)).isTrue();
      assertThat(get("rlimit-memlock", kernel, "backed-longterm").refusal().errno()).isEqualTo(Errno.ENOMEM);
      assertThat(get("rlimit-memlock", kernel, "backed-longterm").refusal().message()).as("the refusal, and where the program asked")
          .startsWith("ENOMEM: pinned_vm").endsWith("(at rlimit-memlock.scenario:13, p.userptr buf 16M)");
    }
  }

  @Test
  void theWholeVmaIsLockedAndStaysResident() {
    assertThat(get("1mib-in-16mib-vma", KernelConfig.LINUX_3_4, "mlock").hazards())
        .as("memalign(4K, 16M) maps 4098 pages: the 16 MiB, malloc's header page and the alignment's slack")
        .contains(new Hazard(HazardKind.WHOLE_VMA_LOCKED, "4098 pages are VM_LOCKED for a 256-page import"))
        .contains(new Hazard(HazardKind.PAGES_UNRECLAIMABLE, "2048 of the 2048 pages of the range could not be reclaimed"))
        .contains(new Hazard(HazardKind.PAGES_UNRECLAIMABLE, "1792 of the 1792 pages of the range could not be reclaimed"));
  }

  @Test
  void theHeapGrowsAsANewVmaNextToALockedOne() {
    assertThat(get("heap-growth", KernelConfig.LINUX_3_4, "mlock").hazards())
        .anySatisfy(h -> assertThat(h.detail()).contains("2 VMAs instead of 1"))
        .extracting(Hazard::kind).contains(HazardKind.HEAP_SPLIT);
  }

  @Test
  void heldPagesBreakCmaWhileMirrorsAndModernLongtermPinsDoNot() {
    for (String s : List.of("steal", "mlock", "backed-pin")) {
      assertThat(get("cma-while-imported", KernelConfig.LINUX_6_12, s).hazards())
          .anySatisfy(h -> assertThat(h.kind()).isEqualTo(HazardKind.CMA_ALLOC_FAILED))
          .anySatisfy(h -> assertThat(h.detail()).contains("EAGAIN"));
    }
    assertThat(get("cma-while-imported", KernelConfig.LINUX_6_12, "backed-notifier").hazards()).isEmpty();
    assertThat(get("cma-while-imported", KernelConfig.LINUX_6_12, "backed-longterm").hazards()).isEmpty();
    assertThat(get("cma-while-imported", KernelConfig.LINUX_3_4, "backed-longterm").hazards()).isNotEmpty();
  }

  @Test
  void afterForkTheParentsWriteLeavesAReferenceHolderWithTheChildsPage() {
    RunResult r = get("fork-then-parent-writes", KernelConfig.LINUX_6_12, "backed-pin");
    assertThat(r.brokenPromises()).anySatisfy(c -> assertThat(c.what()).contains("the GPU sees the parent's write"));
    assertThat(r.hazards()).contains(new Hazard(HazardKind.GPU_WRITE_REACHED_CHILD, "the GPU's write after the fork reached the child's memory"));
  }

  @Test
  void afterForkAndExecAPlainReferenceStillLosesTheParentOnAModernKernel() {
    assertThat(get("fork-then-exec", KernelConfig.LINUX_3_4, "backed-pin").verdict()).isEqualTo(RunResult.Verdict.KEPT);
    assertThat(get("fork-then-exec", KernelConfig.LINUX_6_12, "backed-pin").brokenPromises())
        .anySatisfy(c -> assertThat(c.what()).contains("the GPU sees the parent's write"));
    assertThat(get("fork-then-exec", KernelConfig.LINUX_6_12, "backed-longterm").verdict()).isEqualTo(RunResult.Verdict.KEPT);
  }

  @Test
  void aMirrorFailsItsJobRatherThanReadFreedMemory() {
    assertThat(get("free-and-reuse", KernelConfig.LINUX_6_12, "backed-notifier").hazards())
        .anySatisfy(h -> assertThat(h.detail()).startsWith("line ").contains(": GPU job failed: EFAULT"))
        .extracting(Hazard::kind).contains(HazardKind.GPU_JOB_FAILED);
    assertThat(get("free-and-reuse", KernelConfig.LINUX_6_12, "backed-pin").hazards())
        .extracting(Hazard::kind).contains(HazardKind.FREED_MEMORY_READ);
  }
}
