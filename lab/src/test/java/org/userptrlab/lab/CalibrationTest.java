package org.userptrlab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.userptrlab.core.cost.Parameter;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.executor.Availability;
import org.userptrlab.executor.NativeExecutor;
import org.userptrlab.executor.Timing;

/** A calibrated profile: every figure says whether it was measured, derived or borrowed, and a file of one reads back. */
class CalibrationTest {
  static final List<String> PRIMITIVES = List.of("read_fault", "write_fault", "munmap", "dontneed", "mprotect", "fork_per_page",
      "cow_break", "wp_reuse", "pin_longterm", "unpin_longterm", "vmsplice", "mlock", "munlock", "memcpy_cache", "memcpy_dram",
      "memset_cache", "memset_dram", "syscall", "shootdown", "mprotect_one", "stream_write", "stream_check", "stream_check_cache",
      "gpu_stand_in", "gpu_stand_in_4k", "populate", "mmap_munmap", "memfd_truncate", "mkwrite", "file_write", "fork",
      "touch_again", "touch_populated", "gpu_stand_in_write", "put_free", "populate_warm", "memfd_write", "fill_recent", "fill_new");

  /** A machine's caches as sysfs gives them: 32 MiB of LLC, 1 MiB a CPU. */
  static final Calibration.Caches CACHES = new Calibration.Caches(32 << 20, 1 << 20);

  private static List<Timing> timings() {
    List<Timing> t = new ArrayList<>();
    for (int i = 0; i < PRIMITIVES.size(); i++) {
      t.add(new Timing(PRIMITIVES.get(i), 100 + i, 90 + i, 110 + i, 15));
    }
    t.set(0, new Timing("read_fault", 1000, 900, 1100, 15));
    t.set(1, new Timing("write_fault", 3000, 2900, 3100, 15));
    t.set(15, new Timing("memset_cache", 40.96, 40, 42, 15));
    t.set(PRIMITIVES.indexOf("populate"), new Timing("populate", 1100, 1050, 1150, 15));
    t.set(PRIMITIVES.indexOf("populate_warm"), new Timing("populate_warm", 500, 480, 520, 15));
    t.set(PRIMITIVES.indexOf("memfd_write"), new Timing("memfd_write", 1000, 950, 1050, 15));
    t.set(PRIMITIVES.indexOf("fill_recent"), new Timing("fill_recent", 1700, 1600, 1800, 15));
    t.set(PRIMITIVES.indexOf("fill_new"), new Timing("fill_new", 1900, 1800, 2000, 15));
    return t;
  }

  /** {@link #timings()} with the run-to-run fills at these medians. */
  private static List<Timing> fills(double recent, double fresh) {
    List<Timing> t = timings();
    t.set(PRIMITIVES.indexOf("fill_recent"), new Timing("fill_recent", recent, recent, recent, 15));
    t.set(PRIMITIVES.indexOf("fill_new"), new Timing("fill_new", fresh, fresh, fresh, 15));
    return t;
  }

  @Test
  void aFrameTheRunBeforeFreedSavesWhatTheFillAfterItSaves() {
    LocalDate day = LocalDate.of(2026, 12, 7);
    PlatformProfile p = Calibration.profile(timings(), "6.18.44-test", "Test CPU", CACHES, day);
    assertThat(p.get(Parameter.PAGE_ALLOC_RECENT)).as("PAGE_ALLOC (1000) less the 200 ns a page the fill after a run of "
        + "its size saved").isEqualTo(800);
    assertThat(p.figures().get(Parameter.PAGE_ALLOC_RECENT).source()).contains("of fill_recent").contains("of fill_new");
    assertThat(Calibration.profile(fills(1000, 1900), "6.18.44-test", "Test CPU", CACHES, day).get(Parameter.PAGE_ALLOC_RECENT))
        .as("no warmer than a frame the run freed itself").isEqualTo(p.get(Parameter.PAGE_ALLOC_WARM));
    assertThat(Calibration.profile(fills(2000, 1900), "6.18.44-test", "Test CPU", CACHES, day).get(Parameter.PAGE_ALLOC_RECENT))
        .as("no dearer than a frame new to the run, whatever the noise").isEqualTo(p.get(Parameter.PAGE_ALLOC));
  }

