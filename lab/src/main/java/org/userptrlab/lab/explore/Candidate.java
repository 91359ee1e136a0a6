package org.userptrlab.lab.explore;

import java.io.Serializable;

/**
 * A failure one explored program showed, with what shrinking it takes: of every program that shows
 * a signature the first (by index) is shrunk, whichever machine ran it, so a candidate holds its
 * program as text and plain values only.
 *
 * @param index the program's index in the run
 * @param hits how many of the program's runs (its interleavings counted) showed the signature
 * @param kernel the name of the kernel it showed under
 * @param name the program's name
 * @param program the program (or the interleaving of it that showed the failure) as {@code Printer} writes it
 * @param source where it came from, for the minimal program's preamble
 * @param witness a strategy that kept the broken promise on the same program, or null
 */
public record Candidate(Signature signature, long index, long hits, String kernel, String name, String program, String source,
    String witness) implements Serializable {
  private static final long serialVersionUID = 1L;

  Candidate hit() {
    return new Candidate(signature, index, hits + 1, kernel, name, program, source, witness);
  }

  /** This, the first program, with {@code other}'s hits added; the one with the lower index is the first. */
  Candidate and(Candidate other) {
    Candidate first = index <= other.index ? this : other;
    return new Candidate(signature, first.index, hits + other.hits, first.kernel, first.name, first.program, first.source,
        first.witness);
  }
}
