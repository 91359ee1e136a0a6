package org.userptrlab.lab.scenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The cases of the kernel's tools/testing/selftests/mm/gup_longterm.c (6.18), built with liburing, in
 * the order it runs them, each written as a program: each test case (a do_test type, shared or private)
 * with each memory type (run_with_memfd, run_with_tmpfile, run_with_local_tmpfile, and
 * run_with_memfd_hugetlb for each hugetlb size of x86-64).
 */
final class GupLongtermSelftest {
  private GupLongtermSelftest() {}

  static final String SOURCE = "tools/testing/selftests/mm/gup_longterm.c (6.18)";

  /** enum test_type. */
  private enum TestType {
    RO("ro-pin", false, false),
    RO_FAST("ro-fast-pin", false, true),
    RW("rw-pin", true, false),
    RW_FAST("rw-fast-pin", true, true),
    IOURING("iouring", true, true);

    final String slug;
    final boolean rw;
    final boolean fast;

    TestType(String slug, boolean rw, boolean fast) {
      this.slug = slug;
      this.rw = rw;
      this.fast = fast;
    }
  }

  /** One entry of test_cases: its description and the do_test it runs. */
  private record TestCase(String desc, TestType type, boolean shared) {}

  private static final List<TestCase> TEST_CASES = List.of(
      new TestCase("R/W longterm GUP pin in MAP_SHARED file mapping", TestType.RW, true),
      new TestCase("R/W longterm GUP-fast pin in MAP_SHARED file mapping", TestType.RW_FAST, true),
      new TestCase("R/O longterm GUP pin in MAP_SHARED file mapping", TestType.RO, true),
      new TestCase("R/O longterm GUP-fast pin in MAP_SHARED file mapping", TestType.RO_FAST, true),
      new TestCase("R/W longterm GUP pin in MAP_PRIVATE file mapping", TestType.RW, false),
      new TestCase("R/W longterm GUP-fast pin in MAP_PRIVATE file mapping", TestType.RW_FAST, false),
      new TestCase("R/O longterm GUP pin in MAP_PRIVATE file mapping", TestType.RO, false),
      new TestCase("R/O longterm GUP-fast pin in MAP_PRIVATE file mapping", TestType.RO_FAST, false),
      new TestCase("io_uring fixed buffer with MAP_SHARED file mapping", TestType.IOURING, true),
      new TestCase("io_uring fixed buffer with MAP_PRIVATE file mapping", TestType.IOURING, false));

  /**
   * A memory type: how ksft_print_msg names it, a name for its programs, what the file is (a line
   * that sets {@code f}), why the file is what it is, and whether its file system takes a writable
   * long-term pin (fs_supports_writable_longterm_pinning: tmpfs and hugetlbfs do, a disk file system does
   * not), and the size do_test works on (a page, or a huge page of a hugetlb memfd, 0 for a page).
   */
  private record MemoryType(String form, String slug, String file, String about, boolean writableLongterm, long hugetlbSize) {
    long size() {
      return hugetlbSize != 0 ? hugetlbSize : 4L << 10;
    }
  }

  private static final MemoryType MEMFD = new MemoryType("memfd", "memfd", "f = memfd test 4K", null, true, 0);
  private static final MemoryType TMPFILE = new MemoryType("tmpfile", "tmpfile", "f = tmpfile test 4K",
      "tmpfile() creates its file in /tmp: here a tmpfs, as on Fedora, Arch or Debian 13", true, 0);
  private static final MemoryType LOCAL_TMPFILE = new MemoryType("local tmpfile", "local-tmpfile", "f = file local 4K 0",
      "the local tmpfile lies in the current directory, on a disk file system (ext4, xfs, btrfs)", false, 0);

