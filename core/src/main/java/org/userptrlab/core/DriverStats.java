package org.userptrlab.core;

import com.google.inject.Singleton;

/** What a driver did that the memory manager does not count: its ioctls. One per injector. */
@Singleton
public final class DriverStats {
  private long ioctls;

  public void ioctl() {
    ioctls++;
  }

  public long ioctls() {
    return ioctls;
  }
}
