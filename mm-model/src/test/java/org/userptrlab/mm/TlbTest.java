package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import org.junit.jupiter.api.Test;

class TlbTest {

  @Test
  void unmappingMemoryOfAProcessLiveOnOtherCpusSendsOneIpiToEach() {
    Machine m = new Machine(MachineConfig.builder().ram(32 * MiB).cpus(4).build());
    Process p = m.spawn("p");
    p.runOn(0, 1, 2, 3);
    long buf = anon(p, 64 * PAGE);
    p.fill(buf, 64 * PAGE, 1);

    p.munmap(buf, 64 * PAGE);

    assertThat(m.vmstat().get(VmEvent.NR_TLB_REMOTE_FLUSH)).isEqualTo(1);
    assertThat(m.vmstat().get(VmEvent.NR_TLB_REMOTE_FLUSH_RECEIVED)).isEqualTo(3);
    assertThat(m.vmstat().get(VmEvent.NR_TLB_LOCAL_FLUSH_ALL)).isEqualTo(1);
  }

  @Test
  void aSingleThreadedProcessFlushesOnlyLocallyAndSmallRangesPageByPage() {
    Machine m = new Machine(MachineConfig.builder().ram(32 * MiB).cpus(4).build());
    Process p = m.spawn("p");
    long buf = anon(p, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 1);

    p.munmap(buf, 4 * PAGE);

    assertThat(m.vmstat().get(VmEvent.NR_TLB_REMOTE_FLUSH)).isZero();
    assertThat(m.vmstat().get(VmEvent.NR_TLB_LOCAL_FLUSH_ONE)).isEqualTo(4);
  }

  @Test
  void unmappingNothingPresentFlushesNothing() {
    Machine m = new Machine(MachineConfig.builder().ram(32 * MiB).cpus(2).build());
    Process p = m.spawn("p");
    p.runOn(0, 1);
    long buf = anon(p, 4 * PAGE);
    p.munmap(buf, 4 * PAGE);
    assertThat(m.vmstat().get(VmEvent.TLB_FLUSHED_PAGES)).isZero();
  }

  @Test
  void reclaimFromAKernelThreadInterruptsOnlyTheCpusWhereAThreadOfTheProcessRuns() {
    // should_flush_tlb: a lazy CPU (its thread blocked, the CPU idle) gets no IPI; a busy one does.
    Machine m = new Machine(MachineConfig.builder().ram(32 * MiB).swap(32 * MiB).cpus(4).build());
    Process lone = m.spawn("lone");
    long a = anon(lone, 8 * PAGE);
    lone.fill(a, 8 * PAGE, 1);
    m.kernel().reclaim(1 << 20);
    assertThat(m.vmstat().get(VmEvent.PSWPOUT)).as("the pages went to swap").isEqualTo(8);
    assertThat(m.vmstat().get(VmEvent.NR_TLB_REMOTE_FLUSH)).as("its one thread waits: its CPU is lazy").isZero();
    assertThat(m.vmstat().get(VmEvent.NR_TLB_LOCAL_FLUSH_ONE)).as("nor is its mm this CPU's").isZero();

    Process busy = m.spawn("busy");
    busy.runOn(2, 3);
    long b = anon(busy, 8 * PAGE);
    busy.fill(b, 8 * PAGE, 2);
    m.kernel().reclaim(1 << 20);
    assertThat(m.vmstat().get(VmEvent.NR_TLB_REMOTE_FLUSH)).as("one shootdown a page").isEqualTo(8);
    assertThat(m.vmstat().get(VmEvent.NR_TLB_REMOTE_FLUSH_RECEIVED)).as("by the two threads' CPUs, not the main one's").isEqualTo(16);
  }
}
