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
}
