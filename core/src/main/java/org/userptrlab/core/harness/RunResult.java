package org.userptrlab.core.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.userptrlab.core.cost.Cost;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.spi.Contract;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.mm.Coverage;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.VmEvent;

/**
 * The outcome of one scenario under one strategy on one kernel: what was checked, what went
 * wrong, whether the driver refused the import or the scenario itself failed, the counters, and
 * the cost under each platform profile.
 *
 * @param kernel the kernel the run was asked for
 * @param ranOn the kernel it ran on: {@code kernel}, or {@code kernel} with a change the scenario cannot do
 *     without (a CMA region on a kernel before 3.5 gets {@code +cma})
 * @param remarks what the kernel meant for the run: a change it ran with because the scenario needs it,
 *     an older interface the strategy stands for there
 * @param needs what the scenario's program needs, in {@link Promise} order
 * @param refusal the driver's refusal of an import, or null
 * @param error a failure of the scenario's own program (not the driver's refusal), or null
 * @param skipped why the program skipped the rest of its run (a {@code skip} line that held), or null
 * @param coverage what the run reached in the model: counters moved, paths taken, kernel changes consulted
 * @param timing the run in virtual time, under the first profile: the latency of each kind of call, the waits, the GPU's side
 */
public record RunResult(String scenario, String strategy, Contract contract, KernelConfig kernel, KernelConfig ranOn, List<String> remarks, List<Promise> needs,
    List<Check> checks, List<Hazard> hazards, Failure refusal, Failure error, String skipped, Map<VmEvent, Long> counters,
    long ioctls, List<Cost> costs, Coverage coverage, org.userptrlab.core.time.Timing timing) {

  /** What became of the strategy's contract in the run. */
  public enum Verdict {
    /** Every promise the contract makes held. */
    KEPT,
    /** A promise the contract makes did not hold. */
    BROKEN,
    /** The driver refused the import. */
    REFUSED,
    /** The scenario's own program failed; says nothing about the strategy. */
    ERROR
  }

  /** What a program's own checks ({@code check} and {@code skip} lines) came to, as a kernel selftest reports a case. */
  public enum CheckOutcome {
    /** Every check the program made held. */
    PASS,
    /** A check did not hold. */
    FAIL,
    /** Only checks the program expects to fail did not hold (the selftests' XFAIL: a known limitation, not a failure). */
    XFAIL,
    /** The program skipped the rest of its run (a {@code skip} line held) with no check failed before. */
    SKIP,
    /** The driver refused an import, so the checks after it were not made. */
    REFUSED,
    /** The program failed before its checks were done. */
    ERROR,
    /** The program makes no check of its own. */
    NONE
  }

  public RunResult {
    remarks = List.copyOf(remarks);
    needs = List.copyOf(needs);
    checks = List.copyOf(checks);
    hazards = List.copyOf(hazards);
    EnumMap<VmEvent, Long> c = new EnumMap<>(VmEvent.class);
    c.putAll(counters);
    counters = Collections.unmodifiableMap(c);
    costs = List.copyOf(costs);
  }

  public Verdict verdict() {
    if (error != null) {
      return Verdict.ERROR;
    }
    if (refusal != null) {
      return Verdict.REFUSED;
    }
    return brokenPromises().isEmpty() ? Verdict.KEPT : Verdict.BROKEN;
  }

  /** The checks of promises the strategy's contract makes that did not hold. */
  public List<Check> brokenPromises() {
    List<Check> out = new ArrayList<>();
    for (Check c : checks) {
      if (!c.held() && c.promise() != null && contract.promises(c.promise())) {
        out.add(c);
      }
    }
    return out;
  }

  /** The checks of what the scenario's program needs that did not hold. */
  public List<Check> unmetNeeds() {
    List<Check> out = new ArrayList<>();
    for (Check c : checks) {
      if (!c.held() && c.promise() != null && needs.contains(c.promise())) {
        out.add(c);
      }
    }
    return out;
  }

  /** The program's own checks of the kernel ({@code check} lines) that did not hold. */
  public List<Check> failedChecks() {
    return checks.stream().filter(c -> !c.held() && c.promise() == null && !c.xfail()).toList();
  }

  /** The program's own checks that did not hold where it expected that (its XFAILs). */
  public List<Check> expectedFailures() {
    return checks.stream().filter(c -> !c.held() && c.promise() == null && c.xfail()).toList();
  }

  /** What the program's own checks came to. */
  public CheckOutcome checkOutcome() {
    if (!failedChecks().isEmpty()) {
      return CheckOutcome.FAIL;
    }
    if (error != null) {
      return CheckOutcome.ERROR;
    }
    if (refusal != null) {
      return CheckOutcome.REFUSED;
    }
    if (skipped != null) {
      return CheckOutcome.SKIP;
    }
    if (!expectedFailures().isEmpty()) {
      return CheckOutcome.XFAIL;
    }
    return checks.stream().anyMatch(c -> c.promise() == null) ? CheckOutcome.PASS : CheckOutcome.NONE;
  }

  /** Whether the program got what it needs: it ran, imported, and every needed check held. */
  public boolean serves() {
    return refusal == null && error == null && unmetNeeds().isEmpty();
  }

  /** Whether a hazard of that kind was seen. */
  public boolean has(HazardKind kind) {
    return hazards.stream().anyMatch(h -> h.kind() == kind);
  }

  /** The cost under {@code profile}; the profile must be one the run was priced under. */
  public Cost cost(PlatformProfile profile) {
    return cost(profile.name());
  }

  /** The cost under the profile called {@code name}; the run must have been priced under it. */
  public Cost cost(String name) {
    for (Cost c : costs) {
      if (c.profile().name().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("this run was not priced under a profile '" + name + "'; it was priced under "
        + String.join(", ", costs.stream().map(c -> c.profile().name()).toList()));
  }

  /** Total simulated time under {@code profile}, in nanoseconds. */
  public double totalNs(PlatformProfile profile) {
    return cost(profile).totalNs();
  }

  /** One line for a person: the verdict and what broke, was refused or failed. */
  public String summary() {
    switch (verdict()) {
      case ERROR:
        return "scenario error: " + error.message();
      case REFUSED:
        return "refused: " + refusal.message();
      case BROKEN:
        return "BROKEN: " + String.join("; ", brokenPromises().stream().map(Check::described).toList())
            + (failedChecks().isEmpty() ? "" : "; check failed: " + String.join("; ", failedChecks().stream().map(Check::described).toList()));
      default:
        String checks = failedChecks().isEmpty() ? "" : "; check failed: "
            + String.join("; ", failedChecks().stream().map(Check::described).toList());
        return (skipped != null ? "kept (skipped: " + skipped + ")" : "kept") + checks;
    }
  }
}
