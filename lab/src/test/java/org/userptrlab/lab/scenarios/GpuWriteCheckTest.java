package org.userptrlab.lab.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.userptrlab.core.harness.Check;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.mm.KernelConfig;

/**
 * A program's check that its bytes are its own, made after the GPU wrote into them through an import, in a program the
 * harness observes: under a COHERENT strategy the program sees the GPU's writes, so the check failing is the
 * program's expectation, not PROGRAM_KEEPS_ITS_BYTES broken; under copy the write went to the copy and the promise
 * holds.
 */
class GpuWriteCheckTest {
  private static final Comparison CMP = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12).build());
  private static final String HEAD = """
      scenario written
      observe
      p = app cl-app
      buf = p.malloc 1M
      obj = p.userptr buf 1M
      child = p.fork
      child.fill buf 1M 2
      p.fill buf 1M 3
      """;

  private static RunResult run(String program, String strategy) {
    RunResult r = CMP.run(new TextScenario("w.scenario", Parser.parse("w.scenario", program)), strategy, KernelConfig.LINUX_6_12);
    assertThat(r.error()).as(r.summary()).isNull();
    return r;
  }

  private static Check check(RunResult r, String what) {
    return r.checks().stream().filter(c -> c.what().equals(what)).findFirst().orElseThrow();
  }

  @Test
  void aCheckOfBytesTheGpuWroteSinceIsTheProgramsOwnUnderACoherentStrategy() {
    String program = HEAD + "wrote = gpu.write obj 4\n"
        + "expect PROGRAM_KEEPS_ITS_BYTES \"each reads its own\" child.sees buf 1M 2 and p.sees buf 1M 3\n";
    for (String coherent : new String[] {"backed-notifier", "backed-longterm"}) {
      RunResult r = run(program, coherent);
      assertThat(r.brokenPromises()).as(coherent).isEmpty();
      Check c = check(r, "each reads its own");
      assertThat(c.promise()).isNull();
      assertThat(c.held()).isFalse();
      assertThat(c.seen()).startsWith("p's buf holds what the GPU wrote into it through an import");
    }
    RunResult copy = run(program, "copy");
    assertThat(check(copy, "each reads its own").promise()).isEqualTo(Promise.PROGRAM_KEEPS_ITS_BYTES);
    assertThat(check(copy, "each reads its own").held()).isTrue();
  }

  @Test
  void onceTheProgramWritesTheBufferWholeAgainTheCheckIsThePromisesAgain() {
    String program = HEAD + "wrote = gpu.write obj 4\np.fill buf 1M 5\n"
        + "expect PROGRAM_KEEPS_ITS_BYTES \"the parent's own bytes again\" p.sees buf 1M 6\n";
    RunResult r = run(program, "backed-notifier");
    // A wrong seed after the program's own write is judged as the promise, as any check of bytes the GPU did not write.
    assertThat(check(r, "the parent's own bytes again").promise()).isEqualTo(Promise.PROGRAM_KEEPS_ITS_BYTES);
    assertThat(r.brokenPromises()).extracting(Check::what).containsExactly("the parent's own bytes again");
  }

  @Test
  void aChildForkedAfterTheWriteHoldsTheGpusBytesAsItsParentDoes() {
    String program = """
        scenario written-then-forked
        observe
        p = app cl-app
        buf = p.malloc 1M
        p.fill buf 1M 3
        obj = p.userptr buf 1M
        wrote = gpu.write obj 4
        child = p.fork
        expect PROGRAM_KEEPS_ITS_BYTES "the child reads what the parent wrote" child.sees buf 1M 3
        """;
    RunResult r = run(program, "backed-longterm");
    assertThat(r.brokenPromises()).isEmpty();
    assertThat(check(r, "the child reads what the parent wrote").seen()).startsWith("child's buf holds what the GPU wrote");
  }
}
