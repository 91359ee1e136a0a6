package org.userptrlab.core.driver;

import org.userptrlab.mm.Errno;
import org.userptrlab.mm.MmException;

/**
 * Limits a driver sets on userptr imports, as the thread proposes: a largest size (the Exynos
 * patch's "pre-defined" limit) and whether only privileged callers (CAP_SYS_ADMIN) may import.
 */
public record DriverLimits(long maxBytes, boolean privilegedOnly) {
  /** 1 GiB, anyone. */
  public static final DriverLimits DEFAULT = new DriverLimits(1L << 30, false);

  public DriverLimits {
    if (maxBytes <= 0) {
      throw new MmException(Errno.EINVAL, "the userptr size limit must be positive: " + maxBytes);
    }
  }
}
