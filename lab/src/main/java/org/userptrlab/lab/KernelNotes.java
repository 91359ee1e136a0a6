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
    Map<String, Who> who = new LinkedHashMap<>();
    for (RunResult r : runs) {
      for (String remark : r.remarks()) {
        Who w = who.computeIfAbsent(remark, key -> new Who(new LinkedHashSet<>(), new LinkedHashSet<>(), new LinkedHashSet<>()));
        w.kernels().add(r.kernel().name());
        w.scenarios().add(r.scenario());
        w.strategies().add(r.strategy());
      }
    }
    who.forEach((remark, w) -> {
      String scenario = w.scenarios().size() == 1 ? w.scenarios().iterator().next() : null;
      String strategy = w.strategies().size() == 1 ? w.strategies().iterator().next() : null;
      String subject = scenario != null && strategy != null ? scenario + " under " + strategy
          : scenario != null ? scenario : strategy != null ? strategy : "";
      out.add((w.kernels().size() == 1 ? "Kernel " : "Kernels ") + String.join(", ", w.kernels())
          + (subject.isEmpty() ? "" : ", " + subject) + ": " + remark + ".");
    });
    return out;
  }

  /** The kernels, scenarios and strategies a remark was made for. */
  private record Who(Set<String> kernels, Set<String> scenarios, Set<String> strategies) {}

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
