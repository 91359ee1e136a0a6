package org.userptrlab.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.mm.KernelChange;
import org.userptrlab.mm.KernelConfig;

/**
 * What a report says about its kernels, once each: a combination no release had, and the runs'
 * remarks (a change added because a scenario needs it, an interface a strategy stands in for), each
 * said once for every scenario and strategy it concerns.
 */
public final class KernelNotes {
  private KernelNotes() {}

  public static List<String> of(List<KernelConfig> kernels, List<RunResult> runs) {
    List<String> out = new ArrayList<>();
    for (KernelConfig k : kernels) {
      if (!k.isReleased()) {
        out.add(String.format("Kernel %s is a combination no released kernel had: %s.", k.name(), toggles(k)));
      }
    }
    // remark -> the kernels, scenarios and strategies it was made for
    Map<String, Set<String>[]> who = new LinkedHashMap<>();
    for (RunResult r : runs) {
      for (String remark : r.remarks()) {
        @SuppressWarnings("unchecked")
        Set<String>[] sets = who.computeIfAbsent(remark,
            key -> new Set[] {new LinkedHashSet<String>(), new LinkedHashSet<String>(), new LinkedHashSet<String>()});
        sets[0].add(r.kernel().name());
        sets[1].add(r.scenario());
        sets[2].add(r.strategy());
      }
    }
    who.forEach((remark, sets) -> {
      String scenario = sets[1].size() == 1 ? sets[1].iterator().next() : null;
      String strategy = sets[2].size() == 1 ? sets[2].iterator().next() : null;
      String subject = scenario != null && strategy != null ? scenario + " under " + strategy
          : scenario != null ? scenario : strategy != null ? strategy : "";
      out.add((sets[0].size() == 1 ? "Kernel " : "Kernels ") + String.join(", ", sets[0])
          + (subject.isEmpty() ? "" : ", " + subject) + ": " + remark + ".");
    });
    return out;
  }

  private static String toggles(KernelConfig k) {
    List<String> parts = new ArrayList<>();
    for (KernelChange c : k.added()) {
      parts.add(String.format("%s with %s (%s, %s) added", k.release(), c.id(), c.release(), c.citation()));
    }
    for (KernelChange c : k.removed()) {
      parts.add(String.format("%s without %s (%s, %s)", k.release(), c.id(), c.release(), c.citation()));
    }
    return String.join("; ", parts);
  }
}
