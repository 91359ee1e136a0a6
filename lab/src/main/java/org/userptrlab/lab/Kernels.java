package org.userptrlab.lab;

import org.userptrlab.mm.KernelConfig;

/** Kernels as written on the command line and in the reports: {@code 5.10}, {@code 3.4+foll-pin}, {@code host}. */
public final class Kernels {
  private Kernels() {}

  /** The kernel {@code text} names; {@link IllegalArgumentException} saying what a kernel looks like if none. */
  public static KernelConfig parse(String text) {
    try {
      return KernelConfig.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (a kernel is a release such as 5.10 or host, optionally with "
          + "+change or -change; the presets are " + String.join(", ", KernelConfig.presets().stream().map(KernelConfig::name).toList())
          + "; 'userptr-lab list' shows the changes)", e);
    }
  }
}
