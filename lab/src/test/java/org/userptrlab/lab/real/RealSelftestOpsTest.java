package org.userptrlab.lab.real;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.executor.Availability;
import org.userptrlab.executor.NativeExecutor;
import org.userptrlab.executor.Session;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Program;

/**
 * The selftests' operations on the real kernel, as RealProgram runs them: each program's last
 * line is a skip that holds only if every step before came out as the selftests expect (a skip
 * that holds early says which did not). Skipped, with the reason, where the executor cannot run.
 */
class RealSelftestOpsTest {
  private static final String RW = "PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS";

  @BeforeAll
  static void here() {
    Availability a = NativeExecutor.availability();
    assumeTrue(a.available(), a.reason());
  }

  private static Trace real(String strategy, String text) {
    try (Session s = NativeExecutor.start()) {
      return RealProgram.run(Parser.parse("p.scenario", text), strategy, Strategies.contract(strategy), s, true);
    }
  }

  /** The program's text with a header; its lines are numbered from 3. */
  private static String program(String... lines) {
    return "scenario t\np = app app\n" + String.join("\n", lines) + "\n";
  }

  private static String outcome(Trace t, int line) {
    return t.steps().stream().filter(s -> s.line() == line).map(s -> s.outcome()).findFirst().orElse("no step");
  }

  /** The trace ran to its last line, a skip that held there and nowhere before. */
  private static void endsAtTheLastSkip(Trace t, String text) {
    assertThat(t.runnable()).as(t.notRunnable()).isTrue();
    assertThat(t.analogueFailed()).isNull();
    assertThat(t.skipped()).as(t.steps().toString()).isEqualTo("line " + text.split("\n").length + ": done");
  }

  @Test
  void aTryBindsTheErrnoAndTheProgramGoesOnToASkip() {
    String text = program("buf = p.mmap 16K " + RW,
        "r = try p.mmap_at buf 4K PROT_READ MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE",
        "p.fill buf 16K 1",
        "skip \"done\" if r == EEXIST",
        "p.fill buf 16K 2");
    Trace t = real("copy", text);
    assertThat(outcome(t, 4)).isEqualTo("EEXIST");
    assertThat(outcome(t, 5)).isEqualTo("ok");
    assertThat(t.skipped()).isEqualTo("line 6: done");
    assertThat(outcome(t, 7)).as("a skip that holds ends the program").isEqualTo("no step");
  }

  @Test
  void aTryBindsTheSignalAndOkOtherwise() {
    String text = program("buf = p.mmap 4K PROT_READ MAP_PRIVATE|MAP_ANONYMOUS",
        "r = try p.store buf 1",
        "s = try p.fill buf 0 1",
        "skip \"the store went through\" if r != SIGSEGV",
        "skip \"done\" if s == OK");
    Trace t = real("copy", text);
    assertThat(outcome(t, 4)).isEqualTo("SIGSEGV");
    endsAtTheLastSkip(t, text);
  }

  @Test
  void checksDoNotEndTheProgramWhetherOrNotTheyHold() {
    String text = program("buf = p.malloc 4K",
        "check \"never\" p.vm_pin > 0",
        "check \"always\" p.vm_pin == 0 if p.vm_lck == 0",
        "skip \"done\" if p.vm_pin == 0");
    endsAtTheLastSkip(real("copy", text), text);
  }

  /** gup_longterm.c's io_uring case: pinned for writing, long-term, charged to pinned_vm, the same pages until released. */
  @Test
  void anIoUringFixedBufferIsALongTermPinChargedToPinnedVm() {
    String text = program("buf = p.memalign 4K 64K",
        "p.fill buf 64K 3",
        "s = try p.iouring_setup",
        "skip \"no io_uring\" if s != OK",
        "pn = p.iouring_register buf 64K",
        "skip \"not charged to pinned_vm\" if p.vm_pin != 64K",
        "skip \"the pin does not see the bytes\" if not pinned_sees pn 3",
        "p.fill buf 64K 4",
        "skip \"the pin lost the program's pages\" if not pinned_sees pn 4",
        "release pn",
        "skip \"done\" if p.vm_pin == 0");
    Trace t = real("copy", text);
    assertThat(t.steps().get(4).vmpinKb()).as(t.steps().toString()).isEqualTo(64);
    endsAtTheLastSkip(t, text);
  }

  /** cow.c's vmsplice after fork: no write fault first, so the pipe keeps the page the parent's write copies away from. */
  @Test
  void vmspliceTakesTheSharedPageAsCowCDoes() {
    String text = program("buf = p.mmap 16K " + RW,
        "p.fill buf 16K 1",
        "c = p.fork",
        "v = p.vmsplice buf 16K",
        "p.fill buf 16K 2",
        "skip \"the pipe followed the parent's write\" if not pinned_sees v 1",
        "release v",
        "skip \"done\" if c.sees buf 16K 1");
    endsAtTheLastSkip(real("copy", text), text);
  }

