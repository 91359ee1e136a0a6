package org.userptrlab.lab.real;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.executor.Availability;
import org.userptrlab.executor.NativeExecutor;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.mm.KernelConfig;

/**
 * The selftests' operations on both sides: each small program agrees with this machine's kernel
 * under every strategy that can run it. Where the model does not run an operation yet, its test
 * is disabled and says which. Skipped, with the reason, where the executor cannot run.
 */
class SelftestAgreementTest {
  private static final String RW = "PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS";
  private static Diff diff;

  @BeforeAll
  static void here() {
    Availability a = NativeExecutor.availability();
    assumeTrue(a.available(), a.reason());
    KernelConfig host = KernelConfig.host();
    diff = new Diff(Diff.model(LabOptions.builder().profiles(List.of(Profiles.all().get(0))).build(), host), host);
  }

  @org.junit.jupiter.api.AfterAll
  static void swapFileGone() {
    if (diff != null) {
      diff.close();
    }
  }

  private static void agrees(String... lines) {
    agrees(diff, lines);
  }

  /** The program of {@code lines} (a first line {@code machine ...} goes in its header) agrees wherever it runs. */
  private static void agrees(Diff d, String... lines) {
    boolean machine = lines[0].startsWith("machine ");
    String body = String.join("\n", java.util.Arrays.asList(lines).subList(machine ? 1 : 0, lines.length));
    var p = Parser.parse("p.scenario", "scenario t\n" + (machine ? lines[0] + "\n" : "") + "p = app app\n" + body + "\n");
    int ran = 0;
    for (String s : Strategies.names()) {
      Diff.Result r = d.run(p, s, Strategies.contract(s));
      assertThat(r.verdict()).as("%s: %s", s, r.detail()).isIn(Diff.Verdict.AGREE, Diff.Verdict.NOT_RUNNABLE);
      ran += r.verdict() == Diff.Verdict.AGREE ? 1 : 0;
    }
    assertThat(ran).as("strategies that ran it").isPositive();
  }

  @Test
  void aFileOnDiskMappedAndReadBack() {
    agrees("f = file data 16K 7",
        "m = p.mmap_file f 16K PROT_READ MAP_SHARED",
        "expect PROGRAM_KEEPS_ITS_BYTES \"the mapping reads the file\" p.sees m 16K 7",
        "w = p.mmap_file f 16K PROT_READ|PROT_WRITE MAP_SHARED",
        "p.fill w 16K 8",
        "expect PROGRAM_KEEPS_ITS_BYTES \"the file holds the write\" file_sees f 16K 8",
        "o = p.userptr w 16K",
        "expect GPU_SEES_IMPORTED_BYTES \"the GPU sees the file's bytes\" gpu.sees o 8");
  }

  @Test
  void aPrivateFileMappingKeepsItsWritesFromTheFile() {
    agrees("f = file data 8K 3",
        "m = p.mmap_file f 8K PROT_READ|PROT_WRITE MAP_PRIVATE",
        "p.fill m 8K 4",
        "expect PROGRAM_KEEPS_ITS_BYTES \"the file is as it was\" file_sees f 8K 3",
        "expect PROGRAM_KEEPS_ITS_BYTES \"the mapping has the write\" p.sees m 8K 4");
  }

  /**
   * A THP as cow.c gets one: the host's THP set to always for the run (as root; not runnable
   * otherwise) and set back after; AnonHugePages read from smaps on both sides.
   */
  @Test
  void aThpAtTheFirstWriteOfAnAlignedRangeAndItsCowAfterFork() {
    agrees("machine thp always",
        "big = p.mmap 4M " + RW,
        "mem = align_down big+2M 2M",
        "p.madvise mem 2M MADV_HUGEPAGE",
        "p.store mem 1",
        "check \"a THP\" p.anon_huge mem == 2M",
        "check \"hg\" p.vma_flag mem hg",
        "p.fill mem 2M 1",
        "child = p.fork",
        "p.fill mem 2M 2",
        "check \"No leak from parent into child\" child.sees mem 2M 1");
    agrees("machine thp never",
        "big = p.mmap 4M " + RW,
        "mem = align_down big+2M 2M",
        "p.madvise mem 2M MADV_HUGEPAGE",
        "p.store mem 1",
        "check \"no THP\" p.anon_huge mem == 0");
  }

  /** The machine's THP settings are as they were after each run, one that ends at a failed call too. */
  @Test
  void theHostsThpIsSetBackAfterARunHoweverItEnds() throws java.io.IOException {
    assumeTrue(java.nio.file.Files.exists(HostThp.ENABLED), "this kernel has no THP");
    String before = java.nio.file.Files.readString(HostThp.ENABLED);
    String pmd = java.nio.file.Files.exists(HostThp.PMD_ENABLED) ? java.nio.file.Files.readString(HostThp.PMD_ENABLED) : "";
    agrees("machine thp never", "big = p.mmap 4M " + RW, "p.munmap big+1 4K", "p.store big 1");
    assertThat(java.nio.file.Files.readString(HostThp.ENABLED)).isEqualTo(before);
    assertThat(java.nio.file.Files.exists(HostThp.PMD_ENABLED) ? java.nio.file.Files.readString(HostThp.PMD_ENABLED) : "")
        .isEqualTo(pmd);
  }

