package org.userptrlab.lab.explore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Printer;
import org.userptrlab.lab.lang.Program;

/** ddmin over lines and sizes: what the smallest failing program keeps. */
class ShrinkerTest {
  /**
   * A failure that needs a second thread only while the buffer is large: the line pass keeps the thread,
   * the size pass makes the buffer a page, and the lines are gone over again, which drops it.
   */
  @Test
  void aLineNeededOnlyByALargeBufferGoesOnceTheBufferIsSmall() {
    Program p = Parser.parse("x", "scenario x\np = app a\nt2 = p.thread\nbuf = p.malloc 64K\np.fill buf 64K 1\np.alive\n");
    Predicate<Program> fails = q -> {
      String text = Printer.print(q);
      return text.contains("p.fill buf") && (text.contains("t2 = p.thread") || !text.contains("64K"));
    };
    Program small = new Shrinker(fails).shrink(p);
    String text = Printer.print(small);
    assertThat(text).contains("buf = p.malloc 4K", "p.fill buf 4K 1").doesNotContain("p.thread", "p.alive");
  }
}