  @Test
  void filesOnDiskTmpfsAndMemfdMapTruncateAndReadDirect() {
    String text = program("f = file data 16K 7",
        "m = p.mmap_file f 16K PROT_READ MAP_SHARED",
        "skip \"the mapping does not read the file\" if not p.sees m 16K 7",
        "b = p.memalign 4K 16K",
        "p.read_direct f b 16K",
        "skip \"O_DIRECT read the wrong bytes\" if not p.sees b 16K 7",
        "t = tmpfile scratch 8K",
        "mt = p.mmap_file t 8K PROT_READ|PROT_WRITE MAP_SHARED",
        "skip \"a new tmpfs file is not zeros\" if not p.zero mt 8K",
        "p.fill mt 8K 5",
        "skip \"the tmpfs file does not hold the write\" if not file_sees t 8K 5",
        "truncate t 4K",
        "r = try p.fill mt 8K 6",
        "skip \"a store past the end did not fault\" if r != SIGBUS",
        "mf = memfd gpu 8K",
        "mm = p.mmap_file mf 8K PROT_READ|PROT_WRITE MAP_SHARED",
        "p.fill mm 8K 9",
        "skip \"done\" if file_sees mf 8K 9");
    endsAtTheLastSkip(real("copy", text), text);
  }

  @Test
  void framesMapcountsVmaFlagsAndStatus() {
    String text = program("buf = p.mmap 4K " + RW,
        "skip \"an untouched page has a frame\" if p.frame buf != 0",
        "p.store buf 1",
        "skip \"a written page is mapped other than once\" if p.mapcount buf != 1",
        "c = p.fork",
        "skip \"fork did not share the page\" if p.mapcount buf != 2",
        "skip \"the child has another frame\" if c.frame buf != p.frame buf",
        "p.mlock buf 4K",
        "skip \"mlock did not set VM_LOCKED\" if not p.vma_flag buf lo",
        "skip \"VmLck is not 4K\" if p.vm_lck != 4K",
        "p.setrlimit_memlock 64K 128K",
        "skip \"nothing was paged out\" if p.swapped buf 4K",
        "skip \"done\" if p.vm_lck == 4K");
    endsAtTheLastSkip(real("copy", text), text);
  }

  @Test
  void mremapMovesAndMmapAtReplaces() {
    String text = program("a = p.mmap 16K " + RW,
        "d = p.mmap 16K " + RW,
        "p.fill a 16K 4",
        "m = p.mremap_to a 16K 16K MREMAP_MAYMOVE|MREMAP_FIXED|MREMAP_DONTUNMAP d",
        "skip \"the pages did not move to d\" if not p.sees d 16K 4",
        "skip \"DONTUNMAP's old range is not empty\" if not p.zero a 16K",
        "g = p.mremap d 16K 64K MREMAP_MAYMOVE",
        "skip \"growing lost the bytes\" if not p.sees g 16K 4",
        "x = p.mmap_at g 4K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED",
        "skip \"done\" if p.zero g 4K");
    endsAtTheLastSkip(real("copy", text), text);
  }

  /**
   * A read-only import asks without FOLL_WRITE, as cow.c's vmsplice: after fork the pipe analogue
   * takes the page the parent shares with its child, and the parent's later write copies it away
   * from the GPU; a writable import write-faults first, taking the parent's own copy.
   */
  @Test
  void aReadOnlyImportTakesNoWriteFault() {
    String readOnly = program("buf = p.mmap 16K " + RW,
        "p.fill buf 16K 1",
        "c = p.fork",
        "o = p.userptr buf 16K READ_ONLY",
        "p.fill buf 16K 2",
        "skip \"done\" if not gpu.sees o 2");
    endsAtTheLastSkip(real("backed-pin", readOnly), readOnly);
    Trace writable = real("backed-pin", readOnly.replace(" READ_ONLY", ""));
    assertThat(writable.skipped()).isNull();
    assertThat(writable.steps().get(writable.steps().size() - 1).outcome()).isEqualTo("true");
    assertThat(real("copy", readOnly).runnable()).isTrue();
  }

  private static Optional<String> notRunnable(String strategy, String... lines) {
    Program p = Parser.parse("p.scenario", program(lines));
    return RealProgram.notRunnable(p, strategy);
  }

  @Test
  void vmRssAndReclaimAfterMadvFreeAreNotComparedWithTheReason() {
    assertThat(notRunnable("copy", "n = p.vm_rss")).get().asString().contains("VmRSS also counts the executor's own code");
    assertThat(notRunnable("copy", "buf = p.mmap 16K " + RW, "p.madvise buf 16K MADV_FREE", "reclaim"))
        .get().asString().contains("depends on which CPU's LRU batch holds it");
    assertThat(notRunnable("copy", "buf = p.mmap 16K " + RW, "p.madvise buf 16K MADV_FREE", "p.madvise buf 16K MADV_PAGEOUT"))
        .get().asString().contains("depends on which CPU's LRU batch holds it");
    assertThat(notRunnable("copy", "buf = p.mmap 16K " + RW, "reclaim", "p.madvise buf 16K MADV_FREE")).isEmpty();
  }