  @Test
  void theNewAdviceOnAnonymousMemory() {
    agrees("buf = p.mmap 64K " + RW,
        "p.madvise buf 64K MADV_POPULATE_WRITE",
        "p.fill buf 64K 1",
        "p.madvise buf 64K MADV_COLD",
        "expect PROGRAM_KEEPS_ITS_BYTES \"cold pages keep their bytes\" p.sees buf 64K 1",
        "p.madvise buf 64K MADV_POPULATE_READ",
        "p.mlock buf 64K",
        "p.madvise buf 16K MADV_DONTNEED_LOCKED",
        "p.madvise buf+16K 16K MADV_FREE");
  }

  @Test
  void theHardLimitOfRlimitMemlock() {
    agrees("buf = p.memalign 4K 64K",
        "p.setrlimit_memlock 16K 32K",
        "p.mlock buf 16K",
        "p.setrlimit_memlock 32K",
        "p.mlock buf 32K");
  }

  @Test
  void aReadOnlyImport() {
    agrees("buf = p.memalign 4K 16K",
        "p.fill buf 16K 5",
        "o = p.userptr buf 16K READ_ONLY",
        "expect GPU_SEES_IMPORTED_BYTES \"the GPU reads the bytes\" gpu.sees o 5");
  }

  @Test
  void tryCheckAndSkip() {
    agrees("buf = p.mmap 16K " + RW,
        "r = try p.mmap_at buf 4K PROT_READ MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE",
        "check \"NOREPLACE refuses a mapped range\" r == EEXIST",
        "s = try p.mmap_at buf 4K PROT_READ MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED",
        "t = try p.store buf 1",
        "skip \"the store went through\" if t == OK",
        "p.fill buf 4K 1");
  }

  @Test
  void memfdTmpfileTruncateAndReadDirect() {
    agrees("t = tmpfile scratch 8K",
        "m = p.mmap_file t 8K PROT_READ|PROT_WRITE MAP_SHARED",
        "p.fill m 8K 5",
        "expect PROGRAM_KEEPS_ITS_BYTES \"the file holds the write\" file_sees t 8K 5",
        "truncate t 4K",
        "mf = memfd gpu 8K",
        "f = file data 16K 7",
        "b = p.memalign 4K 16K",
        "p.read_direct f b 16K",
        "expect PROGRAM_KEEPS_ITS_BYTES \"O_DIRECT read the file\" p.sees b 16K 7",
        "p.fill m 8K 6");
  }

  @Test
  void fixedMappingsAndMremap() {
    agrees("a = p.mmap 16K " + RW,
        "d = p.mmap 16K " + RW,
        "p.fill a 16K 4",
        "m = p.mremap_to a 16K 16K MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP d",
        "expect PROGRAM_KEEPS_ITS_BYTES \"the pages moved\" p.sees d 16K 4",
        "g = p.mremap d 16K 64K MREMAP_MAYMOVE",
        "x = p.mmap_at g 4K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED",
        "y = p.mmap_at g 4K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE");
  }

  @Test
  void pinsAndVmsplice() {
    agrees("buf = p.memalign 4K 64K",
        "p.fill buf 64K 3",
        "pn = p.iouring_register buf 64K",
        "expect PROGRAM_KEEPS_ITS_BYTES \"the pin sees the bytes\" pinned_sees pn 3",
        "release pn",
        "c = p.fork",
        "v = p.vmsplice buf 64K",
        "p.fill buf 64K 4",
        "expect PROGRAM_KEEPS_ITS_BYTES \"the pipe keeps the shared page\" pinned_sees v 3",
        "release v");
  }

  @Test
  void aReadOnlyImportTakesNoGpuWriteOnEitherSide() {
    agrees("buf = p.mmap 16K " + RW,
        "p.fill buf 16K 1",
        "obj = p.userptr buf 16K READ_ONLY",
        "check \"the GPU may not write it\" not gpu.write obj 2 and p.sees buf 16K 1");
  }

  @Test
  void aReleasedPinAndADescriptorNeverHeldAnswerAlike() {
    agrees("buf = p.mmap 16K " + RW,
        "p.fill buf 16K 1",
        "pipe = p.vmsplice buf 4K",
        "release pipe",
        "r = try pinned_sees pipe 1",
        "s = try release pipe",
        "q = spawn q",
        "t = try q.close_drm",
        "check \"EINVAL, EINVAL, EBADF\" r == EINVAL and s == EINVAL and t == EBADF");
  }

  /** The executor's own scratch memory keeps out of the holes a program makes: a call on one fails there as on the model. */
  @Test
  void aHoleTheProgramMadeStaysAHole() {
    agrees("buf = p.mmap 8K " + RW,
        "p.munmap buf+4K 4K",
        "r = try p.mlock buf 8K",
        "v = try p.vmsplice buf+4K 4K",
        "check \"mlock over the hole is ENOMEM, vmsplice of it EFAULT\" r == ENOMEM and v == EFAULT");
  }

