package org.userptrlab.lab.scenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The cases of the kernel's tools/testing/selftests/mm/cow.c (6.18) on x86-64, in the order it runs
 * them, each written as a program: its functions are this class's methods of the same names
 * (run_anon_test_case, do_run_with_thp, run_with_huge_zeropage...), so that a case maps to the lines of
 * the selftest that make it. cow.c detects every size of anonymous THP the kernel offers, 16 kB to the
 * PMD size, as this machine's 6.18 does, and the hugetlb sizes of x86-64, 2048 kB and 1048576 kB
 * (detect_hugetlb_page_sizes), each case with a pool of its own that holds what the case needs.
 */
final class CowSelftest {
  private CowSelftest() {}

  static final String SOURCE = "tools/testing/selftests/mm/cow.c (6.18)";
  private static final String TMPFILE = "tmpfile() creates its file in /tmp: here a tmpfs, as on Fedora, Arch or Debian 13";
  private static final long PAGESIZE = 4L << 10;
  private static final long PMDSIZE = 2L << 20;
  /** Swap for the swapped-out forms: room for the largest THP swapped out whole. */
  private static final String SWAP = "swap 16M";
  private static final String RW = "PROT_READ|PROT_WRITE";
  private static final String ANON = "MAP_PRIVATE|MAP_ANONYMOUS";

  /** detect_hugetlb_page_sizes: the hugetlb sizes x86-64 offers (the PMD's and the PUD's). */
  static final List<Long> HUGETLB_SIZES = List.of(2L << 20, 1L << 30);

  /** detect_thp_sizes: the PMD size and every size thp_supported_orders() finds, smallest first (16 kB to 2048 kB). */
  static final List<Long> THP_SIZES = sizes();

  private static List<Long> sizes() {
    List<Long> out = new ArrayList<>();
    for (long s = 16L << 10; s <= PMDSIZE; s <<= 1) {
      out.add(s);
    }
    return List.copyOf(out);
  }

  /** A test_fn of anon_test_cases: what the case does with {@code mem} of {@code size} bytes, once prepared, hugetlb or not. */
  @FunctionalInterface
  private interface TestFn {
    void emit(ProgramText t, long size, boolean hugetlb);
  }

  /** One entry of anon_test_cases (or anon_thp_test_cases): its description, a name for its programs, its test_fn. */
  private record TestCase(String desc, String slug, TestFn fn) {}

  private static final List<TestCase> ANON_TEST_CASES = List.of(
      new TestCase("Basic COW after fork()", "basic-cow-after-fork", (t, size, hugetlb) -> testCowInParent(t, size, false)),
      new TestCase("Basic COW after fork() with mprotect() optimization", "basic-cow-after-fork-mprotect",
          (t, size, hugetlb) -> testCowInParent(t, size, true)),
      new TestCase("vmsplice() + unmap in child", "vmsplice-unmap-in-child", (t, size, hugetlb) -> testVmspliceInChild(t, size, false, hugetlb)),
      new TestCase("vmsplice() + unmap in child with mprotect() optimization", "vmsplice-unmap-in-child-mprotect",
          (t, size, hugetlb) -> testVmspliceInChild(t, size, true, hugetlb)),
      new TestCase("vmsplice() before fork(), unmap in parent after fork()", "vmsplice-before-fork-unmap-in-parent",
          (t, size, hugetlb) -> doTestVmspliceInParent(t, size, true, hugetlb)),
      new TestCase("vmsplice() + unmap in parent after fork()", "vmsplice-unmap-in-parent-after-fork",
          (t, size, hugetlb) -> doTestVmspliceInParent(t, size, false, hugetlb)),
      // LOCAL_CONFIG_HAVE_LIBURING: the io_uring cases are there.
      new TestCase("R/O-mapping a page registered as iouring fixed buffer", "iouring-ro-mapping",
          (t, size, hugetlb) -> doTestIouring(t, size, false)),
      new TestCase("fork() with an iouring fixed buffer", "iouring-fork", (t, size, hugetlb) -> doTestIouring(t, size, true)),
      new TestCase("R/O GUP pin on R/O-mapped shared page", "ro-gup-pin-shared",
          (t, size, hugetlb) -> doTestRoPin(t, size, RoPinTest.SHARED, false)),
      new TestCase("R/O GUP-fast pin on R/O-mapped shared page", "ro-gup-fast-pin-shared",
          (t, size, hugetlb) -> doTestRoPin(t, size, RoPinTest.SHARED, true)),
      new TestCase("R/O GUP pin on R/O-mapped previously-shared page", "ro-gup-pin-previously-shared",
          (t, size, hugetlb) -> doTestRoPin(t, size, RoPinTest.PREVIOUSLY_SHARED, false)),
      new TestCase("R/O GUP-fast pin on R/O-mapped previously-shared page", "ro-gup-fast-pin-previously-shared",
          (t, size, hugetlb) -> doTestRoPin(t, size, RoPinTest.PREVIOUSLY_SHARED, true)),
      new TestCase("R/O GUP pin on R/O-mapped exclusive page", "ro-gup-pin-exclusive",
          (t, size, hugetlb) -> doTestRoPin(t, size, RoPinTest.RO_EXCLUSIVE, false)),
      new TestCase("R/O GUP-fast pin on R/O-mapped exclusive page", "ro-gup-fast-pin-exclusive",
          (t, size, hugetlb) -> doTestRoPin(t, size, RoPinTest.RO_EXCLUSIVE, true)));