  @Test
  void eachFigureSaysHowItWasHad() {
    PlatformProfile p = Calibration.profile(timings(), "6.18.44-test", "Test CPU", CACHES, LocalDate.of(2026, 11, 28));
    assertThat(p.name()).isEqualTo("host-6.18.44");
    assertThat(p.get(Parameter.FAULT)).as("a write fault less the page populated without one").isEqualTo(1900);
    assertThat(p.figures().get(Parameter.FAULT).source()).startsWith("derived on Linux 6.18.44-test, Test CPU, 2026-11-28: a first write "
        + "fault (measured on Linux 6.18.44-test, Test CPU, 2026-11-28: median of 15");
    assertThat(p.get(Parameter.PAGE_ALLOC)).as("a page populated less 4096 bytes cleared at 40.96 B/ns").isEqualTo(1000);
    assertThat(p.get(Parameter.PAGE_ALLOC_WARM)).as("a page populated over frames just freed, less its clearing").isEqualTo(400);
    assertThat(p.figures().get(Parameter.PAGE_ALLOC_WARM).source()).contains("over the 4 MiB just unmapped (500.0 ns, measured on "
        + "Linux 6.18.44-test");
    assertThat(p.get(Parameter.ZAP) + p.get(Parameter.PAGE_FREE)).as("MADV_DONTNEED split in two").isEqualTo(103);
    assertThat(p.get(Parameter.TLB_FLUSH_ONE)).as("a COW break no dearer than a reuse: the guest's").isEqualTo(
        Profiles.EPYC_GUEST.get(Parameter.TLB_FLUSH_ONE));
    assertThat(p.figures().get(Parameter.SWAP_IO).source()).startsWith("not timed: no swap was on");
    assertThat(p.get(Parameter.SWAP_FREE)).as("the guest's").isEqualTo(Profiles.EPYC_GUEST.get(Parameter.SWAP_FREE));
    assertThat(p.figures().get(Parameter.SWAP_FREE).source()).startsWith("not timed: no swap was on");
    assertThat(p.get(Parameter.FORK)).as("a fork of the executor's image, as timed").isEqualTo(100 + PRIMITIVES.indexOf("fork"));
    assertThat(p.get(Parameter.FORK_PTE)).as("fork per page less the write-protect WRPROTECT prices")
        .isEqualTo(PRIMITIVES.indexOf("fork_per_page") - PRIMITIVES.indexOf("mprotect"));
    assertThat(p.get(Parameter.UNPIN)).as("io_uring's unregister per page").isEqualTo(100 + PRIMITIVES.indexOf("unpin_longterm"));
    assertThat(p.get(Parameter.PUT_FREE)).as("a pipe emptied freeing its pages, less a reference's drop")
        .isEqualTo(PRIMITIVES.indexOf("put_free") - PRIMITIVES.indexOf("unpin_longterm"));
    assertThat(p.get(Parameter.SWAP_IO)).as("the guest's").isEqualTo(Profiles.EPYC_GUEST.get(Parameter.SWAP_IO));
    assertThat(p.get(Parameter.LLC_BYTES)).isEqualTo(32 << 20);
    assertThat(p.get(Parameter.CPU_CACHE_BYTES)).as("sysfs's index2").isEqualTo(1 << 20);
    assertThat(p.get(Parameter.USER_CHECK_CACHE)).as("a check of a buffer in the CPU's own cache, as timed")
        .isEqualTo(100 + PRIMITIVES.indexOf("stream_check_cache"));
    assertThat(p.get(Parameter.MLOCK)).as("mlock(2) per page, as timed").isEqualTo(100 + PRIMITIVES.indexOf("mlock"));
    assertThat(p.get(Parameter.MUNLOCK)).isEqualTo(100 + PRIMITIVES.indexOf("munlock"));
    assertThat(p.get(Parameter.FIRST_TOUCH)).as("a first write to a populated page less a second")
        .isEqualTo(PRIMITIVES.indexOf("touch_populated") - PRIMITIVES.indexOf("touch_again"));
  }

