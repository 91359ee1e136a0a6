package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.inject.LabModule;
import org.userptrlab.core.spi.UserptrFlag;
import org.userptrlab.lab.scenarios.Catalogue;
import org.userptrlab.gem.DrmDevice;
import org.userptrlab.gem.DrmFile;
import org.userptrlab.mm.Errno;
import org.userptrlab.mm.Foll;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.Mman;
import org.userptrlab.mm.MmException;
import org.userptrlab.mm.Process;

/**
 * Bad command lines and bad library calls: each is refused with one line (exit 2) or the kernel's
 * errno and a message a person can act on, never a stack trace, and a refused call leaves the
 * machine as it was.
 */
class BadInputTest {
  @TempDir static Path tmp;

  static Stream<Arguments> badCommandLines() throws IOException {
    Path file = Files.createTempFile("userptr-lab", ".txt");
    file.toFile().deleteOnExit();
    String under = file.resolve("sub").toString();
    return Stream.of(
        Arguments.of(new String[] {"compare", "--strategies", "nope"}, "no strategy 'nope' on the class path; there are"),
        Arguments.of(new String[] {"compare", "--profiles", "nope"}, "no platform profile 'nope'; there are exynos4-2012"),
        Arguments.of(new String[] {"sweep", "--from", "0"}, "--from must be at least 1 byte"),
        Arguments.of(new String[] {"sweep", "--from", "64K", "--to", "4K"}, "--from (64 KiB) must not be larger than --to (4 KiB)"),
        Arguments.of(new String[] {"sweep", "--from", "4611686018427387904"}, "must not be larger than --to"),
        Arguments.of(new String[] {"sweep", "--to", "4611686018427387904"}, "--to must be at most 1G"),
        Arguments.of(new String[] {"sweep", "--to", "2G"}, "--to must be at most 1G"),
        Arguments.of(new String[] {"sweep", "--from", "99999999999999999999"}, "too large a size"),
        Arguments.of(new String[] {"sweep", "--from", "16E"}, "is not a size"),
        Arguments.of(new String[] {"sweep", "--strategies", "copy"}, "give at least two to --strategies"),
        Arguments.of(new String[] {"compare", "--strategies", ","}, "--strategies needs a comma-separated list of names"),
        Arguments.of(new String[] {"compare", "--strategies", "copy,,steal"}, "without empty ones"),
        Arguments.of(new String[] {"compare", "--profiles", ","}, "--profiles needs a comma-separated list of names"),
        Arguments.of(new String[] {"compare", "--kernels", ","}, "--kernels needs at least one kernel, such as 3.4 or 5.10"),
        Arguments.of(new String[] {"explore", "--shard", "3/2"}, "--shard must be K/N with 1 <= K <= N, such as 2/8: 3/2"),
        Arguments.of(new String[] {"explore", "--shard", "x"}, "--shard must be K/N"),
        Arguments.of(new String[] {"explore", "--programs", "0"}, "--programs must be at least 1: 0"),
        Arguments.of(new String[] {"show", "nope"}, "no scenario 'nope'; there are texture-upload-loop"),
        Arguments.of(new String[] {"run", "/nonexistent/x.scenario"}, "no file /nonexistent/x.scenario"),
        Arguments.of(new String[] {"diff", "/nonexistent/x.scenario"}, "no file /nonexistent/x.scenario"),
        Arguments.of(new String[] {"diff", "--explore", "0"}, "--explore takes a number of programs of at least 1, not 0"),
        Arguments.of(new String[] {"diff", "--catalogue", "--strategies", "nope"}, "no strategy 'nope' on the class path"),
        Arguments.of(new String[] {"calibrate", "--out", "/nonexistent/dir/host.json"}, "no directory /nonexistent/dir"),
        Arguments.of(new String[] {"compare", "--profile-file", "/nonexistent/host.json"}, "no profile file /nonexistent/host.json"),
        Arguments.of(new String[] {"merge", "/nonexistent"}, "merge: /nonexistent holds no explore.json"),
        Arguments.of(new String[] {"compare", "--eras", ","}, "--kernels needs at least one kernel, such as 3.4 or 5.10"),
        Arguments.of(new String[] {"compare", "--kernels", "3.4,,6.12"}, "'' is not a kernel release; write it as major.minor, such as 5.10"),
        Arguments.of(new String[] {"compare", "--kernels", "2.6"}, "kernel 2.6 is older than the model follows; the oldest is 3.0"),
        Arguments.of(new String[] {"compare", "--strategies", "copy,copy"}, "strategy copy is named twice"),
        Arguments.of(new String[] {"compare", "--kernels", "3.4,3.4"}, "is named twice"),
        Arguments.of(new String[] {"compare", "--profiles", "exynos4-2012,exynos4-2012"}, "profile exynos4-2012 is named twice"),
        Arguments.of(new String[] {"compare", "--scenarios", "nope"}, "no scenario 'nope'; there are texture-upload-loop"),
        Arguments.of(new String[] {"compare", "--scenarios", "heap-growth,heap-growth"}, "names a scenario twice"),
        Arguments.of(new String[] {"compare", "--svg", under}, "cannot create the directory"),
        Arguments.of(new String[] {"compare", "--out", file.toString()}, "a file of that name is in the way"),
        Arguments.of(new String[] {"compare", "--ram", "1X"}, "'1X' is not a size"),
        Arguments.of(new String[] {"compare", "--ram", "3M"}, "ram must be a whole number of pages, at least 4 MiB"),
        Arguments.of(new String[] {"compare", "--ram", "4097"}, "ram must be a whole number of pages"),
        Arguments.of(new String[] {"compare", "--ram", "1T"}, "more than the model's largest machine"),
        Arguments.of(new String[] {"compare", "--swap", "1T"}, "more than the model's largest swap device"),
        Arguments.of(new String[] {"compare", "--cpus", "0"}, "cpus must be 1..64"),
        Arguments.of(new String[] {"compare", "--cpus", "65"}, "cpus must be 1..64"),
        Arguments.of(new String[] {"compare", "--cpus", "two"}, "Invalid value for option '--cpus'"),
        Arguments.of(new String[] {"compare", "--memlock=-5"}, "'-5' is not a size"),
        Arguments.of(new String[] {"compare", "--threads", "0"}, "threads must be at least 1"),
        Arguments.of(new String[] {"compare", "--format", "xml"}, "Invalid value for option '--format'"),
        Arguments.of(new String[] {"compare", "--seed", "abc"}, "Invalid value for option '--seed'"),
        Arguments.of(new String[] {"compare", "--bogus"}, "Unknown option: '--bogus'"),
        Arguments.of(new String[] {"frobnicate"}, "Unmatched argument at index 0: 'frobnicate'"),
        Arguments.of(new String[] {"compare", "--sweep-to", "2G"}, "--sweep-to must be at most 1G"),
        Arguments.of(new String[] {"compare", "--sweep-from", "0"}, "--sweep-from must be at least 1 byte"));
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("badCommandLines")
  void aBadCommandLineIsOneLineAndExitTwoBeforeAnyWork(String[] args, String message) {
    CliTest.Result r = CliTest.run(args);
    assertThat(r.code()).as(r.err()).isEqualTo(Cli.USAGE);
    assertThat(r.out()).isEmpty();
    String first = r.err().lines().findFirst().orElse("");
    assertThat(first).startsWith("userptr-lab: ").contains(message);
    assertThat(r.err().lines().count()).isLessThanOrEqualTo(2);
    assertThat(r.err()).doesNotContain("Exception", "\tat ");
  }

  /** A machine with a program that has some memory, and the driver open. */
  static final class Rig {
    final Machine m = new Machine(MachineConfig.builder().ram(64L << 20).build());
    final Process p = m.spawn("app");
    final long buf = p.mmap(0, 1L << 20, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);

    Rig() {
      p.fill(buf, 1L << 20, 1);
    }
  }

  static Stream<Arguments> badLibraryCalls() {
    return Stream.of(
        call("Process.read with a negative length", Errno.EINVAL, "must not be negative", r -> () -> r.p.read(r.buf, -1)),
        call("a call on an exited process", Errno.ESRCH, "has exited", r -> {
          Process dead = r.m.spawn("gone");
          dead.exit();
          return () -> dead.mmap(0, 4096, Mman.PROT_READ, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
        }),
        call("get_user_pages on an exited process", Errno.EFAULT, "its mm is gone", r -> {
          Process dead = r.m.spawn("gone");
          dead.exit();
          return () -> r.m.kernel().getUserPages(dead, r.buf, 1, Foll.FOLL_GET);
        }),
        call("copy_from_user into a pfn beyond RAM", Errno.EFAULT, "not a frame of this machine",
            r -> () -> r.m.kernel().copyFromUser(r.p, r.buf, new int[] {1 << 30}, 0, 4096)),
        call("a file of negative size", Errno.EINVAL, "size -1", r -> () -> r.m.createFile("f", -1)),
        call("a process with no name", Errno.EINVAL, "needs a name", r -> () -> r.m.spawn(null)),
        call("mmap of 1 TiB on a 64 MiB machine without swap", Errno.ENOMEM, "vm.overcommit_memory=0",
            r -> () -> r.p.mmap(0, 1L << 40, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS)),
        call("get_user_pages with an unknown FOLL_ bit", Errno.EINVAL, "unknown gup_flags 0x4",
            r -> () -> r.m.kernel().getUserPages(r.p, r.buf, 1, Foll.FOLL_GET | 1 << 2)),
        call("get_user_pages of no pages", Errno.EINVAL, "nr_pages must be positive",
            r -> () -> r.m.kernel().getUserPages(r.p, r.buf, 0, Foll.FOLL_GET)),
        call("pin_user_pages of an unaligned start", Errno.EINVAL, "not page aligned",
            r -> () -> r.m.kernel().pinUserPages(r.p, r.buf + 1, 1, Foll.FOLL_PIN)),
        call("shmem_file_setup of 0 bytes", Errno.EINVAL, "must be positive", r -> () -> r.m.kernel().shmemFileSetup("bo", 0)),
        call("munmap of an unaligned address", Errno.EINVAL, "", r -> () -> r.p.munmap(r.buf + 1, 4096)),
        call("mlock past RLIMIT_MEMLOCK", Errno.ENOMEM, "RLIMIT_MEMLOCK", r -> {
          r.p.setrlimitMemlock(4096, 4096);
          return () -> r.p.mlock(r.buf, 1L << 20);
        }),
        call("madvise with unknown advice", Errno.EINVAL, "", r -> () -> r.p.madvise(r.buf, 4096, 12345)),
        call("a 1 TiB GEM object's first GPU job", Errno.ENOMEM, "pages of RAM and swap", r -> {
          DrmDevice dev = device(r);
          DrmFile f = dev.open(r.p);
          int h = f.create(1L << 40);
          return () -> dev.gpu().reads(f, h, 1);
        }),
        call("GEM create of Long.MAX_VALUE bytes", Errno.EINVAL, "past the largest object", r -> {
          DrmFile f = device(r).open(r.p);
          return () -> f.create(Long.MAX_VALUE);
        }),
        call("GEM create of 0 bytes", Errno.EINVAL, "must be positive", r -> {
          DrmFile f = device(r).open(r.p);
          return () -> f.create(0);
        }),
        call("a userptr of an unmapped range", Errno.EFAULT, "is not mapped", r -> {
          DrmFile f = device(r).open(r.p);
          return () -> f.userptr(r.buf + (2L << 20), 4096, Set.<UserptrFlag>of());
        }),
        call("a userptr of no bytes", Errno.EINVAL, "must not be empty", r -> {
          DrmFile f = device(r).open(r.p);
          return () -> f.userptr(r.buf, 0, Set.<UserptrFlag>of());
        }));
  }

  private static DrmDevice device(Rig r) {
    return com.google.inject.Guice.createInjector(com.google.inject.util.Modules.override(new LabModule(
            MachineConfig.builder().build(), org.userptrlab.core.driver.DriverLimits.DEFAULT, "copy"))
        .with(b -> b.bind(Machine.class).toInstance(r.m))).getInstance(DrmDevice.class);
  }

  /** Sets the stage on a fresh rig and returns the one call that must fail. */
  interface Setup {
    Runnable prepare(Rig r);
  }

  private static Arguments call(String name, Errno errno, String message, Setup setup) {
    return Arguments.of(name, errno, message, setup);
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("badLibraryCalls")
  void aBadLibraryCallGetsTheKernelsErrnoAndChangesNothing(String name, Errno errno, String message, Setup setup) {
    Rig r = new Rig();
    Runnable failing = setup.prepare(r);
    long before = r.m.stateHash();
    assertThatThrownBy(failing::run).as(name).isInstanceOfSatisfying(MmException.class, e -> {
      assertThat(e.errno()).isEqualTo(errno);
      assertThat(e.getMessage()).startsWith(errno.name() + ": ").contains(message);
    });
    assertThat(r.m.stateHash()).as("%s changed the machine", name).isEqualTo(before);
    r.m.checkInvariants();
  }

  static Stream<Arguments> badConfigurations() {
    return Stream.of(
        Arguments.of("cma plus movable near Long.MAX_VALUE", (Runnable) () -> MachineConfig.builder().ram(256L << 20)
            .cma(Long.MAX_VALUE - 4095).movable(Long.MAX_VALUE - 4095).build(), "cma (" ),
        Arguments.of("1 TiB of swap", (Runnable) () -> MachineConfig.builder().swap(1L << 40).build(), "largest swap device"),
        Arguments.of("a negative RLIMIT_MEMLOCK", (Runnable) () -> MachineConfig.builder().memlock(-2).build(), "memlock must be"));
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("badConfigurations")
  void aBadMachineIsRefusedWithEinval(String name, Runnable build, String message) {
    assertThatThrownBy(build::run).as(name).isInstanceOfSatisfying(MmException.class, e -> {
      assertThat(e.errno()).isEqualTo(Errno.EINVAL);
      assertThat(e.getMessage()).contains(message);
    });
  }

  static Stream<Arguments> badHarnessCalls() {
    Comparison cmp = new Comparison(LabOptions.builder().strategies("copy").kernels(KernelConfig.LINUX_6_12).build());
    RunResult run = cmp.run(Catalogue.byName("heap-growth"), "copy", KernelConfig.LINUX_6_12);
    return Stream.of(
        Arguments.of("the cost under a profile the run was not priced under", (Runnable) () -> run.cost("typo"),
            "not priced under a profile 'typo'; it was priced under exynos4-2012"),
        Arguments.of("a run under an unknown strategy", (Runnable) () -> cmp.run(Catalogue.byName("heap-growth"), "nope",
            KernelConfig.LINUX_6_12), "no strategy 'nope' on the class path"),
        Arguments.of("options naming a strategy twice", (Runnable) () -> LabOptions.builder().strategies("copy", "copy").build(),
            "strategy copy is named twice"),
        Arguments.of("options with no kernel", (Runnable) () -> LabOptions.builder().kernels(java.util.List.of()).build(),
            "no kernel given"),
        Arguments.of("options with no profile", (Runnable) () -> LabOptions.builder().profiles(java.util.List.of()).build(),
            "no platform profile given"),
        Arguments.of("an unknown scenario", (Runnable) () -> Catalogue.byName("nope"), "no scenario 'nope'"),
        Arguments.of("a profile lacking a figure", (Runnable) () -> org.userptrlab.core.cost.PlatformProfile.builder("half", "x")
            .set(org.userptrlab.core.cost.Parameter.FAULT, 1, "x").build(), "lacks a figure for"));
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("badHarnessCalls")
  void aBadHarnessCallIsAnIllegalArgumentSayingWhatWouldDo(String name, Runnable call, String message) {
    assertThatThrownBy(call::run).as(name).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    assertThat(Profiles.names()).isNotEmpty();
  }
}