  /** Every case, in the order cow.c runs them. */
  static List<SuiteCase> cases() {
    List<SuiteCase> out = new ArrayList<>();
    runAnonTestCases(out::add);
    runAnonThpTestCases(out::add);
    runNonAnonTestCases(out::add);
    return out;
  }

  // ---- the anonymous cases --------------------------------------------------------------------

  private static void runAnonTestCases(Consumer<SuiteCase> out) {
    ANON_TEST_CASES.forEach(tc -> runAnonTestCase(tc, out));
  }

  /**
   * Each case on a base page, swapped out, then for every THP size (with the PMD size's enabled set to
   * never and the size's to always): for the PMD size only the THP whole and swapped out, then for every
   * size PTE-mapped, PTE-mapped and swapped out, a single PTE of it, of it swapped out, partially
   * mremap()'ed and partially shared.
   */
  private static void runAnonTestCase(TestCase tc, Consumer<SuiteCase> out) {
    out.accept(runWithBasePage(tc, false));
    out.accept(runWithBasePage(tc, true));
    for (long size : THP_SIZES) {
      if (size == PMDSIZE) {
        out.accept(doRunWithThp(tc, ThpRun.PMD, size));
        out.accept(doRunWithThp(tc, ThpRun.PMD_SWAPOUT, size));
      }
      for (ThpRun run : List.of(ThpRun.PTE, ThpRun.PTE_SWAPOUT, ThpRun.SINGLE_PTE, ThpRun.SINGLE_PTE_SWAPOUT,
          ThpRun.PARTIAL_MREMAP, ThpRun.PARTIAL_SHARED)) {
        out.accept(doRunWithThp(tc, run, size));
      }
    }
    for (long size : HUGETLB_SIZES) {
      out.accept(runWithHugetlb(tc, size));
    }
  }

  private static ProgramText anon(TestCase tc, String form, String slug) {
    return new ProgramText("cow-" + tc.slug() + "-" + slug, tc.desc() + " ... with " + form).about(SOURCE);
  }

  /** run_with_base_page and run_with_base_page_swap: one page, populated, paged out for the second. */
  private static SuiteCase runWithBasePage(TestCase tc, boolean swapout) {
    ProgramText t = anon(tc, swapout ? "swapped out base page" : "base page", swapout ? "swapped" : "base");
    if (swapout) {
      t.machine(SWAP);
    }
    t.line("p = spawn cow");
    t.line("mem = p.mmap 4K " + RW + " " + ANON);
    t.comment("memset(): the page faulted in, with the bytes the case checks later");
    t.line("p.fill mem 4K 1");
    if (swapout) {
      pageout(t, PAGESIZE);
    }
    tc.fn().emit(t, PAGESIZE, false);
    return new SuiteCase(t.name(), t.text());
  }

