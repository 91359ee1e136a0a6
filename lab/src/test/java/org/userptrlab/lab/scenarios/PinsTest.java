package org.userptrlab.lab.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.RunResult.CheckOutcome;
import org.userptrlab.core.harness.RunResult.Verdict;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.mm.KernelConfig;

/**
 * The kernel's other users of a program's pages, as programs reach them (pins, io_uring's fixed
 * buffers, vmsplice's pipes), what a program reads of its own memory (/proc/PID/status, pagemap,
 * kpagecount, smaps), a failure taken as a value with {@code try}, and the userptr ioctl's READ_ONLY.
 */
class PinsTest {
  private static final Comparison CMP = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_3_4, KernelConfig.LINUX_6_12)
      .profiles(List.of(Profiles.all().get(0))).build());

  private static RunResult run(String strategy, KernelConfig kernel, String body) {
    String text = "scenario pins\nmachine ram 64M swap 64M\n\np = app app\n"
        + "buf = p.mmap 16K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n" + body;
    return CMP.run(new TextScenario("pins.scenario", Parser.parse("pins.scenario", text)), strategy, kernel);
  }

  private static void passes(KernelConfig kernel, String body) {
    RunResult r = run("copy", kernel, body);
    assertThat(r.checkOutcome()).as(kernel + ": " + r.summary()).isEqualTo(CheckOutcome.PASS);
  }

  @Test
  void ioUringFixedBuffersChargePinnedVmAndAreEnosysBeforeIoUring() {
    passes(KernelConfig.LINUX_6_12, "p.fill buf 16K 1\npin = p.iouring_register buf 16K\n"
        + "check \"pinned_vm holds the 4 pages\" p.vm_pin == 16K and p.maybe_pinned buf+8K and p.refcount buf > 1\n"
        + "release pin\ncheck \"and lets them go with the pin\" p.vm_pin == 0 and not p.maybe_pinned buf\n");
    for (String release : List.of("4.19", "5.4")) {
      boolean has = release.equals("5.4");
      passes(KernelConfig.linux(release), "r = try p.iouring_setup\ncheck \"io_uring_setup\" r == " + (has ? "OK" : "ENOSYS") + "\n");
    }
  }

  @Test
  void ioUringTookNoFileBackedBufferButShmemsBefore65() {
    String body = "f = file data 16K 1\nm = p.mmap_file f 16K PROT_READ|PROT_WRITE MAP_PRIVATE\nr = try p.iouring_register m 16K\n"
        + "g = memfd g 16K\nn = p.mmap_file g 16K PROT_READ|PROT_WRITE MAP_SHARED\ns = try p.iouring_register n 16K\n";
    passes(KernelConfig.linux("6.1"), body + "check \"a disk file's mapping is EOPNOTSUPP, with nothing left pinned\" "
        + "r == EOPNOTSUPP and s == OK and p.vm_pin == 16K and not p.maybe_pinned m\n");
    passes(KernelConfig.linux("6.5"), body + "check \"GUP decides: a private mapping is fine\" r == OK and s == OK\n");
  }

  /** An app raises RLIMIT_MEMLOCK to 1 GiB where it is lower, as GPU users are set up, and never lowers it. */
  @Test
  void anAppRaisesRlimitMemlockToOneGibButKeepsAHigherOne() {
    String body = "p = app app\nbuf = p.mmap 1200M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n"
        + "p.capability CAP_IPC_LOCK off\nr = try p.mlock2 buf 1100M MLOCK_ONFAULT\n";
    for (String memlock : List.of("64K", "2G")) {
      String text = "scenario limit\nmachine ram 2G memlock " + memlock + "\n" + body
          + "check \"mlock of 1100 MiB under the limit\" r == " + (memlock.equals("2G") ? "OK" : "ENOMEM") + "\n";
      RunResult r = CMP.run(new TextScenario("limit.scenario", Parser.parse("limit.scenario", text)), "copy", KernelConfig.LINUX_6_12);
      assertThat(r.checkOutcome()).as("memlock " + memlock + ": " + r.summary()).isEqualTo(CheckOutcome.PASS);
    }
  }

  @Test
  void aPinPastRlimitMemlockIsRefusedWithEnomemAndChangesNothing() {
    passes(KernelConfig.LINUX_6_12, "p.setrlimit_memlock 8K\np.capability CAP_IPC_LOCK off\nr = try p.iouring_register buf 16K\n"
        + "check \"ENOMEM\" r == ENOMEM and p.vm_pin == 0 and not p.maybe_pinned buf\n");
  }

  @Test
  void aReadOnlyPinOfTheZeropageInAPrivateMappingUnsharesItFrom62() {
    String body = "p.zero buf 4K\nz = p.frame buf\npin = p.pin buf 4K FOLL_LONGTERM\n"
        + "check \"the pin took the process's own copy\" p.frame buf != z and p.mapcount buf == 1\n";
    passes(KernelConfig.LINUX_6_12, body);
    RunResult old = run("copy", KernelConfig.linux("6.1"), body);
    assertThat(old.checkOutcome()).as(old.summary()).isEqualTo(CheckOutcome.FAIL);
  }

  @Test
  void aFailureUnderTryIsAValueAndTheProgramGoesOn() {
    passes(KernelConfig.LINUX_3_4, "r = try p.munmap buf+1 4K\ns = try p.store buf+1M 1\nt = try p.mprotect buf 4K PROT_READ\n"
        + "check \"EINVAL, SIGSEGV, OK\" r == EINVAL and s == SIGSEGV and t == OK and not p.vma_flag buf wr\n"
        + "check \"the first page is read-only in its own VMA now\" p.vma_flag buf+4K wr and p.vma_flag buf rd\n");
  }

  @Test
  void vmspliceTakesReferencesNotPins() {
    passes(KernelConfig.LINUX_6_12, "p.fill buf 16K 3\npipe = p.vmsplice buf 8K\n"
        + "check \"a reference, not a pin\" pinned_sees pipe 3 and not p.maybe_pinned buf and p.vm_pin == 0 and p.refcount buf == 2\n"
        + "release pipe\nr = try release pipe\ncheck \"released once\" r == EINVAL\n");
  }

  @Test
  void aSkipEndsTheRunNeitherPassingNorFailing() {
    RunResult r = run("copy", KernelConfig.LINUX_6_12, "skip \"the buffer is zero\" if p.zero buf 16K\ncheck \"never made\" not p.zero buf 4K\n");
    assertThat(r.checkOutcome()).isEqualTo(CheckOutcome.SKIP);
    assertThat(r.skipped()).isEqualTo("line 6: the buffer is zero");
    assertThat(r.checks()).isEmpty();
  }

  @Test
  void aReadOnlyImportTakesAReadOnlyMappingUnderEveryStrategyAndTheGpuMayNotWriteIt() {
    for (String strategy : CallerMemoryTest.strategies()) {
      RunResult r = run(strategy, KernelConfig.LINUX_6_12, "ro = p.mmap 16K PROT_READ MAP_PRIVATE|MAP_ANONYMOUS\np.zero ro 16K\n"
          + "obj = p.userptr ro 16K READ_ONLY\nok = gpu.write obj 2\ncheck \"the GPU may not write a READ_ONLY object\" not ok\n");
      assertThat(r.refusal()).as(strategy + ": " + r.summary()).isNull();
      assertThat(r.checkOutcome()).as(strategy + ": " + r.summary()).isEqualTo(CheckOutcome.PASS);
      RunResult writable = run(strategy, KernelConfig.LINUX_6_12, "ro = p.mmap 16K PROT_READ MAP_PRIVATE|MAP_ANONYMOUS\nobj = p.userptr ro 16K\n");
      assertThat(writable.verdict()).as(strategy).isEqualTo(strategy.equals("copy") ? Verdict.KEPT : Verdict.REFUSED);
    }
  }
}
