package org.userptrlab.lab.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.VmEvent;

/**
 * A program's app has a render thread busy on the second CPU, so a flush of its memory from a
 * kernel thread interrupts that CPU (should_flush_tlb: loaded and not lazy); with its main thread
 * alone, as the executor's processes run, the main thread's CPU is idle between its calls and
 * nothing is interrupted.
 */
class AppThreadsTest {
  private static final String RECLAIM = "scenario threads \"reclaim of a program's pages\"\nmachine ram 32M swap 32M%s\n"
      + "p = app app\nbuf = p.malloc 256K\np.fill buf 256K 3\nreclaim\n";

  private static RunResult run(LabOptions.Builder options, String machine) {
    Comparison cmp = new Comparison(options.kernels(KernelConfig.LINUX_6_12).build());
    String text = String.format(RECLAIM, machine);
    RunResult r = cmp.run(new TextScenario("threads.scenario", Parser.parse("threads.scenario", text)), "copy", KernelConfig.LINUX_6_12);
    assertThat(r.error()).as(r.summary()).isNull();
    assertThat(r.counters().get(VmEvent.PSWPOUT)).as("the buffer went to swap").isGreaterThanOrEqualTo(64L);
    return r;
  }

  private static long counter(RunResult r, VmEvent e) {
    return r.counters().getOrDefault(e, 0L);
  }

  @Test
  void reclaimInterruptsTheRenderThreadOncePerPageSwappedOut() {
    RunResult r = run(LabOptions.builder(), "");
    assertThat(counter(r, VmEvent.NR_TLB_REMOTE_FLUSH)).isEqualTo(counter(r, VmEvent.PSWPOUT));
    assertThat(counter(r, VmEvent.NR_TLB_REMOTE_FLUSH_RECEIVED)).as("by CPU 1 alone").isEqualTo(counter(r, VmEvent.PSWPOUT));
  }

  @Test
  void anAppWithItsMainThreadAloneIsNeverInterrupted() {
    RunResult r = run(LabOptions.builder().modules(List.of(AppThreads.mainThreadOnly())), "");
    assertThat(counter(r, VmEvent.NR_TLB_REMOTE_FLUSH)).isZero();
  }

  @Test
  void onAOneCpuMachineTheAppHasNoRenderThread() {
    RunResult r = run(LabOptions.builder(), " cpus 1");
    assertThat(counter(r, VmEvent.NR_TLB_REMOTE_FLUSH)).isZero();
  }
}