  /** MADV_PAGEOUT, and the skip when it did not page the range out (range_is_swapped). */
  private static void pageout(ProgramText t, long size) {
    String s = ProgramText.size(size);
    t.line("r = try p.madvise mem " + s + " MADV_PAGEOUT");
    t.line("skip \"MADV_PAGEOUT did not work, is swap enabled?\" if not p.swapped mem " + s);
  }

  /** enum thp_run: how do_run_with_thp prepares the THP, and how run_with_*thp*() print it. */
  private enum ThpRun {
    PMD("THP", "thp", false),
    PMD_SWAPOUT("swapped-out THP", "swapped-thp", true),
    PTE("PTE-mapped THP", "pte-mapped-thp", false),
    PTE_SWAPOUT("swapped-out, PTE-mapped THP", "swapped-pte-mapped-thp", true),
    SINGLE_PTE("single PTE of THP", "single-pte-thp", false),
    SINGLE_PTE_SWAPOUT("single PTE of swapped-out THP", "single-pte-swapped-thp", true),
    PARTIAL_MREMAP("partially mremap()'ed THP", "partially-mremapped-thp", false),
    PARTIAL_SHARED("partially shared THP", "partially-shared-thp", false);

    final String form;
    final String slug;
    final boolean swapout;

    ThpRun(String form, String slug, boolean swapout) {
      this.form = form;
      this.slug = slug;
      this.swapout = swapout;
    }
  }

  /**
   * The settings run_anon_test_case pushes for a THP size: the PMD size's enabled never and the size's
   * always, which for the PMD size itself leaves it always.
   */
  private static void thpSettings(ProgramText t, long thpsize) {
    if (thpsize != PMDSIZE) {
      t.machine("thp " + ProgramText.size(PMDSIZE) + " never");
    }
    t.machine("thp " + ProgramText.size(thpsize) + " always");
  }

  private static SuiteCase doRunWithThp(TestCase tc, ThpRun thpRun, long thpsize) {
    ProgramText t = anon(tc, thpRun.form + " (" + (thpsize >> 10) + " kB)", thpRun.slug + "-" + (thpsize >> 10) + "k");
    if (thpRun.swapout) {
      t.machine(SWAP);
    }
    thpSettings(t, thpsize);
    t.line("p = spawn cow");
    long size = populateThp(t, thpsize, "do_run_with_thp", true);
    String rest = ProgramText.size(thpsize - PAGESIZE);
    switch (thpRun) {
      case PMD, PMD_SWAPOUT -> { }
      case PTE, PTE_SWAPOUT -> {
        t.comment(thpsize == PMDSIZE ? "One subpage mapped R/O and back: the THP is PTE-mapped"
            : "One subpage mapped R/O and back: a noop, a THP smaller than a PMD is PTE-mapped already");
        t.line("p.mprotect mem+4K 4K PROT_READ");
        t.line("p.mprotect mem+4K 4K " + RW);
      }
      case SINGLE_PTE, SINGLE_PTE_SWAPOUT -> {
        t.comment("All but the first subpage discarded: a single PTE maps a single subpage of the THP");
        t.line("p.madvise mem+4K " + rest + " MADV_DONTNEED");
        size = PAGESIZE;
      }
      case PARTIAL_MREMAP -> {
        String half = ProgramText.size(thpsize / 2);
        t.comment("Half of the THP remapped to a new location");
        t.line("mremap_mem = p.mmap " + half + " PROT_NONE " + ANON);
        t.line("p.mremap_to mem+" + half + " " + half + " " + half + " MREMAP_MAYMOVE|MREMAP_FIXED mremap_mem");
        size = thpsize / 2;
      }
      case PARTIAL_SHARED -> {
        t.comment("The first subpage shared with a child that quits at once: parts of the THP never were shared");
        t.line("p.madvise mem+4K " + rest + " MADV_DONTFORK");
        t.line("sharer = p.fork");
        t.line("sharer.exit");
        t.comment("Allow for sharing all pages again");
        t.line("p.madvise mem+4K " + rest + " MADV_DOFORK");
      }
      default -> throw new IllegalStateException(thpRun.name());
    }
    if (thpRun.swapout) {
      pageout(t, size);
    }
    tc.fn().emit(t, size, false);
    return new SuiteCase(t.name(), t.text());
  }

