package org.userptrlab.core.spi;

/** What a GPU job will do with an object's pages. */
public enum GpuAccess {
  READ,
  WRITE
}
