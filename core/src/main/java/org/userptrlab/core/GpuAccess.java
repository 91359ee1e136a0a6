package org.userptrlab.core;

/** What a GPU job will do with an object's pages. */
public enum GpuAccess {
  READ,
  WRITE
}
