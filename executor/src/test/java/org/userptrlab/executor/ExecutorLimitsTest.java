package org.userptrlab.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The executor sets no limits of its own (a program may have as many processes, objects and pipes
 * as the machine lets it open), says so where it meets the machine's, tells the failures of an
 * analogue from the operation's own, and is reported as dead, with its signal, when it dies.
 */
class ExecutorLimitsTest {
  @BeforeAll
  static void here() {
    Availability a = NativeExecutor.availability();
    assumeTrue(a.available(), a.reason());
  }

  private static long buffer(Session s, long bytes) {
    Reply r = s.send("0 mmap " + bytes + " 3 34");
    assertThat(r.ok()).isTrue();
    return r.value();
  }

  @Test
  void aProgramMayHaveMoreThan64ProcessesAndObjects() {
    try (Session s = NativeExecutor.start()) {
      assertThat(s.send("0 spawn").ok()).isTrue();
      for (int i = 1; i <= 80; i++) {
        Reply r = s.send("0 fork " + i);
        assertThat(r.ok()).as("fork %d: %s", i, r).isTrue();
      }
      assertThat(s.send("80 status").ok()).isTrue();
      long a = buffer(s, 4096);
      Reply last = null;
      for (int i = 0; i < 80; i++) {
        last = s.send("0 userptr copy " + a + " 4096");
        assertThat(last.ok()).as("import %d: %s", i, last).isTrue();
      }
      assertThat(s.send("0 gpu_sees " + last.value() + " 0 4096 1 0").ok()).isTrue();
    }
  }

  /** 96 MiB under pin takes a pipe per MiB: more than 64, and more files than one message can carry. */
  @Test
  void aRangeMayTakeMoreThan64Pipes() {
    long len = 96L << 20;
    try (Session s = NativeExecutor.start()) {
      s.send("0 spawn");
      long a = buffer(s, len);
      assertThat(s.send("0 fill " + a + " " + len + " 5").ok()).isTrue();
      Reply r = s.send("0 userptr pin " + a + " " + len);
      assertThat(r.ok()).as("%s", r).isTrue();
      assertThat(s.send("0 gpu_sees " + r.value() + " 0 " + len + " 5 0").value()).isEqualTo(1);
    }
  }

  @Test
  void runningOutOfFilesIsTheMachinesLimitNotTheOperationsErrno() {
    try (Session s = NativeExecutor.start(24)) {
      s.send("0 spawn");
      long a = buffer(s, 64L << 20);
      Reply r = s.send("0 userptr pin " + a + " " + (64L << 20));
      assertThat(r.ok()).isFalse();
      assertThat(r.origin()).isEqualTo(Reply.Origin.LIMIT);
      assertThat(r.call()).isEqualTo("pipe2");
      assertThat(r.errno()).isEqualTo(24);
      assertThat(s.send("0 userptr pin " + a + " 4096").ok()).as("the process goes on").isTrue();
    }
  }

  /**
   * The device's memory takes a file for its first transfer: a job whose router holds as many files
   * as it may is refused as the machine's limit, naming the call, and the next job, once an object
   * gave its file back, runs.
   */
  @Test
  void aJobTheDevicesMemoryHasNoFileForIsTheMachinesLimit() {
    try (Session s = NativeExecutor.start(24)) {
      s.send("0 spawn");
      long a = buffer(s, 4096);
      assertThat(s.send("0 fill " + a + " 4096 5").ok()).isTrue();
      List<Long> objects = new java.util.ArrayList<>();
      Reply r;
      while ((r = s.send("0 userptr copy " + a + " 4096")).ok()) {
        objects.add(r.value());
      }
      assertThat(r.origin()).as("the router is out of files").isEqualTo(Reply.Origin.LIMIT);
      Reply job = s.send("0 gpu_sees " + objects.get(0) + " 0 4096 5 0");
      assertThat(job.ok()).isFalse();
      assertThat(job.origin()).isEqualTo(Reply.Origin.LIMIT);
      assertThat(job.call()).isEqualTo("memfd_create");
      assertThat(job.errno()).isEqualTo(24);
      assertThat(s.send("0 close " + objects.get(0)).ok()).isTrue();
      assertThat(s.send("0 gpu_sees " + objects.get(1) + " 0 4096 5 0").value()).as("the job sees the bytes").isEqualTo(1);
    }
  }

