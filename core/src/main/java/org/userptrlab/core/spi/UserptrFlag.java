package org.userptrlab.core.spi;

/** Flags a program passes with a userptr import (as I915_USERPTR_READ_ONLY and friends). */
public enum UserptrFlag {
  /** The GPU will only read the object: a read-only VMA may be imported. */
  READ_ONLY
}
