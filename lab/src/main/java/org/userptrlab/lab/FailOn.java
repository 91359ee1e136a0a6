package org.userptrlab.lab;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.userptrlab.core.harness.RunResult;

/**
 * What makes a run count as failed for a CI job ({@code --fail-on}) and as a failed test case in
 * JUnit XML: a broken contract, a hazard reported, the scenario's own error, or a check of its own that failed.
 */
public enum FailOn {
  /** The strategy broke a promise of its contract. */
  BROKEN,
  /** The run reported at least one hazard, whatever its verdict. */
  HAZARD,
  /** The scenario's own program failed. */
  ERROR,
  /** A check the program makes of the kernel itself (a {@code check} line) did not hold. */
  CHECK,
  /** The strategy's driver refused the program's import (its ioctl failed): nothing of the strategy ran. */
  REFUSED;

  /** Whether {@code r} fails by this criterion. */
  public boolean fails(RunResult r) {
    return switch (this) {
      case BROKEN -> r.verdict() == RunResult.Verdict.BROKEN;
      case HAZARD -> !r.hazards().isEmpty();
      case ERROR -> r.verdict() == RunResult.Verdict.ERROR;
      case CHECK -> r.checkOutcome() == RunResult.CheckOutcome.FAIL;
      case REFUSED -> r.verdict() == RunResult.Verdict.REFUSED;
    };
  }

  /** As {@code --fail-on} takes it: {@code broken}, {@code hazard}, {@code error}, {@code check} or {@code refused}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The criteria of a comma-separated list such as {@code broken,hazard}; {@link IllegalArgumentException}
   * naming the bad or repeated item.
   */
  public static Set<FailOn> parse(String list) {
    Set<FailOn> out = EnumSet.noneOf(FailOn.class);
    for (String item : list.split(",", -1)) {
      String s = item.strip().toLowerCase(Locale.ROOT);
      FailOn f = null;
      for (FailOn x : values()) {
        if (x.id().equals(s)) {
          f = x;
        }
      }
      if (f == null) {
        throw new IllegalArgumentException("--fail-on takes broken, hazard, error, check or refused, comma-separated, not '" + item + "'");
      }
      if (!out.add(f)) {
        throw new IllegalArgumentException("--fail-on names " + f.id() + " twice; name each once");
      }
    }
    return out;
  }
}
