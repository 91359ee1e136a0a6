package org.userptrlab.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The commands of the selftests' tools (cow.c, gup_longterm.c) and the machine's files, on this machine's kernel. */
class SelftestCommandsTest {
  /** Linux's numbers (include/uapi): protections, mapping flags, advice. */
  private static final int RW = 3;
  private static final int PRIVATE_ANON = 0x22;
  private static final int MAP_SHARED = 0x01;
  private static final int MAP_FIXED = 0x10;
  private static final int MAP_FIXED_NOREPLACE = 0x100000;
  private static final int MADV_PAGEOUT = 21;

  @BeforeAll
  static void here() {
    Availability a = NativeExecutor.availability();
    assumeTrue(a.available(), a.reason());
  }

  private static long ok(Session s, String command) {
    Reply r = s.send(command);
    assertThat(r.ok()).as("%s: %s", command, r).isTrue();
    return r.value();
  }

  private static long anon(Session s, long bytes) {
    return ok(s, "0 mmap " + bytes + " " + RW + " " + PRIVATE_ANON);
  }

  /** cow.c's vmsplice: no write fault first, so after fork the pipe keeps the page the parent's write copies away from. */
  @Test
  void vmspliceTakesTheSharedPageWithoutAWriteFault() {
    try (Session s = NativeExecutor.start()) {
      s.send("0 spawn");
      long a = anon(s, 16384);
      ok(s, "0 fill " + a + " 16384 1");
      ok(s, "0 fork 1");
      long pipe = ok(s, "0 vmsplice " + a + " 16384");
      ok(s, "0 fill " + a + " 16384 2");
      assertThat(ok(s, "0 gpu_sees " + pipe + " 0 16384 1 0")).as("the pipe keeps the page shared with the child").isEqualTo(1);
      assertThat(ok(s, "1 sees " + a + " 16384 1 0")).isEqualTo(1);
      ok(s, "0 close " + pipe);
    }
  }

  /** vmsplice of a range nothing maps fails with its own errno, not as an analogue's call. */
  @Test
  void vmspliceOfAnUnmappedRangeIsItsOwnEfault() {
    try (Session s = NativeExecutor.start()) {
      s.send("0 spawn");
      long a = anon(s, 8192);
      ok(s, "0 munmap " + a + " 8192");
      Reply r = s.send("0 vmsplice " + a + " 8192");
      assertThat(r.ok()).isFalse();
      assertThat(r.errno()).isEqualTo(14);
      assertThat(r.origin()).isEqualTo(Reply.Origin.OPERATION);
    }
  }

  /** pagemap and kpagecount: no frame before the first touch, one mapped once, then twice after fork. */
  @Test
  void framesAndMapcountsAreReadFromProc() {
    try (Session s = NativeExecutor.start()) {
      s.send("0 spawn");
      long a = anon(s, 4096);
      assertThat(ok(s, "0 frame " + a)).isZero();
      assertThat(ok(s, "0 zero " + a + " 4096")).isEqualTo(1);
      ok(s, "0 store " + a + " 7");
      long pfn = ok(s, "0 frame " + a);
      assertThat(pfn).isPositive();
      assertThat(ok(s, "0 mapcount " + a)).isEqualTo(1);
      assertThat(ok(s, "0 zero " + a + " 4096")).isZero();
      ok(s, "0 fork 1");
      assertThat(ok(s, "0 mapcount " + a)).isEqualTo(2);
      assertThat(ok(s, "1 frame " + a)).isEqualTo(pfn);
      assertThat(ok(s, "0 swapped " + a + " 4096")).isZero();
    }
  }

  /** smaps' VmFlags of the VMA holding the address, and VmRSS, VmLck and VmPin in bytes. */
  @Test
  void vmaFlagsAndStatusFigures() {
    try (Session s = NativeExecutor.start()) {
      s.send("0 spawn");
      long a = anon(s, 16384);
      assertThat(ok(s, "0 vma_flag " + a + " lo")).isZero();
      ok(s, "0 mlock " + a + " 16384");
      assertThat(ok(s, "0 vma_flag " + (a + 4096) + " lo")).isEqualTo(1);
      assertThat(ok(s, "0 vma_flag " + a + " wr")).isEqualTo(1);
      assertThat(ok(s, "0 vm 1")).isEqualTo(16384);
      assertThat(ok(s, "0 vm 0")).isGreaterThanOrEqualTo(16384);
      assertThat(ok(s, "0 vm 2")).isZero();
    }
  }

