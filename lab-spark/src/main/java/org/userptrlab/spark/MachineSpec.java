package org.userptrlab.spark;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;

/** A {@link MachineConfig} as plain values, for executors to build the same machine. */
record MachineSpec(long ram, long cma, long movable, long swap, long vram, int cpus, String kernel, long seed, boolean aslr, long memlock,
    MachineConfig.Thp thp, boolean thpUseZeroPage, MachineConfig.ThpDefrag thpDefrag, Map<Integer, MachineConfig.Thp> thpSizes,
    Map<Integer, Integer> hugetlbPages) implements Serializable {
  private static final long serialVersionUID = 1L;

  MachineSpec {
    thpSizes = new TreeMap<>(thpSizes);
    hugetlbPages = new TreeMap<>(hugetlbPages);
  }

  static MachineSpec of(MachineConfig m) {
    MachineSpec spec = new MachineSpec(m.ramBytes(), m.cmaBytes(), m.movableBytes(), m.swapBytes(), m.devicePrivateBytes(), m.cpus(), m.kernel().name(), m.seed(),
        m.aslr(), m.memlockBytes(), m.thp(), m.thpUseZeroPage(), m.thpDefragSet() ? m.thpDefrag() : null, m.thpSizes(), m.hugetlbPages());
    if (!spec.config().equals(m)) {
      throw new IllegalArgumentException("this machine does not travel to Spark's executors as it is: " + m);
    }
    return spec;
  }

  MachineConfig config() {
    MachineConfig.Builder b = MachineConfig.builder().ram(ram).cma(cma).movable(movable).swap(swap).devicePrivate(vram).cpus(cpus)
        .kernel(KernelConfig.parse(kernel)).seed(seed).aslr(aslr).memlock(memlock).thp(thp).thpUseZeroPage(thpUseZeroPage);
    if (thpDefrag != null) {
      b.thpDefrag(thpDefrag);
    }
    thpSizes.forEach((order, mode) -> b.thpSize(4096L << order, mode));
    hugetlbPages.forEach((order, count) -> b.hugetlbPages(4096L << order, count));
    return b.build();
  }
}
