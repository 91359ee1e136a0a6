package org.userptrlab.spark;

import java.io.Serializable;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.Set;
import org.userptrlab.mm.Coverage;
import org.userptrlab.mm.KernelChange;
import org.userptrlab.mm.ModelPath;
import org.userptrlab.mm.VmEvent;

/** A {@link Coverage} as the ordinals of what it reached: how it travels between driver and executors. */
record CoverageBits(BitSet counters, BitSet paths, BitSet consultedWith, BitSet consultedWithout) implements Serializable {
  private static final long serialVersionUID = 1L;

  static CoverageBits of(Coverage c) {
    return new CoverageBits(bits(c.counters()), bits(c.paths()), bits(c.consultedWith()), bits(c.consultedWithout()));
  }

  Coverage coverage() {
    return new Coverage(set(counters, VmEvent.class), set(paths, ModelPath.class), set(consultedWith, KernelChange.class),
        set(consultedWithout, KernelChange.class));
  }

  private static BitSet bits(Set<? extends Enum<?>> s) {
    BitSet b = new BitSet();
    s.forEach(e -> b.set(e.ordinal()));
    return b;
  }

  private static <E extends Enum<E>> Set<E> set(BitSet b, Class<E> type) {
    E[] values = type.getEnumConstants();
    EnumSet<E> out = EnumSet.noneOf(type);
    b.stream().forEach(i -> out.add(values[i]));
    return out;
  }
}