  /**
   * run_with_hugetlb: one huge page of {@code hugetlbsize}, MAP_HUGETLB of its size, populated; then a
   * second mapping, unmapped at once, shows that a second huge page is free for COW and unsharing. The
   * program sets the pool aside itself (two pages), so cow.c's "need more free huge pages" cannot happen.
   */
  private static SuiteCase runWithHugetlb(TestCase tc, long hugetlbsize) {
    ProgramText t = anon(tc, "hugetlb (" + (hugetlbsize >> 10) + " kB)", "hugetlb-" + (hugetlbsize >> 10) + "k");
    hugetlbMachine(t, hugetlbsize, 2);
    String s = ProgramText.size(hugetlbsize);
    String map = RW + " " + ANON + "|MAP_HUGETLB|" + mapHuge(hugetlbsize);
    t.line("p = spawn cow");
    t.line("mem = p.mmap " + s + " " + map);
    t.comment("memset(): the huge page populated");
    t.line("p.fill mem " + s + " 1");
    t.comment("a second huge page free for COW and unsharing, else a SIGBUS may zap the process: mapped and unmapped again");
    t.line("dummy = p.mmap " + s + " " + map);
    t.line("p.munmap dummy " + s);
    tc.fn().emit(t, hugetlbsize, true);
    return new SuiteCase(t.name(), t.text());
  }

  /**
   * run_vmtests.sh runs the selftests as root: io_uring charges nothing to RLIMIT_MEMLOCK of a process
   * with CAP_IPC_LOCK (ctx->user is NULL), which a huge page's fixed buffer, charged whole, is past on a
   * kernel whose default limit is 64 KiB (before 5.16) and a 1 GiB one on any.
   */
  static void asRoot(ProgramText t) {
    t.comment("as root, as run_vmtests.sh runs the selftests: io_uring charges no locked memory with CAP_IPC_LOCK");
    t.line("p.capability CAP_IPC_LOCK on");
  }

  /** MAP_HUGE_2MB or MAP_HUGE_1GB: the size bits of mmap's flags (and MFD_HUGE_* of memfd_create's, the same). */
  private static String mapHuge(long hugetlbsize) {
    return hugetlbsize == PMDSIZE ? "MAP_HUGE_2MB" : "MAP_HUGE_1GB";
  }

  /** The machine of a hugetlb case: {@code pages} huge pages set aside, and for 1 GiB ones the RAM to hold them. */
  static void hugetlbMachine(ProgramText t, long hugetlbsize, int pages) {
    if (hugetlbsize > PMDSIZE) {
      t.machine("ram " + ProgramText.size((pages + 2) * hugetlbsize));
    }
    t.machine("hugetlb " + ProgramText.size(hugetlbsize) + " " + pages);
  }

  /**
   * do_run_with_thp's start: twice the THP size mapped, a THP-aligned area inside it given MADV_HUGEPAGE,
   * its first byte written and its last page checked as pagemap_is_populated, then the whole area filled.
   * Returns the size the test works on (the THP size).
   */
  private static long populateThp(ProgramText t, long thpsize, String caller, boolean explain) {
    String s = ProgramText.size(thpsize);
    t.comment(caller + ": twice the THP size mapped, for a THP-aligned area inside it");
    t.line("mmap_mem = p.mmap " + ProgramText.size(2 * thpsize) + " " + RW + " " + ANON);
    t.line("mem = align_down mmap_mem+" + s + " " + s);
    t.line("p.madvise mem " + s + " MADV_HUGEPAGE");
    if (explain) {
      t.comment("mem[0] = 1: the first write faults a THP in, where the kernel gives one; its last subpage is then populated");
    }
    t.line("p.store mem 1");
    t.line("skip \"Did not get a THP populated\" if not p.populated mem+" + ProgramText.size(thpsize - PAGESIZE));
    if (explain) {
      t.comment("memset(): the THP filled, with the bytes the case checks later");
    }
    t.line("p.fill mem " + s + " 1");
    return thpsize;
  }

