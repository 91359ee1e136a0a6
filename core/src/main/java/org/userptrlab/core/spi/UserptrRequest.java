package org.userptrlab.core.spi;

import java.util.EnumSet;
import java.util.Set;
import org.userptrlab.core.time.DmaResv;
import org.userptrlab.mm.Process;

/**
 * One import: the range [address, address + size) of a process, with the program's flags, and the
 * reservation object of the GEM object it becomes (obj->base.resv: the fences of the jobs that use
 * it, which a driver's invalidation may wait on).
 */
public record UserptrRequest(Process process, long address, long size, Set<UserptrFlag> flags, DmaResv resv) {
  public UserptrRequest {
    flags = flags.isEmpty() ? EnumSet.noneOf(UserptrFlag.class) : EnumSet.copyOf(flags);
  }

  /** An import whose object has a reservation object of its own, no job on it yet. */
  public UserptrRequest(Process process, long address, long size, Set<UserptrFlag> flags) {
    this(process, address, size, flags, new DmaResv());
  }

  public boolean readOnly() {
    return flags.contains(UserptrFlag.READ_ONLY);
  }

  public long end() {
    return address + size;
  }

  /** The address of the first page the range touches. */
  public long firstPage() {
    return address & -4096L;
  }

  /** How many pages the range touches, partial ones included. */
  public int pageCount() {
    return (int) ((((end() + 4095) & -4096L) - firstPage()) >>> 12);
  }

  /** Where the range starts in its first page. */
  public long offsetInPage() {
    return address & 4095;
  }
}
