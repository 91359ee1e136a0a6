package org.userptrlab.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.stream.Stream;
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
 * Bad library calls: each is refused with the kernel's errno and a message a person can act on, and
 * a refused call leaves the machine as it was. Bad command lines are the table in {@code badinput}.
 */
class BadInputTest {
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