  // ---- the test functions of anon_test_cases ---------------------------------------------------

  /** do_test_cow_in_parent with child_memcmp_fn: the parent writes, the child must still see the old bytes. */
  private static void testCowInParent(ProgramText t, long size, boolean doMprotect) {
    String s = ProgramText.size(size);
    t.line("child = p.fork");
    if (doMprotect) {
      t.line("p.mprotect mem " + s + " PROT_READ");
      t.line("p.mprotect mem " + s + " " + RW);
    }
    t.comment("memset(mem, 0xff) in the parent");
    t.line("p.fill mem " + s + " 2");
    t.line("check \"No leak from parent into child\" child.sees mem " + s + " 1");
    t.line("child.exit");
  }

  /** do_test_cow_in_parent with child_vmsplice_memcmp_fn. */
  private static void testVmspliceInChild(ProgramText t, long size, boolean doMprotect, boolean xfail) {
    String s = ProgramText.size(size);
    t.line("child = p.fork");
    t.comment("child_vmsplice_memcmp_fn: the child takes the page into a pipe (R/O GUP, FOLL_GET), then unmaps it");
    t.line("pipe = child.vmsplice mem " + s);
    t.line("child.munmap mem " + s);
    if (doMprotect) {
      t.line("p.mprotect mem " + s + " PROT_READ");
      t.line("p.mprotect mem " + s + " " + RW);
    }
    t.comment("memset(mem, 0xff) in the parent");
    t.line("p.fill mem " + s + " 2");
    t.line("check \"No leak from parent into child\" pinned_sees pipe 1" + xfail(xfail, "Leak from parent into child"));
    t.line("release pipe");
    t.line("child.exit");
  }

  /**
   * With hugetlb, cow.c expects the vmsplice() cases to fail ("harder to fix and nobody really cares"):
   * hugetlb_wp reuses a page one mapping maps, whatever a pipe holds.
   */
  private static String xfail(boolean hugetlb, String what) {
    return hugetlb ? " xfail \"" + what + "\"" : "";
  }

  private static void doTestVmspliceInParent(ProgramText t, long size, boolean beforeFork, boolean xfail) {
    String s = ProgramText.size(size);
    if (beforeFork) {
      t.line("pipe = p.vmsplice mem " + s);
      t.line("child = p.fork");
    } else {
      t.line("child = p.fork");
      t.line("pipe = p.vmsplice mem " + s);
    }
    t.line("p.munmap mem " + s);
    t.comment("memset(mem, 0xff) in the child, which then exits");
    t.line("child.fill mem " + s + " 2");
    t.line("child.exit");
    t.line("check \"No leak from child into parent\" pinned_sees pipe 1" + xfail(xfail, "Leak from child into parent"));
    t.line("release pipe");
  }

  private static void doTestIouring(ProgramText t, long size, boolean useFork) {
    String s = ProgramText.size(size);
    asRoot(t);
    t.line("r = try p.iouring_setup");
    t.line("skip \"io_uring_queue_init() failed\" if r != OK");
    t.comment("io_uring_register_buffers: pin_user_pages_fast(FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM)");
    t.line("pin = p.iouring_register mem " + s);
    if (useFork) {
      t.line("child = p.fork");
    } else {
      roMapped(t, s);
    }
    t.line("p.fill mem " + s + " 2");
    t.comment("IORING_OP_WRITE_FIXED reads the pinned page: it must hold what the process wrote");
    t.line("check \"Longterm R/W pin is reliable\" pinned_sees pin 2");
    t.line("release pin");
    if (useFork) {
      t.line("child.exit");
    }
  }

