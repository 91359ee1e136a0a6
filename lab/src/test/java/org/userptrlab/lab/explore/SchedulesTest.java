package org.userptrlab.lab.explore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Printer;
import org.userptrlab.lab.lang.Program;

/**
 * The interleavings of a program's threads: each keeps every thread's own order, puts a line after
 * the line that sets a name it uses and a process's exit after its uses, and prints as a program
 * that reads back; a short program gets all of them, a program with one thread none.
 */
class SchedulesTest {
  private static final String HEAD = "scenario s\n\np = app app\nbuf = p.malloc 64K\nobj = p.userptr buf 64K\nt1 = p.thread\n";

  private static List<String> bodies(String text) {
    return Schedules.of(Parser.parse("s", text), 1).stream().map(p -> Printer.print(p).substring(Printer.print(p).indexOf("t1 = p.thread")))
        .toList();
  }

  @Test
  void twoLinesOfEachOfTwoThreadsGiveTheFiveOtherOrders() {
    List<String> orders = bodies(HEAD + "t1: j = gpu.submit obj read 1ms\np.fill buf 4K 1\nt1: gpu.wait j\np.fill buf 4K 2\n");
    // C(4, 2) = 6 interleavings, the one written not among them; t1's submit always before its wait.
    assertThat(orders).hasSize(5).doesNotHaveDuplicates().allSatisfy(o -> {
      assertThat(o.indexOf("gpu.submit")).isLessThan(o.indexOf("gpu.wait"));
      assertThat(o.indexOf("p.fill buf 4K 1")).isLessThan(o.indexOf("p.fill buf 4K 2"));
    });
  }

  @Test
  void aLineComesAfterTheLineThatSetsWhatItUsesAndAnExitAfterTheUses() {
    List<String> orders = bodies(HEAD + "t1: j = gpu.submit obj read 1ms\np.fill buf 4K 1\nt1: gpu.wait j\nt1: p.fill buf 4K 3\np.exit\n");
    assertThat(orders).isNotEmpty().allSatisfy(o -> {
      assertThat(o.indexOf("p.exit")).isGreaterThan(o.indexOf("t1: p.fill buf 4K 3"));
      assertThat(o.indexOf("gpu.wait j")).isGreaterThan(o.indexOf("j = gpu.submit"));
    });
    for (String o : orders) {
      assertThat(Parser.parse("again", "scenario again\n\np = app app\nbuf = p.malloc 64K\nobj = p.userptr buf 64K\n" + o).body())
          .isNotEmpty();
    }
  }

  @Test
  void aProgramWithOneThreadHasOnlyTheOrderWritten() {
    assertThat(Schedules.of(Parser.parse("s", "scenario s\n\np = app app\nbuf = p.malloc 4K\np.fill buf 4K 1\n"), 1)).isEmpty();
  }

  @Test
  void aLongProgramGetsAFewDrawsTheSameForTheSameSeed() {
    StringBuilder b = new StringBuilder(HEAD);
    for (int i = 0; i < 6; i++) {
      b.append("t1: j").append(i).append(" = gpu.submit obj read 1ms\np.fill buf 4K ").append(i).append('\n');
    }
    Program p = Parser.parse("s", b.toString());
    List<Program> draws = Schedules.of(p, 7);
    assertThat(draws).hasSizeBetween(1, Schedules.DRAWS);
    assertThat(Schedules.of(p, 7)).isEqualTo(draws);
  }
}