  /** Swap timed (a swap area on, or root): a page written out as measured; one read back less the fault and the allocation. */
  @Test
  void swapTimedGivesItsWriteAndReadFigures() {
    PlatformProfile p = profileWith(new Timing("pageout", 4200, 4100, 4800, 15), new Timing("swapin", 9000, 8900, 9100, 15));
    assertThat(p.get(Parameter.SWAP_IO)).isEqualTo(4200);
    assertThat(p.figures().get(Parameter.SWAP_IO).source()).startsWith("measured on Linux 6.18.44");
    assertThat(p.get(Parameter.SWAP_IN)).as("9000 less a fault (1900) and an allocation (1000)").isEqualTo(6100);
    PlatformProfile cached = profileWith(new Timing("pageout", 4200, 4100, 4800, 15), new Timing("swapin", 2000, 1900, 2100, 15));
    assertThat(cached.get(Parameter.SWAP_IN)).isZero();
    assertThat(profileWith(new Timing("swap_zap", 450, 420, 480, 15)).get(Parameter.SWAP_FREE)).as("the zap of a swap entry, as timed")
        .isEqualTo(450);
    assertThat(cached.figures().get(Parameter.SWAP_IN).source()).contains("here 0: the read fault took no longer than a fault "
        + "and an allocation (2900.0 ns)");
  }

  /**
   * A compaction of all memory timed (as root): the figure is the write's time, the walk of this machine's memory; not
   * timed, the guest's, and why.
   */
  @Test
  void aCompactionOfAllMemoryIsTimedAsRootAndTheGuestsStandsInWithout() {
    PlatformProfile p = profileWith(new Timing("compact_memory", 2_600_000, 2_500_000, 4_800_000, 15));
    assertThat(p.get(Parameter.COMPACT_MEMORY)).isEqualTo(2_600_000);
    assertThat(p.figures().get(Parameter.COMPACT_MEMORY).source()).startsWith("measured on Linux 6.18.44")
        .contains("/proc/sys/vm/compact_memory");
    PlatformProfile without = profileWith();
    assertThat(without.get(Parameter.COMPACT_MEMORY)).isEqualTo(Profiles.EPYC_GUEST.get(Parameter.COMPACT_MEMORY));
    assertThat(without.figures().get(Parameter.COMPACT_MEMORY).source()).startsWith("not timed: compaction of all memory takes root");
    assertThat(Calibration.OPTIONAL).as("timed only as root").contains("compact_memory");
    assertThat(Calibration.unit("compact_memory")).isEqualTo("ns");
  }

  /** MADV_PAGEOUT with no swap on, timed before any swap file is set up: a page isolated and put back, per page. */
  @Test
  void aPageoutWithNoSwapIsTheIsolationAndPutbackOfEachPage() {
    assertThat(profileWith(new Timing("pageout_noswap", 173, 171, 250, 15)).get(Parameter.RECLAIM_PUTBACK)).isEqualTo(173);
    PlatformProfile swapOn = profileWith();
    assertThat(swapOn.get(Parameter.RECLAIM_PUTBACK)).isEqualTo(Profiles.EPYC_GUEST.get(Parameter.RECLAIM_PUTBACK));
    assertThat(swapOn.figures().get(Parameter.RECLAIM_PUTBACK).source()).startsWith("not timed: swap was on here");
    assertThat(Calibration.OPTIONAL).contains("pageout_noswap");
  }

  /** The profile of {@link #timings()} with {@code changed} in place of the timings of their names, or added. */
  private static PlatformProfile profileWith(Timing... changed) {
    List<Timing> t = new ArrayList<>(timings());
    for (Timing c : changed) {
      t.removeIf(x -> x.name().equals(c.name()));
      t.add(c);
    }
    return Calibration.profile(t, "6.18.44", "Test CPU", CACHES, LocalDate.of(2026, 11, 28));
  }