  /** The executor's reclaim pages out each process's own VMAs, which leaves pages a forked child shares: not compared while one may. */
  @Test
  void aReclaimWhileAForkedChildMayShareThePagesIsNotCompared() {
    assertThat(notRunnable("copy", "buf = p.mmap 2M " + RW, "p.fill buf 2M 6", "c = p.fork", "reclaim")).get().asString()
        .contains("line 6 (reclaim): the executor's reclaim is MADV_PAGEOUT in each process");
    assertThat(notRunnable("copy", "buf = p.mmap 2M " + RW, "p.fill buf 2M 6", "p.fork", "reclaim")).isPresent();
    assertThat(notRunnable("copy", "buf = p.mmap 2M " + RW, "p.fill buf 2M 6", "c = p.fork", "c.exit", "reclaim")).isEmpty();
    assertThat(notRunnable("copy", "buf = p.mmap 2M " + RW, "p.fill buf 2M 6", "c = p.fork", "c.exec", "reclaim")).isEmpty();
  }

  /** This machine's compaction moves what its own free memory decides: a frame read after one is not compared. */
  @Test
  void aFrameReadAfterACompactionIsNotCompared() {
    assertThat(notRunnable("copy", "buf = p.mmap 1M " + RW, "p.fill buf 1M 1", "f = p.frame buf", "compact", "g = p.frame buf"))
        .get().asString().contains("line 7 (p.frame buf): compaction here works through all of this machine's memory");
    assertThat(notRunnable("copy", "buf = p.mmap 1M " + RW, "p.fill buf 1M 1", "f = p.frame buf", "compact")).isEmpty();
  }

  @Test
  void whatHasNoUserspaceViewIsNotRunnableWithTheReason() {
    assertThat(notRunnable("copy", "buf = p.malloc 4K", "n = p.refcount buf")).get().asString()
        .contains("page_ref_count) has no /proc view");
    assertThat(notRunnable("copy", "buf = p.malloc 4K", "check \"pinned\" p.maybe_pinned buf")).get().asString()
        .contains("folio_maybe_dma_pinned has no /proc view");
    assertThat(notRunnable("copy", "buf = p.malloc 4K", "x = p.pin buf 4K FOLL_WRITE")).get().asString()
        .contains("a pin without FOLL_LONGTERM");
    assertThat(notRunnable("copy", "buf = p.malloc 4K", "x = p.pin buf 4K FOLL_WRITE|FOLL_LONGTERM|FOLL_FORCE")).get().asString()
        .contains("FOLL_FORCE");
    assertThat(notRunnable("backed-longterm", "buf = p.malloc 4K", "o = p.userptr buf 4K READ_ONLY")).get().asString()
        .contains("a read-only import has no long-term analogue");
    assertThat(notRunnable("copy", "buf = p.malloc 4K", "o = p.userptr buf 4K READ_ONLY")).isEmpty();
    assertThat(notRunnable("copy", "f = file f 4K 1", "t = tmpfile t 4K", "m = memfd m 4K", "truncate m 0")).isEmpty();
  }

  @Test
  void aLongTermPinInTheCallersNameNeedsGupTest() {
    assumeFalse(RealHost.here().gupTest(), "this kernel has CONFIG_GUP_TEST");
    assertThat(notRunnable("copy", "buf = p.malloc 4K", "x = p.pin buf 4K FOLL_LONGTERM")).get().asString()
        .endsWith("a long-term pin in the caller's name needs CONFIG_GUP_TEST (/sys/kernel/debug/gup_test), which this kernel lacks");
  }

  /** MADV_PAGEOUT on a machine with no swap: a swap file for the run takes the pages. Needs root. */
  @Test
  void aSwapFileTakesPagedOutMemoryForTheRun() throws Exception {
    RealHost host = RealHost.here();
    assumeTrue(host.root(), "needs root");
    assumeFalse(host.swap(), "swap is on already");
    String text = program("buf = p.mmap 64K " + RW,
        "p.fill buf 64K 6",
        "p.madvise buf 64K MADV_PAGEOUT",
        "skip \"the pages stayed\" if not p.swapped buf 64K",
        "skip \"a swapped page has a frame\" if p.frame buf != 0",
        "skip \"done\" if p.sees buf 64K 6");
    Program program = Parser.parse("p.scenario", text);
    assertThat(SwapFile.needed(program)).isTrue();
    java.nio.file.Path dir = SwapFile.directory();
    try (Session s = NativeExecutor.start()) {
      StringBuilder why = new StringBuilder();
      SwapFile swap = SwapFile.on(s, dir.resolve("swapfile"), why).orElseThrow(() -> new AssertionError(why));
      try {
        endsAtTheLastSkip(RealProgram.run(program, "copy", Strategies.contract("copy"), s, true), text);
      } finally {
        swap.off(s, NativeExecutor::start, false);
      }
    } finally {
      java.nio.file.Files.deleteIfExists(dir);
    }
    assertThat(RealHost.here().swap()).isFalse();
  }
}
