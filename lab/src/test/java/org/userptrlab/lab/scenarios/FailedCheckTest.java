package org.userptrlab.lab.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.userptrlab.core.harness.Check;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.mm.KernelConfig;

/**
 * A program's own check that does not hold says what it saw: the values its comparison read, each
 * as a program writes it (a time, an address in hex, a size, an errno), or the operation that
 * answered false. A check that holds says nothing more.
 */
class FailedCheckTest {
  private static final Comparison CMP = new Comparison(LabOptions.builder().kernels(KernelConfig.LINUX_6_12).build());
  private static final String PROGRAM = """
      scenario checks "checks that fail"
      p = app app
      buf = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS
      p.fill buf 64K 7
      obj = p.userptr buf 64K
      job = gpu.submit obj read 5ms
      p.munmap buf 64K
      check "munmap waited for the job" p.stalled >= 4ms
      check "the job ended" gpu.done job
      r = try p.munmap buf+1 4K
      check "an unaligned munmap is OK" r == OK
      again = p.mmap 64K PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS
      check "the range came back at buf+4K" again == buf+4K
      check "nothing resident" p.vm_rss == 0 and p.vm_pin == 64K
      check "the munmap stalled less than a millisecond" p.stalled < 1ms
      check "a gigabyte resident" p.vm_rss > 1G xfail "the program maps 128 KiB"
      t = now
      check "all this within a millisecond" t < 1ms
      """;

  private static RunResult run(String strategy) {
    RunResult r = CMP.run(new TextScenario("checks.scenario", Parser.parse("checks.scenario", PROGRAM)), strategy, KernelConfig.LINUX_6_12);
    assertThat(r.error()).as(r.summary()).isNull();
    return r;
  }

  private static Check check(RunResult r, String what) {
    return r.checks().stream().filter(c -> c.what().endsWith(what)).findFirst().orElseThrow();
  }

  @Test
  void aCheckThatDoesNotHoldSaysWhatItCompared() {
    RunResult r = run("backed-longterm");
    assertThat(check(r, "munmap waited for the job").seen()).isEqualTo("p.stalled was 0ns");
    assertThat(check(r, "the job ended").seen()).isEqualTo("gpu.done job was false");
    assertThat(check(r, "an unaligned munmap is OK").seen()).isEqualTo("r was EINVAL");
    assertThat(check(r, "the range came back at buf+4K").seen()).matches("again was 0x[0-9a-f]+ and buf\\+4K was 0x[0-9a-f]+");
    // The first atom that does not hold is the one shown: a longterm pin keeps the 64 KiB pinned.
    assertThat(check(r, "nothing resident").seen()).isNull();
    assertThat(r.summary()).contains("line 8: munmap waited for the job (p.stalled was 0ns)");
    // A check expected to fail keeps its own name beside the reason, and what it saw.
    assertThat(r.expectedFailures()).singleElement().satisfies(c -> assertThat(c.described())
        .matches("line 16: a gigabyte resident: the program maps 128 KiB \\(p\\.vm_rss was [0-9]+K?\\)"));
  }

  /** A comparison of two values written out has no side to show: what it says is that the comparison never holds. */
  @Test
  void aFailedComparisonOfLiteralsSaysTheComparisonNeverHolds() {
    String text = "scenario literal\np = spawn p\ncheck \"sizes\" 1M == 2M\ncheck \"words\" not OK == OK\n";
    RunResult r = CMP.run(new TextScenario("literal.scenario", Parser.parse("literal.scenario", text)), "copy", KernelConfig.LINUX_6_12);
    assertThat(check(r, "sizes").seen()).isEqualTo("1M == 2M never holds");
    assertThat(check(r, "words").seen()).isEqualTo("not OK == OK never holds");
    assertThat(r.summary()).contains("line 3: sizes (1M == 2M never holds)");
  }

  @Test
  void aCheckThatHoldsSaysNothingMoreAndATimeIsWrittenAsAProgramWritesIt() {
    RunResult r = run("backed-notifier");
    Check waited = check(r, "munmap waited for the job");
    assertThat(waited.held()).isTrue();
    assertThat(waited.seen()).isNull();
    assertThat(waited.described()).isEqualTo(waited.what());
    // A time that no unit writes exactly is in nanoseconds, and to three figures beside.
    assertThat(check(r, "the munmap stalled less than a millisecond").seen()).isEqualTo("p.stalled was 5ms");
    assertThat(check(r, "all this within a millisecond").seen()).matches("t was 5[0-9]{6}ns \\(about 5\\.[0-9]{2}ms\\)");
    // The i915 policy's munmap waits and the mirror pins nothing: the second atom is the one that fails.
    assertThat(check(r, "nothing resident").seen()).isEqualTo("p.vm_pin was 0");
    assertThat(check(r, "the job ended").held()).isTrue();
  }
}
