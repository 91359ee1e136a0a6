package org.userptrlab.core.cost;

/**
 * One figure of a platform profile in its parameter's unit, with where it comes from: a
 * measurement, a document, or an estimate and why.
 */
public record Figure(double value, String source) {
  public Figure {
    if (!Double.isFinite(value) || value < 0) {
      throw new IllegalArgumentException("a figure must be a finite, non-negative number: " + value);
    }
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("a figure must say where it comes from");
    }
  }
}