  /** A local flush of one page: a COW break less a reuse, less the page allocated and copied. */
  @Test
  void aLocalFlushIsTheCowBreakLessTheReuseAndThePageItAllocatesAndCopies() {
    PlatformProfile p = profileWith(new Timing("cow_break", 16_000, 15_500, 16_500, 15), new Timing("wp_reuse", 12_000, 11_800, 12_200, 15),
        new Timing("memcpy_cache", 40.96, 40, 42, 15));
    assertThat(p.get(Parameter.TLB_FLUSH_ONE)).as("16000 - 12000 - 1000 allocated - 100 copied").isEqualTo(2900);
    assertThat(p.figures().get(Parameter.TLB_FLUSH_ONE).source()).startsWith("derived on Linux 6.18.44");
  }

  /** A GPU job's fixed cost: the stand-in's one-page job less its bytes at the stand-in's bandwidth. */
  @Test
  void aJobsFixedCostIsTheSmallJobLessItsBytes() {
    PlatformProfile p = profileWith(new Timing("gpu_stand_in", 0.4, 0.39, 0.41, 15),
        new Timing("gpu_stand_in_4k", 30_000, 29_000, 31_000, 15));
    assertThat(p.get(Parameter.GPU_DMA)).isEqualTo(0.4);
    assertThat(p.get(Parameter.GPU_JOB)).isEqualTo(30_000 - 4096 / 0.4);
  }

  /**
   * A one-page job the CPU's cache serves faster than the 4 MiB bandwidth leaves no fixed cost, and says so; the
   * stand-in's writes give a bandwidth of their own.
   */
  @Test
  void aOnePageJobFasterThanItsBytesLeavesNoFixedCost() {
    PlatformProfile p = profileWith(new Timing("gpu_stand_in", 9.0, 8.0, 10.0, 15),
        new Timing("gpu_stand_in_4k", 400, 380, 450, 15));
    assertThat(p.get(Parameter.GPU_JOB)).isZero();
    assertThat(p.figures().get(Parameter.GPU_JOB).source()).contains("here 0: the page");
    assertThat(p.figures().get(Parameter.GPU_DMA).source()).contains("flushed from the CPU's caches")
        .contains("its check of them is the lab's, left out");
    assertThat(p.get(Parameter.GPU_DMA_WRITE)).as("the stand-in's write, timed apart")
        .isEqualTo(100 + PRIMITIVES.indexOf("gpu_stand_in_write"));
    assertThat(Calibration.unit("gpu_stand_in_write")).isEqualTo("B/ns");
    assertThat(Calibration.unit("gpu_stand_in_4k")).isEqualTo("ns");
    assertThat(Calibration.USED).as("judged round by round as the read is").contains("gpu_stand_in_write");
  }

  /** A system call's entry is getppid's; a VMA made or freed is half an mmap and munmap of an untouched page, less the calls. */
  @Test
  void aVmaChangeIsHalfAnMmapAndMunmapLessTheirTwoCalls() {
    PlatformProfile p = profileWith(new Timing("syscall", 150, 140, 160, 15), new Timing("mmap_munmap", 3900, 3700, 4100, 15));
    assertThat(p.get(Parameter.SYSCALL)).isEqualTo(150);
    assertThat(p.get(Parameter.VMA_CHANGE)).as("(3900 - 2 * 150) / 2").isEqualTo(1800);
    assertThat(p.figures().get(Parameter.VMA_CHANGE).source()).startsWith("derived on Linux 6.18.44").contains("mmap_munmap");
    assertThat(p.filledIn()).as("a profile calibrate writes now lends nothing").isEmpty();
  }

  /** A page truncated out of the page cache: a memfd's truncation per page, less the page's free. */
  @Test
  void aPageTruncatedIsAMemfdsTruncationLessThePagesFree() {
    PlatformProfile p = profileWith(new Timing("memfd_truncate", 600, 550, 650, 15));
    assertThat(p.get(Parameter.TRUNCATE)).isEqualTo(600 - p.get(Parameter.PAGE_FREE));
    assertThat(p.figures().get(Parameter.TRUNCATE).source()).startsWith("derived on Linux 6.18.44").contains("memfd_truncate");
  }

