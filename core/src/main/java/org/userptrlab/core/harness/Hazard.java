package org.userptrlab.core.harness;

/** One hazard seen in a run: its kind, and what exactly happened. */
public record Hazard(HazardKind kind, String detail) {
  public Hazard {
    java.util.Objects.requireNonNull(kind, "kind");
    java.util.Objects.requireNonNull(detail, "detail");
  }
}
