package org.userptrlab.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The executor on this machine's kernel: the facts each analogue rests on, where it can run. */
class NativeExecutorTest {
  @BeforeAll
  static void here() {
    Availability a = NativeExecutor.availability();
    assumeTrue(a.available(), a.reason());
  }

  private static long addr(Session s, long bytes) {
    Reply r = s.send("0 memalign 4096 " + bytes);
    assertThat(r.ok()).isTrue();
    return r.value();
  }

  /** The RssAnon of process {@code pid}, in kB. */
  private static long rssAnonKb(long pid) throws java.io.IOException {
    return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status")).stream()
        .filter(l -> l.startsWith("RssAnon:")).mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst()
        .orElseThrow();
  }

  /**
   * The device's memory is its own: a job's bytes land in memory the router keeps from one job to the next, as a
   * driver's job frees no frame of the system's that the program's next fault could take warm; jobs on objects of
   * other sizes and analogues read their own bytes in it all the same.
   */
  @Test
  void theDevicesMemoryStaysTheRoutersFromOneJobToTheNext() throws Exception {
    try (Session s = NativeExecutor.start()) {
      s.send("0 spawn");
      long big = addr(s, 1 << 20);
      long small = addr(s, 16384);
      assertThat(s.send("0 fill " + big + " 1048576 7").ok()).isTrue();
      assertThat(s.send("0 fill " + small + " 16384 8").ok()).isTrue();
      long copy = s.send("0 userptr copy " + big + " 1048576").value();
      long pinned = s.send("0 userptr pin " + small + " 16384").value();
      long before = rssAnonKb(s.pid());
      assertThat(s.send("0 gpu_sees " + copy + " 0 1048576 7 0").value()).isEqualTo(1);
      long kept = rssAnonKb(s.pid());
      assertThat(kept - before).as("the 1 MiB the job's bytes landed in, still the router's").isGreaterThanOrEqualTo(1024);
      assertThat(s.send("0 gpu_sees " + pinned + " 0 16384 8 0").value()).as("a smaller object, through a pipe").isEqualTo(1);
      assertThat(s.send("0 gpu_sees " + copy + " 0 1048576 7 0").value()).as("the first again").isEqualTo(1);
      assertThat(s.send("0 gpu_sees " + pinned + " 0 16384 9 0").value()).as("another seed is not there").isZero();
      assertThat(rssAnonKb(s.pid())).as("no more memory for the later jobs").isLessThan(kept + 1024);
    }
  }

  /** io_sqe_buffer_register pins with FOLL_LONGTERM and charges pinned_vm; unregistering gives it back. */
  @Test
  void anIoUringFixedBufferIsChargedToPinnedVmUntilItGoes() {
    try (Session s = NativeExecutor.start()) {
      s.send("0 spawn");
      long a = addr(s, 16384);
      assertThat(s.send("0 fill " + a + " 16384 1").ok()).isTrue();
      Reply imported = s.send("0 userptr longterm " + a + " 16384");
      assertThat(imported.ok()).isTrue();
      assertThat(imported.vmpinKb()).isEqualTo(16);
      assertThat(s.send("0 gpu_sees " + imported.value() + " 0 16384 1 0").value()).isEqualTo(1);
      assertThat(s.send("0 close " + imported.value()).vmpinKb()).isZero();
    }
  }

