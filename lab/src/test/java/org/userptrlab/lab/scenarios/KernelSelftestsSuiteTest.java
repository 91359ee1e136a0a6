package org.userptrlab.lab.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.RunResult.CheckOutcome;
import org.userptrlab.mm.KernelConfig;

/**
 * The kernel's own mm selftests (cow.c and gup_longterm.c of 6.12) as the lab's suite: every case on a
 * base page, a swapped-out one, the shared zeropage, memfd, tmpfile and a local file is there, and
 * cow.c's anonymous cases on a PMD-sized THP (2048 kB) whole, PTE-mapped, as a single PTE, partially
 * mremap()'ed and partially shared, named as the selftest prints them; on 6.12 each passes, as the
 * selftests do on a correct kernel; on 3.4 each gives what that kernel's source gives (the COW and GUP
 * bugs fixed since), a THP as its base page.
 */
class KernelSelftestsSuiteTest {
  private static final Comparison CMP = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_3_4, KernelConfig.LINUX_6_12)
      .profiles(List.of(Profiles.all().get(0))).build());

  static List<TextScenario> cases() {
    return Suite.KERNEL_SELFTESTS.programs();
  }

  private static RunResult run(TextScenario s, KernelConfig k) {
    return CMP.run(s, Suite.STRATEGY, k);
  }

  @Test
  void everyCaseInScopeIsThereOnceNamedAsTheSelftestPrintsIt() {
    List<String> names = cases().stream().map(TextScenario::description).toList();
    assertThat(names).hasSize(141).doesNotHaveDuplicates();
    assertThat(names.stream().filter(n -> n.contains(" when collapsing "))).hasSize(4);
    assertThat(names.stream().filter(n -> n.endsWith(" ... with base page"))).hasSize(14);
    assertThat(names.stream().filter(n -> n.endsWith(" ... with swapped out base page"))).hasSize(14);
    assertThat(names.stream().filter(n -> n.endsWith(" ... with shared zeropage"))).hasSize(3);
    assertThat(names.stream().filter(n -> n.endsWith(" ... with memfd"))).hasSize(13);
    assertThat(names.stream().filter(n -> n.endsWith(" ... with tmpfile"))).hasSize(13);
    assertThat(names.stream().filter(n -> n.endsWith(" ... with local tmpfile"))).hasSize(10);
    for (String thp : THP) {
      assertThat(names.stream().filter(n -> n.endsWith(" ... with " + thp))).as(thp).hasSize(14);
    }
    assertThat(names).contains("vmsplice() + unmap in child ... with base page",
        "R/O GUP-fast pin on R/O-mapped previously-shared page ... with swapped out base page",
        "R/O longterm GUP pin ... with shared zeropage", "io_uring fixed buffer with MAP_SHARED file mapping ... with local tmpfile",
        "vmsplice() + unmap in child ... with partially mremap()'ed THP (2048 kB)",
        "R/O GUP-fast pin on R/O-mapped exclusive page ... with single PTE of THP (2048 kB)");
  }

  /** How cow.c's run_with_*thp() name the THP a case runs on, for the PMD size (2048 kB). */
  private static final List<String> THP = List.of("THP (2048 kB)", "PTE-mapped THP (2048 kB)", "single PTE of THP (2048 kB)",
      "partially mremap()'ed THP (2048 kB)", "partially shared THP (2048 kB)");

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void onLinux612EveryCasePasses(TextScenario s) {
    RunResult r = run(s, KernelConfig.LINUX_6_12);
    assertThat(r.checkOutcome()).as(r.summary()).isEqualTo(CheckOutcome.PASS);
  }

  /**
   * 3.4, by its source: the COW of a page a pipe or a pin still holds goes the wrong way (CVE-2020-29374,
   * fixed from 5.8/5.9); a read-only pin of a page shared after fork, or of the zeropage, is not
   * coherent (5.19, 6.2); clear_refs does not take 4 (3.11), which ends the cases that use it; a
   * writable long-term pin of a shared file mapping with writeback is taken (refused from 6.5); there is
   * no io_uring (5.1), so its cases skip; and MADV_PAGEOUT (5.4) is EINVAL, so no swapped-out case runs.
   * A THP's case gives what its base page's does: 3.4's do_huge_pmd_wp_page reuses the huge page as
   * do_wp_page reuses a page (by mapcount), and copies it whole where do_wp_page copies.
   */
  private static final Map<String, CheckOutcome> ON_3_4 = Map.ofEntries(
      Map.entry("vmsplice() + unmap in child ... with base page", CheckOutcome.FAIL),
      Map.entry("vmsplice() + unmap in child with mprotect() optimization ... with base page", CheckOutcome.FAIL),
      Map.entry("vmsplice() before fork(), unmap in parent after fork() ... with base page", CheckOutcome.FAIL),
      Map.entry("vmsplice() + unmap in parent after fork() ... with base page", CheckOutcome.FAIL),
      Map.entry("R/O-mapping a page registered as iouring fixed buffer ... with base page", CheckOutcome.SKIP),
      Map.entry("fork() with an iouring fixed buffer ... with base page", CheckOutcome.SKIP),
      Map.entry("R/O GUP pin on R/O-mapped shared page ... with base page", CheckOutcome.FAIL),
      Map.entry("R/O GUP-fast pin on R/O-mapped shared page ... with base page", CheckOutcome.FAIL),
      Map.entry("R/O GUP pin on R/O-mapped exclusive page ... with base page", CheckOutcome.ERROR),
      Map.entry("R/O GUP-fast pin on R/O-mapped exclusive page ... with base page", CheckOutcome.ERROR),
      Map.entry("R/O longterm GUP pin ... with shared zeropage", CheckOutcome.FAIL),
      Map.entry("R/O longterm GUP-fast pin ... with shared zeropage", CheckOutcome.FAIL),
      Map.entry("R/W longterm GUP pin in MAP_SHARED file mapping ... with local tmpfile", CheckOutcome.FAIL),
      Map.entry("R/W longterm GUP-fast pin in MAP_SHARED file mapping ... with local tmpfile", CheckOutcome.FAIL),
      Map.entry("io_uring fixed buffer with MAP_SHARED file mapping ... with local tmpfile", CheckOutcome.SKIP),
      Map.entry("io_uring fixed buffer with MAP_PRIVATE file mapping ... with local tmpfile", CheckOutcome.SKIP));

  @Test
  void onLinux34EachCaseGivesWhatItsSourceGives() {
    Map<String, CheckOutcome> got = cases().stream().collect(Collectors.toMap(TextScenario::description,
        s -> run(s, KernelConfig.LINUX_3_4).checkOutcome()));
    got.forEach((name, outcome) -> {
      CheckOutcome want = name.endsWith("... with swapped out base page") ? CheckOutcome.SKIP
          // memfd_create came in 3.17: the selftest's memfd_create() fails, and the program ends there.
          : name.endsWith("... with memfd") ? CheckOutcome.ERROR
          : name.startsWith("io_uring fixed buffer") ? CheckOutcome.SKIP
          // MADV_COLLAPSE came in 6.1: "MADV_COLLAPSE failed".
          : name.contains(" when collapsing ") ? CheckOutcome.SKIP
          : ON_3_4.getOrDefault(base(name).replace("... with tmpfile", "... with shared zeropage"), CheckOutcome.PASS);
      assertThat(outcome).as(name).isEqualTo(want);
    });
  }

  /** The case on a base page of a case on a THP; any other case itself. */
  private static String base(String name) {
    return THP.stream().filter(t -> name.endsWith("... with " + t)).findFirst()
        .map(t -> name.substring(0, name.length() - t.length()) + "base page").orElse(name);
  }
}
