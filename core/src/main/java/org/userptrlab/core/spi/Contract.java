package org.userptrlab.core.spi;

import java.util.EnumSet;
import java.util.Set;

/** What a strategy promises the program and the GPU about an imported range. */
public enum Contract {
  /** The GPU has the bytes as they were at import; the program's memory is untouched. */
  SNAPSHOT(EnumSet.of(Promise.GPU_SEES_IMPORTED_BYTES, Promise.GPU_KEEPS_SNAPSHOT, Promise.PROGRAM_KEEPS_ITS_BYTES,
      Promise.BYTES_OUTSIDE_RANGE_KEPT)),
  /** A snapshot, and the range's contents are gone from the program (the API says so); bytes outside it are kept. */
  MOVE(EnumSet.of(Promise.GPU_SEES_IMPORTED_BYTES, Promise.GPU_KEEPS_SNAPSHOT, Promise.BYTES_OUTSIDE_RANGE_KEPT)),
  /** CPU and GPU see one memory while the object lives. */
  COHERENT(EnumSet.of(Promise.GPU_SEES_IMPORTED_BYTES, Promise.PROGRAM_KEEPS_ITS_BYTES,
      Promise.BYTES_OUTSIDE_RANGE_KEPT, Promise.GPU_SEES_LATER_CPU_WRITES, Promise.CPU_SEES_GPU_WRITES));

  private final Set<Promise> promises;

  Contract(Set<Promise> promises) {
    this.promises = promises;
  }

  public Set<Promise> promises() {
    return EnumSet.copyOf(promises);
  }

  public boolean promises(Promise p) {
    return promises.contains(p);
  }
}