  /** run_with_memfd_hugetlb: memfd_create with MFD_HUGETLB and the size's bits; do_test's ftruncate() and fallocate() follow. */
  private static MemoryType memfdHugetlb(long hugetlbsize) {
    String s = ProgramText.size(hugetlbsize);
    return new MemoryType("memfd hugetlb (" + (hugetlbsize >> 10) + " kB)", "memfd-hugetlb-" + (hugetlbsize >> 10) + "k",
        "f = memfd test " + s + " MFD_HUGETLB|" + (hugetlbsize == 2L << 20 ? "MFD_HUGE_2MB" : "MFD_HUGE_1GB") + "\nfallocate f " + s,
        null, true, hugetlbsize);
  }

  /** Every case, in the order gup_longterm.c runs them. */
  static List<SuiteCase> cases() {
    List<SuiteCase> out = new ArrayList<>();
    TEST_CASES.forEach(tc -> runTestCase(tc, out::add));
    return out;
  }

  private static void runTestCase(TestCase tc, Consumer<SuiteCase> out) {
    out.accept(runWith(tc, MEMFD));
    out.accept(runWith(tc, TMPFILE));
    out.accept(runWith(tc, LOCAL_TMPFILE));
    for (long size : CowSelftest.HUGETLB_SIZES) {
      out.accept(runWith(tc, memfdHugetlb(size)));
    }
  }

  /** run_with_memfd, run_with_tmpfile and run_with_local_tmpfile: the file made, then do_test on a page of it. */
  private static SuiteCase runWith(TestCase tc, MemoryType type) {
    String name = "gup-longterm-" + tc.type().slug + "-" + (tc.shared() ? "shared" : "private") + "-" + type.slug();
    ProgramText t = new ProgramText(name, tc.desc() + " ... with " + type.form()).about(SOURCE);
    if (type.about() != null) {
      t.about(type.about());
    }
    if (tc.type() == TestType.IOURING) {
      t.about("built with liburing (LOCAL_CONFIG_HAVE_LIBURING)");
    }
    if (type.hugetlbSize() != 0) {
      // The file's huge page, and the one a private mapping reserves for the copy its memset() makes.
      CowSelftest.hugetlbMachine(t, type.hugetlbSize(), 2);
    }
    type.file().lines().forEach(t::line);
    doTest(t, tc, type);
    return new SuiteCase(t.name(), t.text());
  }

  private static void doTest(ProgramText t, TestCase tc, MemoryType type) {
    String s = ProgramText.size(type.size());
    t.line("p = spawn gup-longterm");
    t.line("mem = p.mmap_file f " + s + " PROT_READ|PROT_WRITE " + (tc.shared() ? "MAP_SHARED" : "MAP_PRIVATE"));
    t.comment("memset(mem, 0): faulted in so that GUP-fast can pin it directly");
    t.line("p.fill mem " + s + " 0");
    boolean shouldWork = !tc.shared() || !tc.type().rw || type.writableLongterm();
    if (tc.type() == TestType.IOURING) {
      CowSelftest.asRoot(t);
      t.line("s = try p.iouring_setup");
      t.line("skip \"io_uring_queue_init() failed\" if s != OK");
      t.comment("io_uring_register_buffers: pin_user_pages_fast(FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM)");
      t.line("r = try p.iouring_register mem " + s);
      t.comment("ENOSPC, EOPNOTSUPP and EFAULT are refusals of the pin; any other answer is a failed registration");
      t.line("skip \"io_uring_register_buffers() failed\" if r != OK and r != ENOSPC and r != EOPNOTSUPP and r != EFAULT");
      t.line(shouldWork ? "check \"Should have worked\" r == OK" : "check \"Should have failed\" r != OK");
      return;
    }
    if (!tc.type().rw) {
      t.line("p.mprotect mem " + s + " PROT_READ");
    }
    String foll = tc.type().rw ? "FOLL_WRITE|FOLL_LONGTERM" : "FOLL_LONGTERM";
    t.line("r = try p." + (tc.type().fast ? "pin_fast" : "pin") + " mem " + s + " " + foll);
    if (shouldWork) {
      t.line("check \"Should have worked\" r == OK");
    } else {
      t.comment("writable_file_mapping_allowed (6.5): a file that needs writeback takes no long-term writable pin");
      t.line("check \"Should have failed\" r == EFAULT");
    }
  }
}
