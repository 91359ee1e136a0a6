package org.userptrlab.lab.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.RunResult.Verdict;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.mm.Errno;
import org.userptrlab.mm.KernelConfig;

/**
 * An ioctl acts on the memory of the process that calls it (current->mm in i915's, amdgpu's and the
 * Exynos patch's userptr ioctls, and in pwrite), not of the process that opened the DRM file: after
 * fork the child shares the file and its handles, and its import takes the child's own pages.
 */
class CallerMemoryTest {
  private static final Comparison CMP = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_3_4, KernelConfig.LINUX_6_12)
      .profiles(List.of(Profiles.all().get(0))).build());

  static List<String> strategies() {
    return List.of("copy", "backed-longterm", "backed-pin", "backed-notifier", "mlock", "steal", "cow");
  }

  private static RunResult run(String strategy, KernelConfig kernel, String body) {
    String text = "scenario caller \"the child imports through the file it shares\"\nmachine ram 64M swap 64M\n\np = app app\n" + body;
    return CMP.run(new TextScenario("caller.scenario", Parser.parse("caller.scenario", text)), strategy, kernel);
  }

  /** Runs the program under {@code strategy} on 3.4 and on 6.12 and checks each result, named by kernel and summary. */
  private static void onBothKernels(String strategy, String body, java.util.function.Consumer<RunResult> check) {
    for (KernelConfig k : List.of(KernelConfig.LINUX_3_4, KernelConfig.LINUX_6_12)) {
      RunResult r = run(strategy, k, body);
      try {
        check.accept(r);
      } catch (AssertionError e) {
        throw new AssertionError(strategy + " on " + k + ": " + r.summary(), e);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("strategies")
  void aChildsImportThroughTheSharedFileTakesTheChildsPages(String strategy) {
    String body = "buf = p.memalign 4K 16K\np.fill buf 16K 1\nchild = p.fork\nchild.fill buf 16K 2\nobj = child.userptr buf 16K\n"
        + "expect GPU_SEES_IMPORTED_BYTES \"the GPU sees the child's bytes, not the parent's\" gpu.sees obj 2\n";
    onBothKernels(strategy, body, r -> assertThat(r.verdict()).isEqualTo(Verdict.KEPT));
  }

  @ParameterizedTest
  @MethodSource("strategies")
  void aChildImportingAnAddressOnlyItsParentMapsIsRefusedWithEfault(String strategy) {
    String body = "buf = p.memalign 4K 16K\nchild = p.fork\nonly = p.mmap 16K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n"
        + "p.fill only 16K 1\nobj = child.userptr only 16K\n";
    onBothKernels(strategy, body, r -> {
      assertThat(r.verdict()).isEqualTo(Verdict.REFUSED);
      assertThat(r.refusal().errno()).isEqualTo(Errno.EFAULT);
    });
  }
}
