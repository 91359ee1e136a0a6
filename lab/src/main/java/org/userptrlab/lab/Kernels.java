package org.userptrlab.lab;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.userptrlab.mm.KernelChange;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.KernelRelease;

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

  /** The newest release the model follows: the last preset. */
  public static KernelRelease newest() {
    List<KernelConfig> presets = KernelConfig.presets();
    return presets.get(presets.size() - 1).release();
  }

  /**
   * One line for each kernel of {@code kernels} whose release is past the newest the model follows
   * (9.9, or host on a newer kernel): it runs with exactly the changes of that newest release, which
   * would otherwise pass unsaid.
   */
  public static List<String> pastNewest(List<KernelConfig> kernels) {
    KernelRelease newest = newest();
    KernelChange latest = List.of(KernelChange.values()).stream().max(Comparator.comparing(KernelChange::release)).orElseThrow();
    List<String> out = new ArrayList<>();
    for (KernelConfig k : kernels) {
      if (k.release().compareTo(newest) > 0) {
        String line = String.format("kernel %s is past %s, the newest release the model follows: it runs as %s, with the %d changes "
            + "the model follows (the latest, %s, merged in %s) and none merged after %s", k.name(), newest, newest,
            KernelChange.values().length, latest.id(), latest.release(), newest);
        if (!out.contains(line)) {
          out.add(line);
        }
      }
    }
    return out;
  }
}