  /** The page mapped R/O, soft-dirty tracking keeping mprotect() from mapping it R/W again at once. */
  private static void roMapped(ProgramText t, String s) {
    t.line("p.mprotect mem " + s + " PROT_READ");
    t.line("p.clear_soft_dirty");
    t.line("p.mprotect mem " + s + " " + RW);
  }

  /** enum ro_pin_test. */
  private enum RoPinTest {
    RO_PIN_TEST,
    SHARED,
    PREVIOUSLY_SHARED,
    RO_EXCLUSIVE
  }

  private static void doTestRoPin(ProgramText t, long size, RoPinTest test, boolean fast) {
    String s = ProgramText.size(size);
    switch (test) {
      case SHARED -> t.line("child = p.fork");
      case PREVIOUSLY_SHARED -> {
        t.line("child = p.fork");
        t.line("child.exit");
      }
      case RO_EXCLUSIVE -> roMapped(t, s);
      default -> { }
    }
    boolean anonymous = test != RoPinTest.RO_PIN_TEST;
    if (anonymous) {
      t.comment("PIN_LONGTERM_TEST_START without PIN_LONGTERM_TEST_FLAG_USE_WRITE: an R/O long-term pin");
    }
    t.line("pin = p." + (fast ? "pin_fast" : "pin") + " mem " + s + " FOLL_LONGTERM");
    t.line("p.fill mem " + s + " 2");
    if (anonymous) {
      t.comment("PIN_LONGTERM_TEST_READ: the pinned page must hold what the process wrote");
    }
    t.line("check \"Longterm R/O pin is reliable\" pinned_sees pin 2");
    t.line("release pin");
    if (test == RoPinTest.SHARED) {
      t.line("child.exit");
    }
  }

  // ---- anon_thp_test_cases: collapsing a PTE-mapped THP ------------------------------------------

  /** enum anon_thp_collapse_test. */
  private enum AnonThpCollapseTest {
    UNSHARED("Basic COW after fork() when collapsing before fork()", "unshared"),
    FULLY_SHARED("Basic COW after fork() when collapsing after fork() (fully shared)", "fully-shared"),
    LOWER_SHARED("Basic COW after fork() when collapsing after fork() (lower shared)", "lower-shared"),
    UPPER_SHARED("Basic COW after fork() when collapsing after fork() (upper shared)", "upper-shared");

    final String desc;
    final String slug;

    AnonThpCollapseTest(String desc, String slug) {
      this.desc = desc;
      this.slug = slug;
    }
  }

  /** Each collapse case on a PMD-sized THP (do_run_with_thp with THP_RUN_PMD), under cow.c's default settings. */
  private static void runAnonThpTestCases(Consumer<SuiteCase> out) {
    for (AnonThpCollapseTest test : AnonThpCollapseTest.values()) {
      ProgramText t = new ProgramText("cow-anon-thp-collapse-" + test.slug, test.desc).about(SOURCE).machine("thp always");
      t.line("p = spawn cow");
      populateThp(t, PMDSIZE, "do_run_with_thp(THP_RUN_PMD)", false);
      doTestAnonThpCollapse(t, PMDSIZE, test);
      out.accept(new SuiteCase(t.name(), t.text()));
    }
  }