  /**
   * What the executor does only because it has no driver is said apart from a step's time: the pipe
   * an import by reference fills, the second pipe a GPU read of it empties, the ring a long-term
   * import registers through, the buffer a disk file is written from, and for every GPU read the
   * device's own memory it lands in and the check of its bytes; the copy analogue's object is its
   * memfd, so its read has no more than those. An object's release empties its pipes and closes them
   * empty, the close scaffolding. A mapping of a file opens it through the router first, and a
   * refused import closes what it made: both scaffolding too.
   */
  @Test
  void theAnaloguesScaffoldingIsSaidApartFromAStepsTime() {
    try (Session s = NativeExecutor.start()) {
      s.send("0 spawn");
      long a = addr(s, 16384);
      assertThat(s.send("0 fill " + a + " 16384 1").scaffoldNanos()).as("a program's own write").isZero();
      Reply pinned = s.send("0 userptr pin " + a + " 16384");
      assertThat(pinned.ok()).isTrue();
      assertThat(pinned.scaffoldNanos()).as("pipe2 and F_SETPIPE_SZ").isPositive();
      assertThat(pinned.nanos()).as("vmsplice's get_user_pages").isPositive();
      assertThat(s.send("0 gpu_sees " + pinned.value() + " 0 16384 1 0").scaffoldNanos()).as("the tee into a second pipe")
          .isPositive();
      Reply released = s.send("0 close " + pinned.value());
      assertThat(released.scaffoldNanos()).as("the emptied pipes' close").isPositive();
      assertThat(released.nanos()).as("the splice to /dev/null that drops the page references").isPositive();
      Reply ring = s.send("0 userptr longterm " + a + " 16384");
      assertThat(ring.scaffoldNanos()).as("memfd_create and io_uring_setup").isPositive();
      assertThat(s.send("0 close " + ring.value()).scaffoldNanos()).as("the ring's mappings and file").isPositive();
      Reply copied = s.send("0 userptr copy " + a + " 16384");
      Reply read = s.send("0 gpu_sees " + copied.value() + " 0 16384 1 0");
      assertThat(read.value()).as("the copy holds the bytes").isEqualTo(1);
      assertThat(read.scaffoldNanos()).as("the device's memory and the check, beside the pread of the object itself").isPositive();
      assertThat(read.nanos()).as("the pread").isPositive();
      Reply file = s.send("0 file_new 0 65536 5");
      assertThat(file.ok()).isTrue();
      assertThat(file.scaffoldNanos()).as("the staging buffer a disk file is written from").isPositive();
      // PROT_READ|PROT_WRITE, MAP_SHARED: the program's mapping of the router's file, through a descriptor of its own.
      Reply mapped = s.send("0 mmap_file " + file.value() + " 65536 3 1");
      assertThat(mapped.ok()).isTrue();
      assertThat(mapped.scaffoldNanos()).as("the open of /proc/ROUTER/fd/N and its close").isPositive();
      Reply refused = s.send("0 userptr longterm " + mapped.value() + " 65536");
      assertThat(refused.ok()).as("FOLL_LONGTERM on a shared mapping of a disk file").isFalse();
      assertThat(refused.scaffoldNanos()).as("the ring and memfd made and closed again").isPositive();
      // The lab's looks at the kernel's state, which no program makes: scaffolding whole.
      for (String look : new String[] {"frame " + a, "swapped " + a + " 16384", "populated " + a, "vm 1",
          "vma_flag " + a + " rd", "anon_huge " + a}) {
        Reply r = s.send("0 " + look);
        assertThat(r.ok()).as(look).isTrue();
        assertThat(r.nanos()).as(look).isZero();
        assertThat(r.scaffoldNanos()).as(look).isPositive();
      }
      assertThat(s.send("0 sees " + a + " 16384 3 0").nanos()).as("a program's own read of its memory").isPositive();
    }
  }

  /** Since 70e806e4e645 (5.9) fork copies a pinned page for the child, so the pin stays with the parent's writes. */
  /**
   * The router, which stands in for the device, and the program's processes share one CPU: a stand-in reading a
   * program's bytes from another CPU would pull them out of the program's cache, where a device's DMA leaves them.
   */
  @Test
  void theProgramsProcessesRunOnTheRoutersOneCpu() throws Exception {
    try (Session s = NativeExecutor.start()) {
      long parent = s.send("0 spawn").value();
      long child = s.send("0 fork 1").value();
      String router = cpusAllowed(s.pid());
      assertThat(router).as("one CPU").matches("\\d+");
      assertThat(cpusAllowed(parent)).isEqualTo(router);
      assertThat(cpusAllowed(child)).isEqualTo(router);
    }
  }

  private static String cpusAllowed(long pid) throws java.io.IOException {
    return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", Long.toString(pid), "status")).stream()
        .filter(l -> l.startsWith("Cpus_allowed_list:")).map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst()
        .orElseThrow();
  }

  @Test
  void afterForkALongTermPinFollowsTheParent() {
    try (Session s = NativeExecutor.start()) {
      s.send("0 spawn");
      long a = addr(s, 16384);
      s.send("0 fill " + a + " 16384 1");
      long obj = s.send("0 userptr longterm " + a + " 16384").value();
      assertThat(s.send("0 fork 1").ok()).isTrue();
      s.send("0 fill " + a + " 16384 3");
      assertThat(s.send("0 gpu_sees " + obj + " 0 16384 3 0").value()).as("the GPU sees the parent's write").isEqualTo(1);
      assertThat(s.send("1 sees " + a + " 16384 1 0").value()).as("the child keeps its copy").isEqualTo(1);
    }
  }

  /** A load from an address nothing maps takes SIGSEGV, reported, and the process goes on. */
  @Test
  void aFaultIsReportedAsItsSignal() {
    try (Session s = NativeExecutor.start()) {
      s.send("0 spawn");
      Reply r = s.send("0 readable 0");
      assertThat(r.ok()).isFalse();
      assertThat(r.signal()).isEqualTo(11);
      assertThat(s.send("0 malloc 64").ok()).isTrue();
    }
  }

  /** A failed call answers with the kernel's errno. */
  @Test
  void aFailedCallAnswersItsErrno() {
    try (Session s = NativeExecutor.start()) {
      s.send("0 spawn");
      Reply r = s.send("0 munmap 1 4096");
      assertThat(r.ok()).isFalse();
      assertThat(r.errno()).as("EINVAL: not page-aligned").isEqualTo(22);
    }
  }
}
