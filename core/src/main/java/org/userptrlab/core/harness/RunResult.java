package org.userptrlab.core.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.userptrlab.core.Promise;
import org.userptrlab.core.Contract;
import org.userptrlab.mm.KernelEra;
import org.userptrlab.mm.VmEvent;

/**
 * The outcome of one scenario under one strategy on one kernel era: what was checked, what went
 * wrong, the counters, and the cost under each platform profile (nanoseconds by component).
 */
public record RunResult(String scenario, String strategy, Contract contract, KernelEra era, Set<Promise> needs,
    List<Check> checks, List<String> hazards, String refusal, Map<VmEvent, Long> counters, long ioctls,
    Map<String, Map<String, Double>> costs) {

  public enum Verdict { KEPT, BROKEN, REFUSED }

  public Verdict verdict() {
    if (refusal != null) {
      return Verdict.REFUSED;
    }
    return brokenPromises().isEmpty() ? Verdict.KEPT : Verdict.BROKEN;
  }

  /** The checks of promises the strategy's contract makes that did not hold. */
  public List<Check> brokenPromises() {
    List<Check> out = new ArrayList<>();
    for (Check c : checks) {
      if (!c.held() && contract.promises(c.promise())) {
        out.add(c);
      }
    }
    return out;
  }

  /** The checks of what the scenario's program needs that did not hold. */
  public List<Check> unmetNeeds() {
    List<Check> out = new ArrayList<>();
    for (Check c : checks) {
      if (!c.held() && needs.contains(c.promise())) {
        out.add(c);
      }
    }
    return out;
  }

  /** Whether the program got what it needs: imported, and every needed check held. */
  public boolean serves() {
    return refusal == null && unmetNeeds().isEmpty();
  }

  /** Total simulated time under a profile, in nanoseconds. */
  public double totalNs(String profile) {
    return costs.get(profile).get("total");
  }

  /** One line for a person: the verdict and what broke or was refused. */
  public String summary() {
    switch (verdict()) {
      case REFUSED:
        return "refused: " + refusal;
      case BROKEN:
        StringBuilder sb = new StringBuilder("BROKEN:");
        for (Check c : brokenPromises()) {
          sb.append(' ').append(c.what()).append(';');
        }
        return sb.toString();
      default:
        return "kept";
    }
  }
}