  /**
   * A hole in the range is EFAULT under every analogue, mlock's too: it gets the pages first, as the
   * Exynos patch's get_user_pages does, and sets VM_LOCKED only on an import that has them.
   */
  @Test
  void aHoleIsEfaultUnderEveryAnalogue() {
    try (Session s = NativeExecutor.start()) {
      s.send("0 spawn");
      long a = buffer(s, 16384);
      assertThat(s.send("0 munmap " + (a + 4096) + " 4096").ok()).isTrue();
      for (String analogue : List.of("copy", "longterm", "pin", "mlock", "steal")) {
        Reply r = s.send("0 userptr " + analogue + " " + a + " 16384");
        assertThat(r.ok()).as(analogue).isFalse();
        assertThat(r.errno()).as("%s: %s", analogue, r).isEqualTo(14);
        assertThat(r.signal()).as(analogue).isZero();
        assertThat(r.origin()).as(analogue).isEqualTo(Reply.Origin.OPERATION);
      }
    }
  }

  /**
   * The mlock analogue locks every VMA the range touches, whole, and faults nothing in
   * (MLOCK_ONFAULT), as the Exynos patch sets VM_LOCKED; closing the object unlocks them.
   */
  @Test
  void theMlockAnalogueLocksTheWholeVmaUntilTheObjectIsClosed() {
    try (Session s = NativeExecutor.start()) {
      s.send("0 spawn");
      long a = buffer(s, 64 * 4096);
      Reply imported = s.send("0 userptr mlock " + (a + 8 * 4096) + " 4096");
      assertThat(imported.ok()).as(imported.toString()).isTrue();
      assertThat(imported.vmlckKb()).as("the whole 256 KiB VMA, for a page of it").isEqualTo(256);
      assertThat(s.send("0 populated " + (a + 32 * 4096)).value()).as("nothing else faulted in").isZero();
      Reply closed = s.send("0 close " + imported.value());
      assertThat(closed.ok()).isTrue();
      assertThat(closed.vmlckKb()).isZero();
    }
  }

  /**
   * A call on a range that runs past the program's mapping into the executor's own memory (libc's,
   * ld.so's, the stack) is refused as the analogue's, and changes nothing there: the real call would
   * have made the executor's own pages read-only, unmapped or locked, where the model's process has none.
   */
  @Test
  void aRangeCallReachingTheExecutorsOwnMemoryIsRefusedAndChangesNothing() {
    try (Session s = NativeExecutor.start()) {
      s.send("0 spawn");
      long a = s.send("0 malloc 1048576").value();
      long past = 1L << 40;
      for (String call : List.of("mprotect " + a + " " + past + " 1", "munmap " + a + " " + past, "mlock " + a + " " + past,
          "madvise " + a + " " + past + " 4", "munlock " + a + " " + past)) {
        Reply r = s.send("0 " + call);
        assertThat(r.origin()).as(call).isEqualTo(Reply.Origin.ANALOGUE);
        assertThat(r.call()).as(call).isEqualTo("own memory");
      }
      assertThat(s.send("0 fill " + a + " 1048576 1").ok()).as("the buffer is still mapped and writable").isTrue();
      assertThat(s.send("0 sees " + a + " 1048576 1 0").value()).as("and still holds what was written").isEqualTo(1);
      assertThat(s.send("0 status").ok()).as("the process lives on").isTrue();
    }
  }

  /** Memory the model's process does not have (libc's, the stack) is not the program's to touch, nor glibc's free to abort on. */
  @Test
  void theExecutorsOwnMemoryAndAForeignFreeAreTheAnaloguesFailures() {
    try (Session s = NativeExecutor.start()) {
      s.send("0 spawn");
      long a = s.send("0 malloc 1048576").value();
      Reply wild = s.send("0 fill " + a + " " + (1L << 30) + " 1");
      assertThat(wild.origin()).isEqualTo(Reply.Origin.ANALOGUE);
      assertThat(wild.call()).isEqualTo("own memory");
      assertThat(s.send("0 fill " + a + " 1048576 1").ok()).isTrue();
      assertThat(s.send("0 free " + a).ok()).isTrue();
      Reply again = s.send("0 free " + a);
      assertThat(again.origin()).isEqualTo(Reply.Origin.ANALOGUE);
      assertThat(again.call()).isEqualTo("free");
      assertThat(s.send("0 status").ok()).as("the process lives on").isTrue();
    }
  }

