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
  /** The processes whose GPU VM the driver banned (xe_vm_kill), with why: an xe VM is a DRM file's, one per process here. */
  private final java.util.Map<org.userptrlab.mm.Process, String> bannedVms = new java.util.HashMap<>();

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

  /** The driver banned {@code p}'s GPU VM: every later job on it is refused (xe_vm_kill). */
  public void banVm(org.userptrlab.mm.Process p, String why) {
    bannedVms.putIfAbsent(p, why);
  }

  /** Why {@code p}'s GPU VM is banned, or null if it is not. */
  public String vmBan(org.userptrlab.mm.Process p) {
    return bannedVms.get(p);
  }

  /** Whether {@code e} is the driver refusing an import (and not some other failing call). */
  public boolean isRefusal(Throwable e) {
    return e != null && e == lastRefusal;
  }
}
