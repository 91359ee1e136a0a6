package org.userptrlab.lab.explore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.userptrlab.core.harness.Check;
import org.userptrlab.core.harness.Hazard;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.harness.RunResult;

/**
 * How a failure is told apart from another: under which strategy and kernel, and what went wrong
 * (a promise of the contract broken, a hazard reported, or an invariant of the memory manager
 * broken, which is a bug of the model).
 */
public record Signature(String strategy, String kernel, Kind kind, String what) implements Comparable<Signature>, java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** What kind of failure. */
  public enum Kind {
    /** A promise the strategy's contract makes did not hold. */
    BROKEN,
    /** The harness or the program reported a hazard. */
    HAZARD,
    /** The memory manager's invariants broke: a bug of the model, not of the strategy. */
    MODEL_BUG,
    /**
     * A broken promise or a hazard ({@link #what()} names it: {@code HAZARD GPU_JOB_FAILED}) that a program
     * shows in an interleaving of its threads and not in the order its lines were first written: a race.
     */
    RACE
  }

  /** The race of {@code shown}: the same failure, found only in another interleaving. */
  static Signature race(Signature shown) {
    return new Signature(shown.strategy, shown.kernel, Kind.RACE, shown.kind + " " + shown.what);
  }

  /** What a run shows of this signature: itself, or for a race the failure it names. */
  Signature shown() {
    if (kind != Kind.RACE) {
      return this;
    }
    String[] parts = what.split(" ", 2);
    return new Signature(strategy, kernel, Kind.valueOf(parts[0]), parts[1]);
  }

  private static final Comparator<Signature> ORDER = Comparator.comparing(Signature::strategy).thenComparing(Signature::kernel)
      .thenComparing(Signature::kind).thenComparing(Signature::what);

  /** The failures a run shows, each once, in order. */
  public static List<Signature> of(RunResult r) {
    List<Signature> out = new ArrayList<>();
    String k = r.kernel().name();
    for (Check c : r.brokenPromises()) {
      add(out, new Signature(r.strategy(), k, Kind.BROKEN, c.promise().name()));
    }
    for (Hazard h : r.hazards()) {
      add(out, new Signature(r.strategy(), k, h.kind() == HazardKind.INVARIANT_BROKEN ? Kind.MODEL_BUG : Kind.HAZARD, h.kind().name()));
    }
    out.sort(ORDER);
    return out;
  }

  private static void add(List<Signature> out, Signature s) {
    if (!out.contains(s)) {
      out.add(s);
    }
  }

  /** A file name for the signature's minimal program. */
  public String slug() {
    return (strategy + "_" + kernel + "_" + kind + "_" + what).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.+-]+", "_");
  }

  @Override
  public int compareTo(Signature o) {
    return ORDER.compare(this, o);
  }

  @Override
  public String toString() {
    return kind + " " + what + " under " + strategy + " on " + kernel;
  }
}