  private static void doTestAnonThpCollapse(ProgramText t, long size, AnonThpCollapseTest test) {
    String s = ProgramText.size(size);
    String half = ProgramText.size(size / 2);
    t.comment("the THP PTE-mapped: mprotect() of one page splits the PMD");
    t.line("p.mprotect mem+4K 4K PROT_READ");
    t.line("p.mprotect mem+4K 4K " + RW);
    switch (test) {
      case UNSHARED -> {
        t.comment("collapse before the page is ever COW-shared");
        collapse(t, s);
      }
      case LOWER_SHARED -> {
        t.comment("the upper half is not COW-shared");
        t.line("p.madvise mem+" + half + " " + half + " MADV_DONTFORK");
      }
      case UPPER_SHARED -> {
        t.comment("the lower half is not COW-shared");
        t.line("p.madvise mem " + half + " MADV_DONTFORK");
      }
      default -> { }
    }
    t.line("child = p.fork");
    if (test == AnonThpCollapseTest.LOWER_SHARED || test == AnonThpCollapseTest.UPPER_SHARED) {
      t.comment("MADV_DOFORK, so that the VMAs merge again before the collapse");
      t.line("p.madvise mem " + s + " MADV_DOFORK");
    }
    if (test != AnonThpCollapseTest.UNSHARED) {
      collapse(t, s);
    }
    t.comment("memset(mem, 0xff) in the parent");
    t.line("p.fill mem " + s + " 2");
    t.line(switch (test) {
      case LOWER_SHARED -> "check \"No leak from parent into child\" child.sees mem " + half + " 1";
      case UPPER_SHARED -> "check \"No leak from parent into child\" child.sees_at mem+" + half + " " + half + " 1 " + half;
      default -> "check \"No leak from parent into child\" child.sees mem " + s + " 1";
    });
    t.line("child.exit");
  }

  private static void collapse(ProgramText t, String s) {
    t.line("r = try p.madvise mem " + s + " MADV_COLLAPSE");
    t.line("skip \"MADV_COLLAPSE failed\" if r != OK");
  }

  // ---- non_anon_test_cases ---------------------------------------------------------------------

  /** A non_anon_test_fn: what the case does with {@code mem}, privately mapped, and {@code smem}, the other mapping. */
  @FunctionalInterface
  private interface NonAnonTestFn {
    void emit(ProgramText t, long size);
  }

  private record NonAnonTestCase(String desc, String slug, NonAnonTestFn fn) {}

  private static final List<NonAnonTestCase> NON_ANON_TEST_CASES = List.of(
      new NonAnonTestCase("Basic COW", "basic-cow", CowSelftest::testCow),
      new NonAnonTestCase("R/O longterm GUP pin", "ro-longterm-gup-pin",
          (t, size) -> doTestRoPin(t, size, RoPinTest.RO_PIN_TEST, false)),
      new NonAnonTestCase("R/O longterm GUP-fast pin", "ro-longterm-gup-fast-pin",
          (t, size) -> doTestRoPin(t, size, RoPinTest.RO_PIN_TEST, true)));

  private static void runNonAnonTestCases(Consumer<SuiteCase> out) {
    NON_ANON_TEST_CASES.forEach(tc -> runNonAnonTestCase(tc, out));
  }

  private static void runNonAnonTestCase(NonAnonTestCase tc, Consumer<SuiteCase> out) {
    out.accept(runWithZeropage(tc));
    out.accept(runWithMemfd(tc));
    out.accept(runWithTmpfile(tc));
    out.accept(runWithHugeZeropage(tc));
    for (long size : HUGETLB_SIZES) {
      out.accept(runWithMemfdHugetlb(tc, size));
    }
  }

  private static ProgramText nonAnon(NonAnonTestCase tc, String form, String slug) {
    return new ProgramText("cow-" + tc.slug() + "-" + slug, tc.desc() + " ... with " + form).about(SOURCE);
  }

  private static void testCow(ProgramText t, long size) {
    String s = ProgramText.size(size);
    t.line("p.fill mem " + s + " 2");
    t.line("check \"Other mapping not modified\" p.zero smem " + s);
  }

  /** A read of both mappings, which faults the page each has in. */
  private static void readBoth(ProgramText t) {
    t.comment("a read of both maps the page each has (for anonymous memory, the shared zeropage)");
    t.line("p.zero mem 4K");
    t.line("p.zero smem 4K");
  }

  private static SuiteCase runWithZeropage(NonAnonTestCase tc) {
    ProgramText t = nonAnon(tc, "shared zeropage", "zeropage");
    t.line("p = spawn cow");
    t.line("mem = p.mmap 4K " + RW + " " + ANON);
    t.line("smem = p.mmap 4K PROT_READ " + ANON);
    readBoth(t);
    tc.fn().emit(t, PAGESIZE);
    return new SuiteCase(t.name(), t.text());
  }