  @Test
  void anExecutorKilledUnderACommandIsReportedWithItsSignal() throws Exception {
    try (Session s = NativeExecutor.start()) {
      s.send("0 spawn");
      ProcessHandle executor = ProcessHandle.of(s.pid()).orElseThrow();
      executor.destroyForcibly();
      executor.onExit().get(10, TimeUnit.SECONDS);
      assertThatThrownBy(() -> s.send("0 status")).isInstanceOf(ExecutorDied.class)
          .hasMessage("the executor died of signal 9 (SIGKILL) while running '0 status'")
          .satisfies(e -> assertThat(((ExecutorDied) e).signal()).isEqualTo(9));
    }
  }

  @Test
  void theCachedBinaryIsKeyedBySourceCompilerAndFlags() {
    byte[] source = "int main(void) { return 0; }\n".getBytes(StandardCharsets.UTF_8);
    byte[] changed = "int main(void) { return 1; }\n".getBytes(StandardCharsets.UTF_8);
    String key = NativeExecutor.digest(source, "cc", List.of("-O2"));
    assertThat(NativeExecutor.digest(source, "cc", List.of("-O2"))).isEqualTo(key);
    assertThat(NativeExecutor.digest(changed, "cc", List.of("-O2"))).isNotEqualTo(key);
    assertThat(NativeExecutor.digest(source, "clang", List.of("-O2"))).isNotEqualTo(key);
    assertThat(NativeExecutor.digest(source, "cc", List.of("-O0"))).isNotEqualTo(key);
  }

  /** The cache keeps the newest builds of the executor only, and leaves what is not a build alone. */
  @Test
  void theCacheKeepsTheNewestBuildsOnly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    List<java.nio.file.Path> built = new java.util.ArrayList<>();
    for (int i = 0; i < NativeExecutor.KEPT_BUILDS + 2; i++) {
      java.nio.file.Path f = java.nio.file.Files.writeString(dir.resolve(String.format("upl-exec-%016x", i)), "binary");
      java.nio.file.Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(1_000_000L * (i + 1)));
      built.add(f);
    }
    java.nio.file.Path source = java.nio.file.Files.writeString(dir.resolve("upl-exec12345.c"), "a build's source, mid-way");
    java.nio.file.Path other = java.nio.file.Files.writeString(dir.resolve("upl-exec-notes"), "not a build");
    java.nio.file.Files.setLastModifiedTime(source, java.nio.file.attribute.FileTime.fromMillis(0));
    NativeExecutor.prune(dir, NativeExecutor.KEPT_BUILDS);
    assertThat(built.subList(0, 2)).as("the two oldest builds").noneMatch(java.nio.file.Files::exists);
    assertThat(built.subList(2, built.size())).as("the newest").allMatch(java.nio.file.Files::exists);
    assertThat(source).exists();
    assertThat(other).exists();
  }

  @Test
  void aReplyNamesWhoseFailureItIs() {
    Reply limit = Reply.parse("{\"ok\":false,\"errno\":24,\"limit\":true,\"call\":\"pipe2\",\"ns\":5,\"vmlck\":0,\"vmpin\":0}");
    assertThat(limit.origin()).isEqualTo(Reply.Origin.LIMIT);
    assertThat(limit.call()).isEqualTo("pipe2");
    assertThat(Reply.parse("{\"ok\":false,\"errno\":14}").origin()).isEqualTo(Reply.Origin.OPERATION);
    assertThat(Reply.parse("{\"ok\":true,\"value\":4096,\"displaced\":true,\"ns\":5}").displaced()).isTrue();
    assertThat(Reply.parse("{\"ok\":true,\"value\":4096,\"ns\":5}").displaced()).isFalse();
  }
}
