package org.userptrlab.lab;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.userptrlab.core.harness.Hazard;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.mm.KernelChange;
import org.userptrlab.mm.KernelConfig;

/**
 * What {@code timeline} found: for every scenario and strategy, the outcome on each kernel, and
 * for every change of outcome between two adjacent kernels the kernel change that causes it.
 *
 * @param kernels the kernels, oldest first
 * @param rows one per scenario and strategy, in the order they were asked for
 * @param notes what the kernels meant for the runs ({@link KernelNotes})
 */
public record TimelineResult(List<KernelConfig> kernels, List<Row> rows, List<String> notes) {
  /** No timeline: what compare and sweep reports carry. */
  public static final TimelineResult NONE = new TimelineResult(List.of(), List.of(), List.of());

  public TimelineResult {
    kernels = List.copyOf(kernels);
    rows = List.copyOf(rows);
    notes = List.copyOf(notes);
  }

  /**
   * What a run came to: its verdict, the kinds of hazard it reported, what the program's own checks
   * came to ({@code NONE} for a program that makes none; {@code ERROR} when the run stopped before
   * they were done), and the errno or the signal an error stopped it with (null if none): a
   * program's check that fails on one kernel and holds on the next, or an error whose errno or
   * signal changes, is a flip too.
   */
  public record Outcome(RunResult.Verdict verdict, Set<HazardKind> hazards, RunResult.CheckOutcome checks, String error) {
    public Outcome {
      hazards = hazards.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(hazards));
    }

    static Outcome of(RunResult r) {
      EnumSet<HazardKind> kinds = EnumSet.noneOf(HazardKind.class);
      for (Hazard h : r.hazards()) {
        kinds.add(h.kind());
      }
      String error = r.error() == null ? null : r.error().errno() != null ? r.error().errno().name() : r.error().signal();
      return new Outcome(r.verdict(), kinds, r.checkOutcome(), error);
    }

    /**
     * The verdict in lower case when the contract held or the run could not say, in capitals when broken; ! with
     * hazards; then the errno or signal of an error, and what the program's checks came to where it makes any ({@code kept/FAIL}).
     */
    public String code() {
      return (hazards.isEmpty() ? word() : word() + "!") + (error == null ? "" : " " + error)
          + (showsChecks() ? "/" + checks.name() : "");
    }

    /** {@code kept}, {@code BROKEN with SWAPPED_WHILE_HELD}, {@code error EBADF}, {@code kept, checks FAIL}: for a person. */
    public String describe() {
      return word() + (error == null ? "" : " " + error)
          + (hazards.isEmpty() ? "" : " with " + String.join(", ", hazards.stream().map(HazardKind::name).toList()))
          + (showsChecks() ? ", checks " + checks.name() : "");
    }

    /** The verdict: in capitals when broken, in lower case when the contract held or the run could not say. */
    private String word() {
      return verdict == RunResult.Verdict.BROKEN ? "BROKEN" : verdict.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the checks say more than the verdict and the error do: the program made some, and they were done. */
    private boolean showsChecks() {
      return checks != RunResult.CheckOutcome.NONE && checks != RunResult.CheckOutcome.ERROR;
    }
  }

  /**
   * One change of outcome between two adjacent kernels, and the kernel change that causes it: on
   * {@code from} with the changes between merged in order, the first after which the outcome is
   * no longer {@code before}, as git bisect would name it. When several changes in the interval
   * each change the outcome, each gets a flip. A change {@code to} lacks is taken out instead.
   */
  public record Flip(KernelConfig from, KernelConfig to, KernelChange change, Outcome before, Outcome after) {
    /** Whether the change came in (the usual case) or was taken out on the way to {@code to}. */
    public boolean added() {
      return to.has(change);
    }

    /** The hazard kinds the change added and took away, for a person. */
    public String hazardChange() {
      List<String> parts = new ArrayList<>();
      for (HazardKind k : after.hazards()) {
        if (!before.hazards().contains(k)) {
          parts.add("+" + k.name());
        }
      }
      for (HazardKind k : before.hazards()) {
        if (!after.hazards().contains(k)) {
          parts.add("-" + k.name());
        }
      }
      return String.join(" ", parts);
    }
  }

  /** One scenario under one strategy: its outcome on each kernel (in {@link #kernels} order), and its flips. */
  public record Row(String scenario, String strategy, List<Outcome> outcomes, List<Flip> flips) {
    public Row {
      outcomes = List.copyOf(outcomes);
      flips = List.copyOf(flips);
    }

    /** The flips between kernel {@code i - 1} and kernel {@code i}. */
    public List<Flip> flipsInto(KernelConfig kernel) {
      return flips.stream().filter(f -> f.to().equals(kernel)).toList();
    }
  }

  /** The row of {@code scenario} under {@code strategy}, or null. */
  public Row row(String scenario, String strategy) {
    for (Row r : rows) {
      if (r.scenario().equals(scenario) && r.strategy().equals(strategy)) {
        return r;
      }
    }
    return null;
  }
}