  /** This kernel may map a fresh page where a read fault maps the zeropage on the model: what follows a read is then not compared. */
  @Test
  void framesAfterAReadAreComparedOnlyWhereTheKernelMapsTheZeropage() {
    var p = Parser.parse("p.scenario", "scenario t\np = spawn s\na = p.mmap 8K " + RW + "\np.zero a 8K\n"
        + "check \"a read maps the one zeropage\" p.frame a != 0 and p.frame a == p.frame a+4K\n");
    Diff.Result r = diff.run(p, "copy", Strategies.contract("copy"));
    assertThat(r.verdict()).as(r.detail()).isIn(Diff.Verdict.AGREE, Diff.Verdict.NOT_RUNNABLE);
    if (r.verdict() == Diff.Verdict.NOT_RUNNABLE) {
      assertThat(r.detail()).contains("this kernel maps a fresh page on a read fault of anonymous memory");
    }
  }

  /** A read of memory written before maps no zeropage on the model: frames after it are compared on any kernel. */
  @Test
  void framesAfterAReadOfWrittenMemoryAreComparedOnAnyKernel() {
    var p = Parser.parse("p.scenario", "scenario t\np = spawn s\na = p.mmap 8K " + RW + "\np.fill a 8K 3\n"
        + "check \"the bytes are back\" p.sees a 8K 3\ncheck \"two frames\" p.frame a != p.frame a+4K\n");
    Diff.Result r = diff.run(p, "copy", Strategies.contract("copy"));
    assertThat(r.verdict()).as(r.detail()).isEqualTo(Diff.Verdict.AGREE);
  }

  @Test
  void theProcViews() {
    agrees("buf = p.mmap 16K " + RW,
        "expect PROGRAM_KEEPS_ITS_BYTES \"untouched memory is zeros\" p.zero buf 16K",
        "p.mlock buf 16K",
        "expect PROGRAM_KEEPS_ITS_BYTES \"mlock sets VM_LOCKED\" p.vma_flag buf lo",
        "expect PROGRAM_KEEPS_ITS_BYTES \"nothing is swapped\" not p.swapped buf 16K");
  }

  /** The diff sets up a swap file for a program that pages out on a machine with none, and says so. Needs root. */
  @Test
  void pageoutWithASwapFileForTheRun() {
    RealHost host = RealHost.here();
    assumeTrue(host.root(), "needs root");
    assumeFalse(host.swap(), "swap is on already");
    agrees("machine swap 16M",
        "buf = p.mmap 64K " + RW,
        "p.fill buf 64K 6",
        "p.madvise buf 64K MADV_PAGEOUT",
        "expect PROGRAM_KEEPS_ITS_BYTES \"the pages went to swap\" p.swapped buf 64K");
    assertThat(diff.notes()).singleElement().asString().startsWith("swap: a 256 MiB swap file at /")
        .endsWith("written once for the diff's runs, switched on for each and removed after the last");
  }

  /**
   * The swap file is written once for a diff: every run under every strategy switches the same file on and off (each
   * new file's 256 MiB went to the disk while the next runs paged out), and closing the diff removes it.
   */
  @Test
  void aDiffsRunsShareOneSwapFileWhichGoesWithTheDiff() throws java.io.IOException {
    RealHost host = RealHost.here();
    assumeTrue(host.root(), "needs root");
    assumeFalse(host.swap(), "swap is on already");
    KernelConfig kernel = KernelConfig.host();
    var p = Parser.parse("p.scenario", "scenario t\nmachine swap 16M\np = app app\nbuf = p.mmap 64K " + RW + "\n"
        + "p.fill buf 64K 6\np.madvise buf 64K MADV_PAGEOUT\n");
    java.nio.file.Path file;
    Object inode;
    try (Diff d = new Diff(Diff.model(LabOptions.builder().profiles(List.of(Profiles.all().get(0))).build(), kernel), kernel)) {
      assertThat(d.run(p, "copy", Strategies.contract("copy")).verdict()).isEqualTo(Diff.Verdict.AGREE);
      java.util.regex.Matcher at = java.util.regex.Pattern.compile("at (/\\S+/swapfile),").matcher(d.notes().get(0));
      assertThat(at.find()).as(d.notes().get(0)).isTrue();
      file = java.nio.file.Path.of(at.group(1));
      assertThat(file).as("kept for the diff's later runs").exists();
      assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/swaps"))).as("switched off").doesNotContain(file.toString());
      inode = java.nio.file.Files.getAttribute(file, "unix:ino");
      assertThat(d.run(p, "backed-pin", Strategies.contract("backed-pin")).verdict()).isEqualTo(Diff.Verdict.AGREE);
      assertThat(java.nio.file.Files.getAttribute(file, "unix:ino")).as("the same file").isEqualTo(inode);
    }
    assertThat(file).doesNotExist();
    assertThat(file.getParent()).doesNotExist();
  }
}