  /** A shared disk-file page's page_mkwrite: the write after a read fault of it, per page, less the fault. */
  @Test
  void aPageMkwriteIsASharedFilesWriteAfterAReadLessTheFault() {
    PlatformProfile p = profileWith(new Timing("mkwrite", 6000, 5500, 6500, 15));
    assertThat(p.get(Parameter.PAGE_MKWRITE)).isEqualTo(6000 - p.get(Parameter.FAULT));
    assertThat(p.figures().get(Parameter.PAGE_MKWRITE).source()).startsWith("derived on Linux 6.18.44").contains("mkwrite");
  }

  /** Where /var/tmp takes no file, the disk file's two figures are the guest's, and say why. */
  @Test
  void withoutAFileInVarTmpTheDiskFileFiguresAreTheGuestsAndSaySo() {
    List<Timing> t = new ArrayList<>(timings());
    t.removeIf(x -> x.name().equals("file_write") || x.name().equals("mkwrite"));
    PlatformProfile p = Calibration.profile(t, "6.18.44", "AMD EPYC", CACHES, LocalDate.of(2026, 12, 5));
    for (Parameter q : List.of(Parameter.FILE_WRITE, Parameter.PAGE_MKWRITE)) {
      assertThat(p.get(q)).isEqualTo(Profiles.EPYC_GUEST.get(q));
      assertThat(p.figures().get(q).source()).startsWith("not timed: /var/tmp took no file");
    }
  }

  /**
   * A page added to the page cache: a memfd's pwrite per page, less a warm page's allocation, its clearing and its copy; and
   * a page written into a disk file: a pwrite of a new page, less the page's allocation, its copy and that addition.
   */
  @Test
  void aFilePageWrittenIsAPwriteLessThePagesAllocationCopyAndAddition() {
    PlatformProfile p = profileWith(new Timing("file_write", 3000, 2900, 3100, 15));
    double copy = 4096 / p.get(Parameter.MEMCPY_CACHE);
    assertThat(p.get(Parameter.PAGECACHE_ADD)).as("memfd_write less PAGE_ALLOC_WARM, a clearing at 40.96 B/ns and a copy")
        .isCloseTo(1000 - 400 - 100 - copy, within(1e-9));
    assertThat(p.figures().get(Parameter.PAGECACHE_ADD).source()).contains("memfd_write");
    assertThat(p.get(Parameter.FILE_WRITE)).isCloseTo(3000 - p.get(Parameter.PAGE_ALLOC) - copy - p.get(Parameter.PAGECACHE_ADD),
        within(1e-9));
    assertThat(p.figures().get(Parameter.FILE_WRITE).source()).startsWith("derived on Linux 6.18.44").contains("file_write");
  }

  /** A profile written before some figures existed reads with the guest's in their place, and says which. */
  @Test
  void anOlderProfileFileLacksNewFiguresAndIsToldSo(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("old.json");
    ProfileFile.write(Calibration.profile(timings(), "6.18.44", "Test CPU", CACHES, LocalDate.of(2026, 11, 28)), f);
    assertThat(ProfileFile.borrowed(f, ProfileFile.read(f))).as("a complete one").isEmpty();
    PlatformProfile old = withoutFigures(f, "GPU_JOB", "SWAP_IN");
    assertThat(old.filledIn()).containsExactly(Parameter.SWAP_IN, Parameter.GPU_JOB);
    assertThat(old.get(Parameter.GPU_JOB)).isEqualTo(Profiles.EPYC_GUEST.get(Parameter.GPU_JOB));
    assertThat(ProfileFile.borrowed(f, old)).hasValueSatisfying(note -> assertThat(note).contains("was written before SWAP_IN, "
        + "GPU_JOB existed, or has lost them since: the epyc-guest-2026 profile's figures stand in for SWAP_IN (50000 ns), "
        + "GPU_JOB (15000 ns)"));
  }

