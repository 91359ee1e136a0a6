package org.userptrlab.lab.explore;

import java.util.List;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.mm.Coverage;

/**
 * What one explored program gave, run under every strategy and kernel and in its other
 * interleavings: the runs that ended on the program's own errno or signal, the failures it showed,
 * and, when it reached something the corpus of its round had not, what the corpus needs to judge
 * whether to keep it.
 *
 * @param errors the runs of the program, in the order written, that ended on its own errno or signal
 * @param found each failure it showed once, in the order first shown
 * @param program the program, or null when it reached nothing its round's corpus had not (then no corpus keeps it)
 * @param reached what its runs reached between them (NONE with a null program)
 * @param shown the failures its runs showed, as the corpus counts outcomes (empty with a null program)
 */
public record Outcome(long index, long errors, List<Candidate> found, Program program, Coverage reached, List<Signature> shown) {
  public Outcome {
    found = List.copyOf(found);
    shown = List.copyOf(shown);
  }

  /** Whether the program reached something its round's corpus had not, and so is offered to the corpus. */
  public boolean offered() {
    return program != null;
  }
}