  /** MAP_FIXED_NOREPLACE over a mapping is EEXIST; MAP_FIXED replaces it; mremap moves and grows, or leaves the old range. */
  @Test
  void fixedMappingsAndMremap() {
    try (Session s = NativeExecutor.start()) {
      s.send("0 spawn");
      long a = anon(s, 16384);
      Reply r = s.send("0 mmap_at " + a + " 4096 " + RW + " " + (PRIVATE_ANON | MAP_FIXED_NOREPLACE));
      assertThat(r.errno()).isEqualTo(17);
      assertThat(ok(s, "0 mmap_at " + a + " 4096 " + RW + " " + (PRIVATE_ANON | MAP_FIXED))).isEqualTo(a);
      ok(s, "0 fill " + a + " 16384 4");
      long dst = anon(s, 16384);
      // MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP: the pages move to dst, the old range stays mapped, empty.
      assertThat(ok(s, "0 mremap " + a + " 16384 16384 7 " + dst)).isEqualTo(dst);
      assertThat(ok(s, "0 sees " + dst + " 16384 4 0")).isEqualTo(1);
      assertThat(ok(s, "0 zero " + a + " 16384")).isEqualTo(1);
      long grown = ok(s, "0 mremap " + dst + " 16384 65536 1");
      assertThat(ok(s, "0 sees " + grown + " 16384 4 0")).isEqualTo(1);
    }
  }

  /**
   * A file on the disk holds the seed's stream; mapped shared it reads so; O_DIRECT reads it into
   * memory; truncated, a load past its end is SIGBUS.
   */
  @Test
  void filesOnDiskTmpfsAndMemfd() {
    try (Session s = NativeExecutor.start()) {
      s.send("0 spawn");
      long disk = ok(s, "0 file_new 0 16384 9");
      assertThat(ok(s, "0 file_sees " + disk + " 16384 9")).isEqualTo(1);
      assertThat(ok(s, "0 file_sees " + disk + " 16384 8")).isZero();
      long m = ok(s, "0 mmap_file " + disk + " 16384 1 " + MAP_SHARED);
      assertThat(ok(s, "0 sees " + m + " 16384 9 0")).isEqualTo(1);
      long buf = ok(s, "0 memalign 4096 16384");
      assertThat(ok(s, "0 read_direct " + disk + " " + buf + " 16384")).isEqualTo(16384);
      assertThat(ok(s, "0 sees " + buf + " 16384 9 0")).isEqualTo(1);
      for (int kind : new int[] {1, 2}) {
        long f = ok(s, "0 file_new " + kind + " 8192 0");
        long at = ok(s, "0 mmap_file " + f + " 8192 " + RW + " " + MAP_SHARED);
        ok(s, "0 fill " + at + " 8192 3");
        assertThat(ok(s, "0 file_sees " + f + " 8192 3")).isEqualTo(1);
        ok(s, "0 truncate " + f + " 4096");
        assertThat(s.send("0 readable " + (at + 4096)).signal()).isEqualTo(7);
      }
      assertThat(s.send("0 mmap_file 99 4096 1 1").errno()).as("no such file").isEqualTo(9);
    }
  }

  /** The swap areas that are on, as /proc/swaps lists them. */
  private static String swaps() throws IOException {
    return Files.readString(Path.of("/proc/swaps"));
  }