  /** A profile written before a check of bytes in the cache had its own figure prices every check as it did: at USER_CHECK. */
  @Test
  void anOlderProfileFilePricesAChecksCachedBytesAtItsOwnUserCheck(@TempDir Path dir) throws IOException {
    PlatformProfile p = Calibration.profile(timings(), "6.18.44", "Test CPU", CACHES, LocalDate.of(2026, 11, 28));
    Path f = dir.resolve("old.json");
    ProfileFile.write(p, f);
    PlatformProfile old = withoutFigures(f, "USER_CHECK_CACHE", "CPU_CACHE_BYTES");
    assertThat(old.filledIn()).containsExactly(Parameter.USER_CHECK_CACHE, Parameter.CPU_CACHE_BYTES);
    assertThat(old.get(Parameter.USER_CHECK_CACHE)).isEqualTo(p.get(Parameter.USER_CHECK));
    assertThat(ProfileFile.borrowed(f, old)).hasValueSatisfying(note -> assertThat(note).contains(
        "USER_CHECK_CACHE (" + (long) p.get(Parameter.USER_CHECK) + " B/ns) takes the file's own USER_CHECK, which priced it before"));
  }

  /**
   * A profile written before a frame the run freed had a price of its own prices it as it did, at its own PAGE_ALLOC,
   * and the note gives that figure as calibrate's table does (1000.5, not 1.00e+03).
   */
  @Test
  void anOlderProfileFilePricesAWarmFrameAtItsOwnPageAlloc(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("old.json");
    ProfileFile.write(profileWith(new Timing("populate", 1100.5, 1050, 1150, 15)), f);
    PlatformProfile old = withoutFigures(f, "PAGE_ALLOC_WARM");
    assertThat(old.filledIn()).containsExactly(Parameter.PAGE_ALLOC_WARM);
    assertThat(old.get(Parameter.PAGE_ALLOC_WARM)).isEqualTo(old.get(Parameter.PAGE_ALLOC)).isEqualTo(1000.5);
    assertThat(ProfileFile.borrowed(f, old)).hasValueSatisfying(note -> assertThat(note).contains(
        "PAGE_ALLOC_WARM (1000.5 ns) takes the file's own PAGE_ALLOC, which priced it before"));
    ProfileFile.write(profileWith(new Timing("populate", 1100.5, 1050, 1150, 15)), f);
    PlatformProfile older = withoutFigures(f, "PAGE_ALLOC_RECENT");
    assertThat(older.filledIn()).containsExactly(Parameter.PAGE_ALLOC_RECENT);
    assertThat(older.get(Parameter.PAGE_ALLOC_RECENT)).as("a frame the run before freed, as a new one").isEqualTo(1000.5);
  }

  /** A profile written before GPU writes had a bandwidth of their own prices them as it did: at its own GPU_DMA. */
  @Test
  void anOlderProfileFilePricesAGpuWriteAtItsOwnGpuDma(@TempDir Path dir) throws IOException {
    PlatformProfile p = Calibration.profile(timings(), "6.18.44", "Test CPU", CACHES, LocalDate.of(2026, 11, 28));
    Path f = dir.resolve("old.json");
    ProfileFile.write(p, f);
    PlatformProfile old = withoutFigures(f, "GPU_DMA_WRITE");
    assertThat(old.filledIn()).containsExactly(Parameter.GPU_DMA_WRITE);
    assertThat(old.get(Parameter.GPU_DMA_WRITE)).isEqualTo(p.get(Parameter.GPU_DMA));
  }

  /** A file gives a size in bytes as a whole number (33554432, not 3.3554432E7), and reads back as written. */
  @Test
  void aFileWritesSizesAsWholeNumbers(@TempDir Path dir) throws IOException {
    PlatformProfile p = Calibration.profile(timings(), "6.18.44", "Test CPU", CACHES, LocalDate.of(2026, 11, 28));
    Path f = dir.resolve("host.json");
    ProfileFile.write(p, f);
    assertThat(Files.readString(f)).contains("\"value\" : 33554432,", "\"value\" : 1048576,").doesNotContain("E7", "E6");
    assertThat(ProfileFile.read(f)).isEqualTo(p);
  }

