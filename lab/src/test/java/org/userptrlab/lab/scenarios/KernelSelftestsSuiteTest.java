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
import org.userptrlab.lab.lang.Printer;
import org.userptrlab.mm.KernelConfig;

/**
 * The kernel's own mm selftests (cow.c and gup_longterm.c of 6.18, on x86-64 with every size of
 * anonymous THP, 16 kB to 2048 kB, and hugetlb of 2048 kB and 1048576 kB) as the lab's suite: every case,
 * 828, named as the selftest prints it, in the order the selftests run them; on 6.12 each passes, as the
 * selftests do on a correct kernel, but the hugetlb vmsplice() cases, which cow.c expects to fail
 * (XFAIL); on 3.4 each gives what that kernel's source gives (the COW and GUP bugs fixed since; no
 * multi-size THP, no MADV_PAGEOUT, no huge zeropage, no huge page sizes for MAP_HUGETLB), a PMD-sized THP
 * and a 2 MiB hugetlb page as its base page.
 */
class KernelSelftestsSuiteTest {
  private static final Comparison CMP = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_3_4, KernelConfig.LINUX_6_12)
      .profiles(List.of(Profiles.all().get(0))).build());

  /** The THP sizes cow.c detects on x86-64 with every multi-size THP, in kB. */
  private static final List<Integer> THP_KB = List.of(16, 32, 64, 128, 256, 512, 1024, 2048);

  /** How cow.c's run_with_*thp*() name the forms every THP size runs in. */
  private static final List<String> THP_FORMS = List.of("PTE-mapped THP", "swapped-out, PTE-mapped THP", "single PTE of THP",
      "single PTE of swapped-out THP", "partially mremap()'ed THP", "partially shared THP");

  /** The forms that page the memory out first (MADV_PAGEOUT, 5.4). */
  private static final List<String> SWAPPED = List.of("... with swapped out base page", "... with swapped-out THP (",
      "... with swapped-out, PTE-mapped THP (", "... with single PTE of swapped-out THP (");

  static List<TextScenario> cases() {
    return Suite.KERNEL_SELFTESTS.programs();
  }

  private static RunResult run(TextScenario s, KernelConfig k) {
    return CMP.run(s, Suite.STRATEGY, k);
  }

  private static long ending(List<String> names, String end) {
    return names.stream().filter(n -> n.endsWith(end)).count();
  }

  /** The hugetlb sizes of x86-64, in kB. */
  private static final List<Integer> HUGETLB_KB = List.of(2048, 1048576);

  /**
   * cow.c: 14 anonymous cases x (2 base page forms + 2 PMD-only forms + 6 forms x 8 sizes + 2 hugetlb sizes) + 4 collapse
   * + 3 x (4 + 2 hugetlb sizes); gup_longterm.c: 10 x (3 + 2 hugetlb sizes).
   */
  @Test
  void everyCaseInScopeIsThereOnceNamedAsTheSelftestPrintsIt() {
    List<String> names = cases().stream().map(TextScenario::description).toList();
    assertThat(names).hasSize(14 * (2 + 2 + 6 * 8 + 2) + 4 + 3 * (4 + 2) + 10 * (3 + 2)).hasSize(828).doesNotHaveDuplicates();
    assertThat(cases().stream().map(TextScenario::name).distinct()).hasSize(828);
    assertThat(names.stream().filter(n -> n.contains(" when collapsing "))).hasSize(4);
    assertThat(ending(names, " ... with base page")).isEqualTo(14);
    assertThat(ending(names, " ... with swapped out base page")).isEqualTo(14);
    assertThat(ending(names, " ... with THP (2048 kB)")).isEqualTo(14);
    assertThat(ending(names, " ... with swapped-out THP (2048 kB)")).isEqualTo(14);
    assertThat(names.stream().filter(n -> n.matches(".* \\.\\.\\. with (swapped-out )?THP \\(\\d+ kB\\)"))).hasSize(28);
    for (int kb : THP_KB) {
      for (String form : THP_FORMS) {
        assertThat(ending(names, " ... with " + form + " (" + kb + " kB)")).as(form + " " + kb).isEqualTo(14);
      }
    }
    assertThat(ending(names, " ... with shared zeropage")).isEqualTo(3);
    assertThat(ending(names, " ... with huge zeropage")).isEqualTo(3);
    assertThat(ending(names, " ... with memfd")).isEqualTo(13);
    assertThat(ending(names, " ... with tmpfile")).isEqualTo(13);
    assertThat(ending(names, " ... with local tmpfile")).isEqualTo(10);
    for (int kb : HUGETLB_KB) {
      assertThat(ending(names, " ... with hugetlb (" + kb + " kB)")).isEqualTo(14);
      assertThat(ending(names, " ... with memfd hugetlb (" + kb + " kB)")).isEqualTo(3 + 10);
    }
    assertThat(names).contains("vmsplice() + unmap in child ... with base page",
        "R/O GUP-fast pin on R/O-mapped previously-shared page ... with swapped out base page",
        "R/O longterm GUP pin ... with shared zeropage", "io_uring fixed buffer with MAP_SHARED file mapping ... with local tmpfile",
        "vmsplice() + unmap in child ... with partially mremap()'ed THP (2048 kB)",
        "R/O GUP-fast pin on R/O-mapped exclusive page ... with single PTE of THP (2048 kB)",
        "fork() with an iouring fixed buffer ... with single PTE of swapped-out THP (64 kB)",
        "Basic COW ... with huge zeropage", "vmsplice() + unmap in parent after fork() ... with hugetlb (1048576 kB)",
        "R/O longterm GUP-fast pin ... with memfd hugetlb (2048 kB)",
        "io_uring fixed buffer with MAP_PRIVATE file mapping ... with memfd hugetlb (1048576 kB)");
  }

  /**
   * run_anon_test_case's order (base page, swapped out, then each size smallest first, the PMD size's own forms
   * first, then each hugetlb size), then the collapse cases, the non-anonymous ones and gup_longterm.c's.
   */
  @Test
  void theCasesComeInTheOrderTheSelftestsRunThem() {
    List<String> names = cases().stream().map(TextScenario::description).toList();
    String first = "Basic COW after fork() ... with ";
    assertThat(names.subList(0, 9)).containsExactly(first + "base page", first + "swapped out base page",
        first + "PTE-mapped THP (16 kB)", first + "swapped-out, PTE-mapped THP (16 kB)", first + "single PTE of THP (16 kB)",
        first + "single PTE of swapped-out THP (16 kB)", first + "partially mremap()'ed THP (16 kB)",
        first + "partially shared THP (16 kB)", first + "PTE-mapped THP (32 kB)");
    assertThat(names.subList(2 + 6 * 7, 2 + 6 * 7 + 3)).containsExactly(first + "THP (2048 kB)", first + "swapped-out THP (2048 kB)",
        first + "PTE-mapped THP (2048 kB)");
    assertThat(names.subList(52, 55)).containsExactly(first + "hugetlb (2048 kB)", first + "hugetlb (1048576 kB)",
        "Basic COW after fork() with mprotect() optimization ... with base page");
    assertThat(names.get(14 * 54)).isEqualTo("Basic COW after fork() when collapsing before fork()");
    assertThat(names.subList(14 * 54 + 4, 14 * 54 + 10)).containsExactly("Basic COW ... with shared zeropage", "Basic COW ... with memfd",
        "Basic COW ... with tmpfile", "Basic COW ... with huge zeropage", "Basic COW ... with memfd hugetlb (2048 kB)",
        "Basic COW ... with memfd hugetlb (1048576 kB)");
    assertThat(names.get(778)).isEqualTo("R/W longterm GUP pin in MAP_SHARED file mapping ... with memfd");
    assertThat(names.subList(781, 783)).containsExactly("R/W longterm GUP pin in MAP_SHARED file mapping ... with memfd hugetlb (2048 kB)",
        "R/W longterm GUP pin in MAP_SHARED file mapping ... with memfd hugetlb (1048576 kB)");
    assertThat(names.get(827)).isEqualTo("io_uring fixed buffer with MAP_PRIVATE file mapping ... with memfd hugetlb (1048576 kB)");
  }

  /** A multi-size THP case reads as cow.c does it: the settings run_anon_test_case pushes, do_run_with_thp's steps. */
  @Test
  void aCaseIsAProgramAPersonCanRead() {
    String text = Suite.KERNEL_SELFTESTS.text("cow-basic-cow-after-fork-single-pte-swapped-thp-64k").orElseThrow();
    assertThat(text).isEqualTo("""
        # tools/testing/selftests/mm/cow.c (6.18)
        scenario cow-basic-cow-after-fork-single-pte-swapped-thp-64k "Basic COW after fork() ... with single PTE of swapped-out THP (64 kB)"
        machine swap 16M thp 2M never thp 64K always

        p = spawn cow
        # do_run_with_thp: twice the THP size mapped, for a THP-aligned area inside it
        mmap_mem = p.mmap 128K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS
        mem = align_down mmap_mem+64K 64K
        p.madvise mem 64K MADV_HUGEPAGE
        # mem[0] = 1: the first write faults a THP in, where the kernel gives one; its last subpage is then populated
        p.store mem 1
        skip "Did not get a THP populated" if not p.populated mem+60K
        # memset(): the THP filled, with the bytes the case checks later
        p.fill mem 64K 1
        # All but the first subpage discarded: a single PTE maps a single subpage of the THP
        p.madvise mem+4K 60K MADV_DONTNEED
        r = try p.madvise mem 4K MADV_PAGEOUT
        skip "MADV_PAGEOUT did not work, is swap enabled?" if not p.swapped mem 4K
        child = p.fork
        # memset(mem, 0xff) in the parent
        p.fill mem 4K 2
        check "No leak from parent into child" child.sees mem 4K 1
        child.exit
        """);
    assertThat(Printer.print(cases().stream().filter(s -> s.name().equals("cow-basic-cow-after-fork-single-pte-swapped-thp-64k"))
        .findFirst().orElseThrow().program())).isEqualTo(text);
    assertThat(Suite.KERNEL_SELFTESTS.text("no-such-case")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void onLinux612EveryCasePassesButTheHugetlbVmspliceOnesCowCExpectsToFail(TextScenario s) {
    RunResult r = run(s, KernelConfig.LINUX_6_12);
    assertThat(r.checkOutcome()).as(r.summary()).isEqualTo(vmspliceOnHugetlb(s.description()) ? CheckOutcome.XFAIL : CheckOutcome.PASS);
  }

  /**
   * cow.c flags the vmsplice() cases on hugetlb as expected failures: hugetlb_wp reuses a page only one
   * mapping maps, whatever a pipe still holds.
   */
  private static boolean vmspliceOnHugetlb(String name) {
    return name.startsWith("vmsplice()") && name.contains(" ... with hugetlb (");
  }

  /** A 2 MiB hugetlb page and a 1 GiB one, each a case of its own in the same order of operations. */
  @Test
  void aHugetlbCaseReservesItsPoolAndMapsItsSize() {
    String text = Suite.KERNEL_SELFTESTS.text("cow-vmsplice-unmap-in-child-hugetlb-1048576k").orElseThrow();
    assertThat(text).startsWith("""
        # tools/testing/selftests/mm/cow.c (6.18)
        scenario cow-vmsplice-unmap-in-child-hugetlb-1048576k "vmsplice() + unmap in child ... with hugetlb (1048576 kB)"
        machine ram 4G hugetlb 1G 2
        """).contains("mem = p.mmap 1G PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|MAP_HUGE_1GB\n",
        "check \"No leak from parent into child\" pinned_sees pipe 1 xfail \"Leak from parent into child\"\n");
    assertThat(Suite.KERNEL_SELFTESTS.text("gup-longterm-rw-pin-shared-memfd-hugetlb-2048k").orElseThrow())
        .contains("machine hugetlb 2M 2\n", "f = memfd test 2M MFD_HUGETLB|MFD_HUGE_2MB\nfallocate f 2M\n",
            "r = try p.pin mem 2M FOLL_WRITE|FOLL_LONGTERM\n");
  }

  /**
   * 3.4, by its source: the COW of a page a pipe or a pin still holds goes the wrong way (CVE-2020-29374,
   * fixed from 5.8/5.9); a read-only pin of a page shared after fork, or of the zeropage, is not
   * coherent (5.19, 6.2); clear_refs does not take 4 (3.11), which ends the cases that use it; a
   * writable long-term pin of a shared file mapping with writeback is taken (refused from 6.5); there is
   * no io_uring (5.1), so its cases skip; and MADV_PAGEOUT (5.4) is EINVAL, so no swapped-out case runs.
   * A PMD-sized THP's case gives what its base page's does: 3.4's do_huge_pmd_wp_page reuses the huge
   * page as do_wp_page reuses a page (by mapcount), and copies it whole where do_wp_page copies. A
   * smaller THP is never there (multi-size THP is 6.8): cow.c skips "Did not get a THP populated".
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
    got.forEach((name, outcome) -> assertThat(outcome).as(name).isEqualTo(on34(name)));
  }

  private static CheckOutcome on34(String name) {
    if (SWAPPED.stream().anyMatch(name::contains)) {
      return CheckOutcome.SKIP;
    }
    if (name.endsWith("... with memfd") || name.contains("... with memfd hugetlb (")) {
      // memfd_create came in 3.17 (MFD_HUGETLB in 4.14): the selftest's memfd_create() fails, and the program ends there.
      return CheckOutcome.ERROR;
    }
    if (name.startsWith("io_uring fixed buffer") || name.contains(" when collapsing ")) {
      // No io_uring (5.1); MADV_COLLAPSE came in 6.1: "MADV_COLLAPSE failed".
      return CheckOutcome.SKIP;
    }
    if (name.contains(" THP (") && !name.endsWith(" (2048 kB)")) {
      // Multi-size THP came in 6.8: the write faults in a base page, and the last subpage is not populated.
      return CheckOutcome.SKIP;
    }
    if (name.endsWith("... with hugetlb (1048576 kB)")) {
      // No MAP_HUGE_1GB before 3.8: the mapping is of the default 2 MiB, of which the machine has no pool (ENOMEM).
      return CheckOutcome.ERROR;
    }
    if (vmspliceOnHugetlb(name)) {
      return CheckOutcome.XFAIL;
    }
    if (name.endsWith("... with huge zeropage")) {
      // The huge zeropage came in 3.8: the read faults in a THP of the process's own, which neither case shares.
      return CheckOutcome.PASS;
    }
    return ON_3_4.getOrDefault(base(name).replace("... with tmpfile", "... with shared zeropage"), CheckOutcome.PASS);
  }

  /** The case on a base page of a case on a PMD-sized THP or a 2 MiB hugetlb page; any other case itself. */
  private static String base(String name) {
    int at = name.indexOf(" ... with ");
    return name.endsWith(" (2048 kB)") && at >= 0 ? name.substring(0, at) + " ... with base page" : name;
  }
}
