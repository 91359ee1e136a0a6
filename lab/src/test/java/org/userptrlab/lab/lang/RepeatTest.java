package org.userptrlab.lab.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.lab.lang.Program.Statement;

/** {@code repeat N ... end}: the block's lines N times, as if written out, each keeping the line it was written on. */
class RepeatTest {
  private static final String HEAD = "scenario s\np = app a\n";

  private static List<Integer> lines(Program p) {
    return p.body().stream().map(Statement::line).toList();
  }

  @Test
  void aBlockIsItsLinesWrittenOutNTimesEachWithItsOwnLine() {
    Program looped = Parser.parse("f", HEAD + "repeat 3\n  b = p.malloc 4K\n  p.fill b 4K 1\nend\n");
    Program written = Parser.parse("f", HEAD + "b = p.malloc 4K\np.fill b 4K 1\n".repeat(3));
    assertThat(Printer.print(looped)).isEqualTo(Printer.print(written));
    assertThat(lines(looped)).containsExactly(2, 4, 5, 4, 5, 4, 5);
  }

  @Test
  void blocksNestAndTheirCommentsAreKeptOnce() {
    Program p = Parser.parse("f", HEAD + "repeat 2 # twice\n  # each time\n  b = p.malloc 4K\n  repeat 3\n    p.fill b 4K 1\n"
        + "  end # inner\nend\n");
    assertThat(p.body().stream().filter(s -> s instanceof Program.Comment).map(s -> ((Program.Comment) s).text()))
        .containsExactly("twice", "each time", "inner");
    assertThat(p.body().stream().map(Program::callOf).filter(c -> c != null && c.op() == Op.FILL)).hasSize(6);
    assertThat(p.body().stream().map(Program::callOf).filter(c -> c != null && c.op() == Op.MALLOC)).hasSize(2);
  }

  @Test
  void aProgramWithBlocksPrintsAsOneThatReadsBackToTheSameMeaning() {
    Program p = Parser.parse("f", HEAD + "repeat 4\n  b = p.malloc 8K\n  p.fill b 8K 2\n  o = p.userptr b 8K\n  p.close o\n"
        + "  p.free b\nend\n");
    String printed = Printer.print(p);
    assertThat(printed).doesNotContain("repeat");
    assertThat(Printer.print(Parser.parse("printed", printed))).isEqualTo(printed);
    assertThat(Programs.demand(p)).as("each pass frees what it took: one pass's memory at most").isEqualTo(8192);
  }

  /** A loop that maps and unmaps asks for one iteration's memory: 100 passes of 4 MiB fit a 64 MiB machine and run there. */
  @Test
  void aLoopThatGivesBackWhatItTookIsNotRefusedForTheSumOfItsPasses() {
    Program p = Parser.parse("f", HEAD + "repeat 100\n  b = p.mmap 4M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n"
        + "  p.fill b 4M 1\n  p.munmap b 4M\nend\n");
    assertThat(Programs.demand(p)).isEqualTo(4L << 20);
    org.userptrlab.mm.MachineConfig machine = org.userptrlab.mm.MachineConfig.builder().ram(64L << 20).build();
    assertThat(Programs.cannotRun(p, machine)).isNull();
    Program kept = Parser.parse("f", HEAD + "repeat 100\n  b = p.mmap 4M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS\n"
        + "  p.fill b 4M 1\n  p.munmap b+4K 4K\nend\n");
    assertThat(Programs.cannotRun(kept, machine)).as("a partial munmap gives back too little to count").isNotNull();
  }

  @Test
  void anErrorInALaterPassNamesTheLineItIsWrittenOn() {
    assertThatThrownBy(() -> Parser.parse("f", HEAD + "repeat 2\n  p.exit\nend\n"))
        .hasMessageStartingWith("f:4:3: p exited at line 4");
    assertThatThrownBy(() -> Parser.parse("f", HEAD + "repeat 2\n  p.frob\nend\n"))
        .hasMessageStartingWith("f:4:3: unknown operation 'p.frob'");
  }

  @Test
  void repeatAndEndStayUsableAsNames() {
    Program p = Parser.parse("f", "scenario s\nrepeat = app a\nend = repeat.fork\nend.exit\n");
    assertThat(p.body()).hasSize(3);
  }

  @Test
  void badBlocksSayWhatIsWrongAndWhere() {
    assertThatThrownBy(() -> Parser.parse("f", HEAD + "repeat 2\n  p.fork\n"))
        .hasMessage("f:3:1: a 'repeat' with no 'end'; close the block with a line 'end'");
    assertThatThrownBy(() -> Parser.parse("f", HEAD + "end\n")).hasMessage("f:3:1: an 'end' with no 'repeat' before it");
    assertThatThrownBy(() -> Parser.parse("f", HEAD + "repeat 0\nend\n"))
        .hasMessage("f:3:8: repeat takes a number from 1 to 10000, not 0");
    assertThatThrownBy(() -> Parser.parse("f", HEAD + "repeat 10001\nend\n"))
        .hasMessageStartingWith("f:3:8: repeat takes a number from 1");
    assertThatThrownBy(() -> Parser.parse("f", HEAD + "repeat n\nend\n"))
        .hasMessageStartingWith("f:3:8: repeat takes a number, not a name");
    assertThatThrownBy(() -> Parser.parse("f", HEAD + "repeat\nend\n"))
        .hasMessage("f:3:8: the line ends where the number of times to repeat (repeat 4) should be");
    assertThatThrownBy(() -> Parser.parse("f", HEAD + "repeat 2 3\nend\n"))
        .hasMessage("f:3:10: unexpected '3' after a complete line");
    assertThatThrownBy(() -> Parser.parse("f", HEAD + "repeat 2\nend now\n"))
        .hasMessage("f:4:5: unexpected 'now' after a complete line");
    assertThatThrownBy(() -> Parser.parse("f", HEAD + "repeat 2\nmachine ram 8M\nend\n"))
        .hasMessageStartingWith("f:4:1: 'machine' belongs in the header");
    assertThatThrownBy(() -> Parser.parse("f", "scenario s\nrepeat 2\nend\nobserve\n"))
        .as("a block, even an empty one, is part of the body")
        .hasMessageStartingWith("f:4:1: 'observe' belongs in the header");
  }

  @Test
  void nestedBlocksCannotMakeAProgramLongerThanTheLimit() {
    assertThatThrownBy(() -> Parser.parse("f", HEAD + "repeat 10000\n  repeat 10000\n    compact\n  end\nend\n"))
        .isInstanceOf(ProgramError.class)
        .hasMessage("f:3:1: the repeat blocks from here make the program longer than 100000 lines; repeat fewer times");
    assertThat(Parser.parse("f", HEAD + "repeat 1000\n  repeat 99\n    compact\n  end\nend\n").body()).hasSize(1 + 99_000);
    assertThatThrownBy(() -> Parser.parse("f", HEAD + "repeat 10000\n repeat 10000\n  repeat 10000\n  end\n end\nend\n"))
        .as("blocks with nothing in them end too").hasMessageStartingWith("f:3:1: the repeat blocks from here make the program longer");
  }
}
