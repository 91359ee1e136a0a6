package org.userptrlab.core.cost;

/** One figure of a platform profile, with where it comes from (a measurement, a document, or an estimate and why). */
public record Figure(double value, String unit, String source) {}
