package org.userptrlab.lab.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.RunResult.CheckOutcome;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.mm.KernelConfig;

/**
 * The DRM file is an open file in each process's file table: fork shares it (same drm_file, same
 * handles), SCM_RIGHTS passes it, exec keeps it unless the descriptor is close-on-exec, and each
 * process's close or exit drops one reference; the last one releases the file and every object in it
 * (drm_release -> drm_gem_release), whatever the strategy, on every kernel.
 */
class DrmFileLifetimeTest {
  private static final Comparison CMP = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_3_4, KernelConfig.LINUX_6_12)
      .profiles(List.of(Profiles.all().get(0))).build());

  static List<String> strategies() {
    return CallerMemoryTest.strategies();
  }

  private static void passes(String strategy, String body) {
    for (KernelConfig k : List.of(KernelConfig.LINUX_3_4, KernelConfig.LINUX_6_12)) {
      String text = "scenario drm-file\nmachine ram 64M swap 64M\n\np = app app\nbuf = p.memalign 4K 64K\np.fill buf 64K 1\n"
          + "obj = p.userptr buf 64K\n" + body;
      RunResult r = CMP.run(new TextScenario("drm-file.scenario", Parser.parse("drm-file.scenario", text)), strategy, k);
      assertThat(r.checkOutcome()).as(strategy + " on " + k + ": " + r.summary()).isEqualTo(CheckOutcome.PASS);
    }
  }

  /** A run that a call ends says where: the program's file, line and call, after the kernel's errno and words. */
  @org.junit.jupiter.api.Test
  void aCallThatEndsTheRunIsNamedByItsFileLineAndWords() {
    String text = "scenario twice\np = app app\nbuf = p.malloc 4K\nobj = p.userptr buf 4K\np.close obj\np.close obj\n";
    RunResult r = CMP.run(new TextScenario("twice.scenario", Parser.parse("twice.scenario", text)), "copy", KernelConfig.LINUX_6_12);
    assertThat(r.error()).as(r.summary()).isNotNull();
    assertThat(r.error().errno()).isEqualTo(org.userptrlab.mm.Errno.EINVAL);
    assertThat(r.error().message()).startsWith("EINVAL: GEM_CLOSE").endsWith(" (at twice.scenario:6, p.close obj)");
  }

  /** A GPU operation on a handle the file no longer has is the ioctl's ENOENT, whichever operation: no job, so no job failed. */
  @ParameterizedTest
  @MethodSource("strategies")
  void everyGpuOperationOnAClosedHandleIsEnoent(String strategy) {
    passes(strategy, "p.close obj\nw = try gpu.write obj 8\ns = try gpu.sees obj 1\nj = try gpu.submit obj read 1ms\n"
        + "check \"each is ENOENT\" w == ENOENT and s == ENOENT and j == ENOENT\n");
  }

  @ParameterizedTest
  @MethodSource("strategies")
  void aChildsExitLeavesTheFileToItsParent(String strategy) {
    passes(strategy, "child = p.fork\nchild.exit\nr = try gpu.sees obj 1\ncheck \"the object lives\" r == OK\n");
  }

  @ParameterizedTest
  @MethodSource("strategies")
  void theLastExitReleasesTheFileAndEveryObjectInIt(String strategy) {
    passes(strategy, "p.exit\nr = try gpu.sees obj 1\ncheck \"the object went with the file\" r == ENOENT\n");
  }

  @ParameterizedTest
  @MethodSource("strategies")
  void execKeepsTheFileUnlessItsDescriptorIsCloseOnExec(String strategy) {
    passes(strategy, "child = p.fork\np.exec\nr = try gpu.sees obj 1\ncheck \"kept across exec\" r == OK\n"
        + "p.cloexec_drm\nchild.cloexec_drm\np.exec\nchild.exec\ns = try gpu.sees obj 1\ncheck \"gone with the last close-on-exec\" s == ENOENT\n"
        + "t = try p.create 4K\ncheck \"and the descriptor is closed\" t == EBADF\n");
  }

  @ParameterizedTest
  @MethodSource("strategies")
  void aFileSentToACompositorOutlivesTheProgramUntilTheCompositorClosesIt(String strategy) {
    passes(strategy, "c = spawn compositor\np.send_drm c\np.exit\nr = try gpu.sees obj 1\ncheck \"the compositor's file keeps it\" r == OK\n"
        + "mine = c.create 4K\nc.close_drm\ns = try gpu.sees mine 0\ncheck \"its close was the last\" s == ENOENT\n"
        + "t = try c.close_drm\ncheck \"a second close is EBADF\" t == EBADF\n");
  }

  @ParameterizedTest
  @MethodSource("strategies")
  void aFileSentTwiceIsHeldThroughTwoDescriptors(String strategy) {
    passes(strategy, "c = spawn compositor\np.send_drm c\np.send_drm c\np.exit\nc.close_drm\nr = try gpu.sees obj 1\n"
        + "check \"one descriptor is left\" r == OK\nc.close_drm\ns = try gpu.sees obj 1\n"
        + "check \"the second close was the last reference\" s == ENOENT\n");
  }

  @ParameterizedTest
  @MethodSource("strategies")
  void everyIoctlThroughAClosedOrNeverHeldDescriptorIsEbadf(String strategy) {
    passes(strategy, "o = p.create 16K\nc = p.fork\np.close_drm\nr = try p.pwrite o 0 buf 4K\ns = try p.pread o 0 buf 4K\n"
        + "t = try p.close o\nu = try p.userptr buf 4K\nw = try c.pwrite o 0 buf 4K\nq = spawn q\nx = try q.cloexec_drm\n"
        + "check \"EBADF for the closed descriptor and the spawned process, not for the child\" r == EBADF and s == EBADF "
        + "and t == EBADF and u == EBADF and w == OK and x == EBADF\n");
  }
}
