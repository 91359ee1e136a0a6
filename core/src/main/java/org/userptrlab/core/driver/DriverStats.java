package org.userptrlab.core.driver;

import org.userptrlab.mm.MmException;

/**
 * What a driver did that the memory manager does not count: its ioctls, and the last import it
 * refused (so that a harness can tell the driver's refusal from a program's own failing call).
 * One per run.
 */
public final class DriverStats {
  private long ioctls;
  private MmException lastRefusal;

  public void ioctl() {
    ioctls++;
  }

  public long ioctls() {
    return ioctls;
  }

  /** Records that the driver refused an import with {@code e}. */
  public void refused(MmException e) {
    lastRefusal = e;
  }

  /** Whether {@code e} is the driver refusing an import (and not some other failing call). */
  public boolean isRefusal(Throwable e) {
    return e != null && e == lastRefusal;
  }
}
