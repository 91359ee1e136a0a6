package org.userptrlab.lab.explore;

import java.util.List;

/**
 * One signature the explorer met: the first program that showed it (by index, the same however the
 * work was sharded), how many programs did, and the minimal program that still shows it.
 *
 * @param events the operations of the minimal program that act on the import (fork, free, pressure, ...)
 * @param inCatalogue whether a catalogue scenario already shows the signature
 */
public record Finding(Signature signature, long first, long hits, String minimal, int lines, List<String> events,
    boolean inCatalogue) implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  public Finding {
    events = List.copyOf(events);
  }

  Finding hit(long more) {
    return new Finding(signature, first, hits + more, minimal, lines, events, inCatalogue);
  }

  /** This finding, saying whether a catalogue scenario shows its signature. */
  Finding inCatalogue(boolean shown) {
    return new Finding(signature, first, hits, minimal, lines, events, shown);
  }
}
