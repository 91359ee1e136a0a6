package org.userptrlab.gem;

import org.userptrlab.core.spi.GpuAccess;
import org.userptrlab.core.spi.GpuLease;
import org.userptrlab.mm.Errno;
import org.userptrlab.mm.Kernel;
import org.userptrlab.mm.MmException;

/**
 * The device's GPU: each call is one job on one object, which pins the object's pages for its
 * duration (through the strategy) and reads or writes them by DMA.
 */
public final class Gpu {
  private final Kernel kernel;
  private long jobs;

  Gpu(Kernel kernel) {
    this.kernel = kernel;
  }

  /** Whether the object's bytes [from, from + len) hold the seed's stream from {@code streamPos}. */
  public boolean reads(DrmFile f, int handle, long from, long len, long seed, long streamPos) {
    GemObject o = f.lookup(handle);
    checkSpan(o, from, len);
    try (GpuLease lease = o.backing.pin(GpuAccess.READ)) {
      jobs++;
      return kernel.dmaMatches(lease.frames(), lease.offset() + from, len, seed, streamPos);
    }
  }

  /** Whether the whole object holds the seed's stream from position 0. */
  public boolean reads(DrmFile f, int handle, long seed) {
    return reads(f, handle, 0, f.lookup(handle).size(), seed, 0);
  }

  /** A job that writes the seed's stream over the whole object (render to it). */
  public void writes(DrmFile f, int handle, long seed) {
    GemObject o = f.lookup(handle);
    try (GpuLease lease = o.backing.pin(GpuAccess.WRITE)) {
      jobs++;
      kernel.dmaFill(lease.frames(), lease.offset(), o.size(), seed);
      lease.markDirty();
    }
  }

  public long jobs() {
    return jobs;
  }

  private static void checkSpan(GemObject o, long from, long len) {
    if (from < 0 || len <= 0 || from + len > o.size()) {
      throw new MmException(Errno.EINVAL, String.format("GPU job: [%d, +%d) is outside the %d-byte object", from, len, o.size()));
    }
  }
}