  /** run_with_memfd and run_with_tmpfile: one page of a shmem file, mapped privately and shared. */
  private static SuiteCase withFile(NonAnonTestCase tc, ProgramText t, String file) {
    t.line("f = " + file + " test 4K");
    t.line("p = spawn cow");
    t.line("mem = p.mmap_file f 4K " + RW + " MAP_PRIVATE");
    t.line("smem = p.mmap_file f 4K PROT_READ MAP_SHARED");
    readBoth(t);
    tc.fn().emit(t, PAGESIZE);
    return new SuiteCase(t.name(), t.text());
  }

  /**
   * run_with_memfd_hugetlb: a hugetlb memfd of one huge page, fallocate()d, mapped privately and shared.
   * The pool holds the file's page and the one the private mapping reserves for its copy.
   */
  private static SuiteCase runWithMemfdHugetlb(NonAnonTestCase tc, long hugetlbsize) {
    ProgramText t = nonAnon(tc, "memfd hugetlb (" + (hugetlbsize >> 10) + " kB)", "memfd-hugetlb-" + (hugetlbsize >> 10) + "k");
    hugetlbMachine(t, hugetlbsize, 2);
    String s = ProgramText.size(hugetlbsize);
    t.line("f = memfd test " + s + " MFD_HUGETLB|" + mapHuge(hugetlbsize).replace("MAP_", "MFD_"));
    t.line("fallocate f " + s);
    t.line("p = spawn cow");
    t.line("mem = p.mmap_file f " + s + " " + RW + " MAP_PRIVATE");
    t.line("smem = p.mmap_file f " + s + " PROT_READ MAP_SHARED");
    readBoth(t);
    tc.fn().emit(t, hugetlbsize);
    return new SuiteCase(t.name(), t.text());
  }

  private static SuiteCase runWithMemfd(NonAnonTestCase tc) {
    return withFile(tc, nonAnon(tc, "memfd", "memfd"), "memfd");
  }

  private static SuiteCase runWithTmpfile(NonAnonTestCase tc) {
    return withFile(tc, nonAnon(tc, "tmpfile", "tmpfile").about(TMPFILE), "tmpfile");
  }

  /**
   * run_with_huge_zeropage: a PMD-aligned area of each of two mappings given MADV_HUGEPAGE, read, and
   * skipped unless a page past the first is populated in both (the huge zeropage mapped by the PMD).
   * has_huge_zeropage is taken as detected: use_zero_page is 1 unless set otherwise.
   */
  private static SuiteCase runWithHugeZeropage(NonAnonTestCase tc) {
    ProgramText t = nonAnon(tc, "huge zeropage", "huge-zeropage");
    String s = ProgramText.size(PMDSIZE);
    String twice = ProgramText.size(2 * PMDSIZE);
    t.line("p = spawn cow");
    t.comment("run_with_huge_zeropage: two mappings of twice the PMD size, for a PMD-aligned area inside each");
    t.line("mmap_mem = p.mmap " + twice + " " + RW + " " + ANON);
    t.line("mmap_smem = p.mmap " + twice + " PROT_READ " + ANON);
    t.line("mem = align_down mmap_mem+" + s + " " + s);
    t.line("smem = align_down mmap_smem+" + s + " " + s);
    t.line("p.madvise mem " + s + " MADV_HUGEPAGE");
    t.line("p.madvise smem " + s + " MADV_HUGEPAGE");
    t.comment("a read of the first byte of each maps the huge zeropage, where the kernel gives it: a page past it is then populated");
    t.line("p.zero mem 1");
    t.line("p.zero smem 1");
    t.line("skip \"Did not get THPs populated\" if not p.populated mem+4K");
    t.line("skip \"Did not get THPs populated\" if not p.populated smem+4K");
    tc.fn().emit(t, PMDSIZE);
    return new SuiteCase(t.name(), t.text());
  }
}
