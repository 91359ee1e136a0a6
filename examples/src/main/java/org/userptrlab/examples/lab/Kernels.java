package org.userptrlab.examples.lab;

import java.util.Arrays;
import java.util.Locale;
import org.userptrlab.mm.KernelEra;

/** Kernels as written in the reports: by release ({@code 3.4}, {@code 6.12}), or by enum name. */
public final class Kernels {
  private Kernels() {}

  /** The kernel {@code text} names; {@link IllegalArgumentException} listing the kernels if none. */
  public static KernelEra parse(String text) {
    String t = text.trim();
    for (KernelEra e : KernelEra.values()) {
      if (e.release().equals(t) || e.name().equals(t.toUpperCase(Locale.ROOT))) {
        return e;
      }
    }
    throw new IllegalArgumentException("no kernel '" + text + "'; there are " + String.join(", ",
        Arrays.stream(KernelEra.values()).map(KernelEra::release).toList()));
  }
}