  /** The profile file {@code f} holds, read back after {@code names} were taken out of it, as from a file written before them. */
  private static PlatformProfile withoutFigures(Path f, String... names) throws IOException {
    com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode)
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(f.toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("figures")).remove(List.of(names));
    Files.writeString(f, root.toString());
    return ProfileFile.read(f);
  }

  @Test
  void aProfileFileReadsBackAsTheProfileItHolds(@TempDir Path dir) throws IOException {
    PlatformProfile p = Calibration.profile(timings(), "6.18.44", "Test CPU", CACHES, LocalDate.of(2026, 11, 28));
    Path f = dir.resolve("host.json");
    ProfileFile.write(p, f);
    assertThat(ProfileFile.read(f)).isEqualTo(p);
  }

  /** The profile replaces an earlier one whole, through a file beside it, and is created as any tool creates a file (not 0600). */
  @Test
  void aProfileFileIsReplacedWholeAndCreatedWithTheUsualMode(@TempDir Path dir) throws IOException {
    PlatformProfile p = Calibration.profile(timings(), "6.18.44", "Test CPU", CACHES, LocalDate.of(2026, 11, 28));
    Path f = dir.resolve("host.json");
    java.nio.file.Files.writeString(f, "an older profile, longer than the new one would be if it were written in place".repeat(200));
    ProfileFile.write(p, f);
    assertThat(ProfileFile.read(f)).isEqualTo(p);
    try (java.util.stream.Stream<Path> all = java.nio.file.Files.list(dir)) {
      assertThat(all.map(x -> x.getFileName().toString())).containsExactly("host.json");
    }
    Path plain = java.nio.file.Files.createFile(dir.resolve("plain"));
    assertThat(java.nio.file.Files.getPosixFilePermissions(f)).as("the mode any new file gets here (0666 less the umask)")
        .isEqualTo(java.nio.file.Files.getPosixFilePermissions(plain));
    java.nio.file.Files.delete(plain);
    Path blocked = dir.resolve("dir");
    java.nio.file.Files.createDirectories(blocked.resolve("inside"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProfileFile.write(p, blocked)).isInstanceOf(IOException.class);
    try (java.util.stream.Stream<Path> all = java.nio.file.Files.list(dir)) {
      assertThat(all.map(x -> x.getFileName().toString())).as("nothing left beside it").containsExactlyInAnyOrder("host.json", "dir");
    }
  }

  @Test
  void aBadProfileFileSaysWhatIsWrong(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("bad.json");
    Files.writeString(f, "{\"name\": \"x\", \"figures\": {\"FAULT\": {\"value\": 1}}}");
    assertThatThrownBy(() -> ProfileFile.read(f)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lacks a figure for");
    Files.writeString(f, "{\"name\": \"x\", \"figures\": {\"FALT\": {\"value\": 1}}}");
    assertThatThrownBy(() -> ProfileFile.read(f)).hasMessageContaining("FALT, which is not a parameter");
    Files.writeString(f, "not json");
    assertThatThrownBy(() -> ProfileFile.read(f)).hasMessageContaining("is not JSON");
  }

  /**
   * A hand-edited profile that no calibration writes is refused, saying why in the user's terms: a second document or a
   * figure given twice (which one would win?), a size in parts of a byte, a CPU's own cache larger than the LLC, a name
   * that is no line of text; the parser's own switches are not named.
   */
  @Test
  void aHandEditedProfileThatNoCalibrationWritesIsRefused(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("host.json");
    ProfileFile.write(Calibration.profile(timings(), "6.18.44", "Test CPU", CACHES, LocalDate.of(2026, 11, 28)), f);
    String good = Files.readString(f);
    Files.writeString(f, good + "{}");
    assertThatThrownBy(() -> ProfileFile.read(f)).hasMessageContaining("is not JSON").hasMessageContaining("Trailing token")
        .hasMessageNotContaining("`");
    Files.writeString(f, good.replaceFirst("\\{", "{\"figures\": {},"));
    assertThatThrownBy(() -> ProfileFile.read(f)).hasMessageContaining("is not JSON").hasMessageContaining("figures");
    Files.writeString(f, good.replace("\"value\" : 1048576,", "\"value\" : 1000.5,"));
    assertThatThrownBy(() -> ProfileFile.read(f)).hasMessageContaining("CPU_CACHE_BYTES is 1000.5 bytes; a size is a whole number");
    Files.writeString(f, good.replace("\"value\" : 1048576,", "\"value\" : 6.7108864E7,"));
    assertThatThrownBy(() -> ProfileFile.read(f)).hasMessageContaining("more than LLC_BYTES");
    Files.writeString(f, good.replace("\"name\" : \"host-6.18.44\"", "\"name\" : \"a\\nb\""));
    assertThatThrownBy(() -> ProfileFile.read(f)).hasMessageContaining("\"name\" must be a line of text");
    Files.writeString(f, good.replace("\"name\" : \"host-6.18.44\"", "\"name\" : 5"));
    assertThatThrownBy(() -> ProfileFile.read(f)).hasMessageContaining("\"name\" must be a line of text");
    Files.writeString(f, good.replace("\"value\" : 1048576,", "\"value\" : NaN,"));
    assertThatThrownBy(() -> ProfileFile.read(f)).hasMessageContaining("is not JSON").hasMessageNotContaining("Feature");
    Files.writeString(f, good.substring(0, good.length() / 2));
    assertThatThrownBy(() -> ProfileFile.read(f)).hasMessageContaining("is not JSON").hasMessageNotContaining("[Source")
        .hasMessageNotContaining("start marker");
  }

  /**
   * A figure no platform has is refused with its name: a bandwidth of 0 or below a megabyte a second, one past the largest of
   * its unit, one in the wrong unit.
   */
  @Test
  void aProfileFileWithAnImpossibleFigureIsRefused(@TempDir Path dir) throws IOException {
    PlatformProfile p = Calibration.profile(timings(), "6.18.44", "Test CPU", CACHES, LocalDate.of(2026, 11, 28));
    Path f = dir.resolve("host.json");
    ProfileFile.write(p, f);
    String good = Files.readString(f);
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (String[] bad : new String[][] {{"GPU_DMA", "value", "0"}, {"FAULT", "value", "1e300"}, {"FAULT", "unit", "\"B/ns\""},
        {"USER_CHECK", "value", "1e-300"}}) {
      com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(good);
      ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("figures").get(bad[0])).set(bad[1], json.readTree(bad[2]));
      Files.writeString(f, root.toString());
      assertThatThrownBy(() -> ProfileFile.read(f)).as("%s %s", bad[0], bad[2]).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the figure for " + bad[0]);
    }
  }

  /**
   * The plumbing, where the executor runs: it times every primitive, and its timings settle into a
   * verdict and, where they are usable, a profile whose every figure names its source. What the
   * figures are is the machine's business (a busy one may time them badly): nothing here depends on it.
   */
  @Test
  void theExecutorTimesEveryPrimitiveAndItsTimingsSettleIntoAProfileOrAVerdict() {
    Availability a = NativeExecutor.availability();
    assumeThat(a.available()).as(a.reason()).isTrue();
    assumeThat(memAvailableKb()).as("the calibration holds up to 600 MiB of memory new to it: it refuses with less than 1 GiB available")
        .isGreaterThanOrEqualTo(1024 * 1024);
    List<Timing> t = NativeExecutor.calibrate();
    assertThat(t).extracting(Timing::name).containsAll(PRIMITIVES.stream().filter(n -> !n.equals("shootdown")).toList());
    assertThat(t).allSatisfy(x -> assertThat(x.samples()).isPositive());
    Calibration.Settled s = Calibration.settle(List.of(t));
    assertThat(s.chosen()).extracting(Timing::name).containsExactlyElementsOf(t.stream().map(Timing::name).toList());
    assertThat(s.unreliable()).extracting(Calibration.Unreliable::primitive).isSubsetOf(Calibration.USED);
    if (s.ok()) {
      PlatformProfile p = Calibration.profile(s.chosen(), "6.18.44-test", "Test CPU", CACHES, LocalDate.of(2026, 11, 28));
      assertThat(p.figures().values()).allSatisfy(f -> assertThat(f.source()).matches("(measured|derived|read|not measurable).*"));
    }
  }

  /** MemAvailable of /proc/meminfo in kB; unbounded where it does not say. */
  private static long memAvailableKb() {
    try {
      return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo")).stream()
          .filter(l -> l.startsWith("MemAvailable:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst()
          .orElse(Long.MAX_VALUE);
    } catch (java.io.IOException e) {
      return Long.MAX_VALUE;
    }
  }
}
