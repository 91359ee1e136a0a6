package org.userptrlab.core.time;

/** One stretch of one actor's time: [start, end) in nanoseconds from the start of the run; an instant has start == end. */
public record Span(String actor, Actor.Kind actorKind, SpanKind kind, long start, long end, String label) {
  public Span {
    if (end < start) {
      throw new IllegalArgumentException("a span ends before it starts: " + start + " > " + end);
    }
  }

  public long length() {
    return end - start;
  }
}
