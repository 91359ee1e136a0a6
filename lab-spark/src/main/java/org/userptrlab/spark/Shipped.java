package org.userptrlab.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.userptrlab.lab.explore.Candidate;
import org.userptrlab.lab.explore.Outcome;
import org.userptrlab.lab.explore.Round;
import org.userptrlab.lab.explore.Signature;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Printer;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.mm.Coverage;

/** The explorer's values as they travel between Spark's driver and its executors: text and plain values. */
final class Shipped {
  private Shipped() {}

  /** A {@link Round}: its corpus as the names and texts of its programs. */
  record RoundOut(long seed, long start, long end, List<String> names, List<String> programs, CoverageBits reached,
      List<Signature> outcomes) implements Serializable {
    private static final long serialVersionUID = 1L;

    static RoundOut of(Round r) {
      return new RoundOut(r.seed(), r.start(), r.end(), r.corpus().stream().map(Program::name).toList(),
          r.corpus().stream().map(Printer::print).toList(), CoverageBits.of(r.reached()), List.copyOf(r.outcomes()));
    }

    Round round() {
      List<Program> corpus = new ArrayList<>(names.size());
      for (int i = 0; i < names.size(); i++) {
        corpus.add(Parser.parse(names.get(i), programs.get(i)));
      }
      return new Round(seed, start, end, corpus, reached.coverage(), java.util.Set.copyOf(outcomes));
    }
  }

  /** An {@link Outcome}: its program as text, and only when it is offered to the corpus. */
  record OutcomeBack(long index, long errors, List<Candidate> found, String name, String program, CoverageBits reached,
      List<Signature> shown) implements Serializable {
    private static final long serialVersionUID = 1L;

    static OutcomeBack of(Outcome o) {
      return o.offered()
          ? new OutcomeBack(o.index(), o.errors(), o.found(), o.program().name(), Printer.print(o.program()), CoverageBits.of(o.reached()),
              o.shown())
          : new OutcomeBack(o.index(), o.errors(), o.found(), null, null, null, List.of());
    }

    Outcome outcome() {
      return program == null ? new Outcome(index, errors, found, null, Coverage.NONE, List.of())
          : new Outcome(index, errors, found, Parser.parse(name, program), reached.coverage(), shown);
    }
  }
}