  /** A directory on the local disk for a swap file, where the test may set one up: as root, with no swap on. */
  private static Path swapTestDirectory() throws IOException {
    assumeTrue(Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.matches("Uid:\\s+0\\s.*")), "needs root");
    assumeTrue(Files.readAllLines(Path.of("/proc/swaps")).size() == 1, "swap is on already");
    return Files.createTempDirectory(Path.of("/var/tmp"), "upl-swap-test");
  }

  /** A process's 64 KiB written with 6 and paged out, to a swap file of {@code bytes} at {@code file} switched on first. */
  private static long pagedOut(Session s, Path file, long bytes) {
    s.send("0 spawn");
    ok(s, "0 swapon " + file + " " + bytes);
    long a = anon(s, 65536);
    ok(s, "0 fill " + a + " 65536 6");
    ok(s, "0 madvise " + a + " 65536 " + MADV_PAGEOUT);
    return a;
  }

  /** A swap file set up by the executor takes MADV_PAGEOUT's pages, and goes when switched off. Needs root and no swap. */
  @Test
  void aSwapFileTakesPagedOutMemory() throws IOException {
    Path dir = swapTestDirectory();
    Path file = dir.resolve("swapfile");
    try (Session s = NativeExecutor.start()) {
      long a = pagedOut(s, file, 64L << 20);
      assertThat(swaps()).contains(file.toString());
      assertThat(ok(s, "0 swapped " + a + " 65536")).isEqualTo(1);
      assertThat(ok(s, "0 frame " + a)).isZero();
      assertThat(ok(s, "0 sees " + a + " 65536 6 0")).isEqualTo(1);
      ok(s, "0 swapoff");
      assertThat(swaps()).doesNotContain(file.toString());
      assertThat(file).doesNotExist();
    } finally {
      Files.deleteIfExists(dir);
    }
  }

  /**
   * A swap file kept after a run (swapoff_keep) is switched on again as it is, written once, a fresh area each time; one
   * of another size at the path is refused and left alone.
   */
  @Test
  void aSwapFileKeptIsSwitchedOnAgainAsItIs() throws IOException {
    Path dir = swapTestDirectory();
    Path file = dir.resolve("swapfile");
    try (Session s = NativeExecutor.start()) {
      long a = pagedOut(s, file, 16L << 20);
      Object inode = Files.getAttribute(file, "unix:ino");
      ok(s, "0 swapoff_keep");
      assertThat(swaps()).doesNotContain(file.toString());
      assertThat(ok(s, "0 sees " + a + " 65536 6 0")).as("swapoff brought the pages back").isEqualTo(1);
      assertThat(Files.getAttribute(file, "unix:ino")).as("kept").isEqualTo(inode);
      ok(s, "0 swapon " + file + " " + (16L << 20));
      assertThat(Files.getAttribute(file, "unix:ino")).as("the same file, not written again").isEqualTo(inode);
      assertThat(swaps()).contains(file.toString());
      ok(s, "0 swapoff");
      assertThat(file).doesNotExist();
      Files.write(file, new byte[4096]);
      assertThat(s.send("0 swapon " + file + " " + (16L << 20)).errno()).as("EEXIST: not this size").isEqualTo(17);
      assertThat(Files.size(file)).isEqualTo(4096);
      assertThat(swaps()).doesNotContain(file.toString());
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  /**
   * A calibration killed with its swap file on (calibrate_swap's, named after its process) leaves it on: the next
   * calibration or diff switches it off and removes it, once its process is gone, and leaves a live one's alone.
   */
  @Test
  void aSwapFileOfACalibrationSinceGoneIsSwitchedOffAndRemoved() throws Exception {
    Files.delete(swapTestDirectory());
    java.lang.Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    Path stale = NativeExecutor.calibrationSwap(ended.pid());
    Path live = NativeExecutor.calibrationSwap(ProcessHandle.current().pid());
    try {
      Session killed = NativeExecutor.start();
      ok(killed, "0 swapon " + stale + " " + (16L << 20));
      ProcessHandle.of(killed.pid()).orElseThrow().destroyForcibly();
      ProcessHandle.of(killed.pid()).ifPresent(h -> h.onExit().join());
      assertThat(swaps()).as("SIGKILL: no executor's end to switch it off").contains(stale.toString());
      Files.write(live, new byte[4096]);

      NativeExecutor.removeStaleCalibrationSwap();

      assertThat(swaps()).doesNotContain(stale.toString());
      assertThat(stale).doesNotExist();
      assertThat(live).as("a running calibration's").exists();
      killed.close();
    } finally {
      if (swaps().contains(stale.toString())) {
        try (Session s = NativeExecutor.start()) {
          s.send("0 swapoff " + stale);
        }
      }
      Files.deleteIfExists(stale);
      Files.deleteIfExists(live);
    }
  }

  /** An executor that died with a swap file on leaves it to another, told its path. */
  @Test
  void aSwapFileOfAnExecutorSinceGoneIsSwitchedOffByAnother() throws IOException {
    Path dir = swapTestDirectory();
    Path file = dir.resolve("swapfile");
    try {
      Session first = NativeExecutor.start();
      ok(first, "0 swapon " + file + " " + (16L << 20));
      try (Session second = NativeExecutor.start()) {
        assertThat(second.send("0 swapoff").errno()).as("no swap file of its own").isEqualTo(22);
        ok(second, "0 swapoff " + file);
      }
      assertThat(swaps()).doesNotContain(file.toString());
      assertThat(file).doesNotExist();
      first.close();
    } finally {
      Files.deleteIfExists(dir);
    }
  }

  /** The executor's end switches off a swap file the lab left on. */
  @Test
  void aSwapFileLeftOnGoesWithTheExecutor() throws IOException {
    Path dir = swapTestDirectory();
    Path file = dir.resolve("swapfile");
    try {
      try (Session s = NativeExecutor.start()) {
        ok(s, "0 swapon " + file + " " + (16L << 20));
      }
      assertThat(swaps()).doesNotContain(file.toString());
      assertThat(file).doesNotExist();
    } finally {
      Files.deleteIfExists(dir);
    }
  }
}
