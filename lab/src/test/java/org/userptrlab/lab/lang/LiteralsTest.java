package org.userptrlab.lab.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Sizes in hex and in TiB, and strings with escapes: each reads as meant and prints back to the same program. */
class LiteralsTest {
  private static List<Program.Arg> args(String line) {
    Program p = Parser.parse("f", "scenario s\np = app a\nb = p.malloc 4K\n" + line + "\n");
    return Program.callOf(p.body().get(p.body().size() - 1)).args();
  }

  @Test
  void hexSizesWithOrWithoutASuffixAndTheTSuffix() {
    assertThat(args("p.fill b 0x1000 0x1F")).containsExactly(new Program.Ref("b", 0), new Program.Num(4096), new Program.Num(31));
    assertThat(args("p.fill b+0x10 0X2K 1")).containsExactly(new Program.Ref("b", 16), new Program.Num(2048), new Program.Num(1));
    assertThat(args("p.fill b 1T 0x7fffffffffffffff")).containsExactly(new Program.Ref("b", 0), new Program.Num(1L << 40),
        new Program.Num(Long.MAX_VALUE));
    assertThat(Parser.parse("f", "scenario s\nmachine ram 0x4000000\n").machine())
        .containsExactly(new Program.Setting("ram", 64L << 20));
  }

  /** KiB to TiB, as the command line takes them, mean K to T; they print back in the short form. */
  @Test
  void binaryUnitsAsTheCommandLineTakesThem() {
    assertThat(args("p.fill b+1KiB 2MiB 1")).containsExactly(new Program.Ref("b", 1024), new Program.Num(2L << 20), new Program.Num(1));
    assertThat(Parser.parse("f", "scenario s\nmachine ram 64MiB\n").machine()).containsExactly(new Program.Setting("ram", 64L << 20));
    assertThat(Printer.print(Parser.parse("f", "scenario s\np = app a\nb = p.malloc 0x1GiB\n"))).contains("b = p.malloc 1G\n");
    assertThatThrownBy(() -> args("p.fill b 1iB 1")).hasMessageStartingWith("f:4:10: '1iB' is not a size");
    assertThatThrownBy(() -> args("p.fill b 1MB 1")).hasMessageStartingWith("f:4:10: '1MB' is not a size");
  }

  @Test
  void aBadSizeSaysSo() {
    assertThatThrownBy(() -> args("p.fill b 0x 1")).hasMessageStartingWith("f:4:10: '0x' is not a size");
    assertThatThrownBy(() -> args("p.fill b 0xG 1")).hasMessageStartingWith("f:4:10: '0xG' is not a size");
    assertThatThrownBy(() -> args("p.fill b 0x10000000000000000 1"))
        .hasMessageStartingWith("f:4:10: '0x10000000000000000' is too large a size");
    assertThatThrownBy(() -> args("p.fill b 8388608T 1")).hasMessageStartingWith("f:4:10: '8388608T' is too large a size");
    assertThatThrownBy(() -> args("p.fill b 1t 1")).hasMessageStartingWith("f:4:10: '1t' is not a size");
  }

  @Test
  void sizesPrintInTheLargestExactUnitAndReadBackTheSame() {
    assertThat(Printer.size(1L << 40)).isEqualTo("1T");
    assertThat(Printer.size(3L << 40)).isEqualTo("3T");
    assertThat(Printer.size(1L << 39)).isEqualTo("512G");
    String text = "scenario s\np = app a\nb = p.malloc 0x1000\np.fill b 2T 0xff\n";
    String printed = Printer.print(Parser.parse("f", text));
    assertThat(printed).contains("b = p.malloc 4K\n", "p.fill b 2T 255\n");
    assertThat(Printer.print(Parser.parse("f", printed))).isEqualTo(printed);
  }

  @Test
  void stringsTakeEscapesAndPrintThemBack() {
    Program p = Parser.parse("f", "scenario s \"say \\\"hi\\\"\\tto C:\\\\ and\\nbye\"\np = app a\n"
        + "expect GPU_KEEPS_SNAPSHOT \"a \\\"quoted\\\" check\" p.alive\n");
    assertThat(p.description()).isEqualTo("say \"hi\"\tto C:\\ and\nbye");
    assertThat(((Program.Expect) p.body().get(1)).what()).isEqualTo("a \"quoted\" check");
    String printed = Printer.print(p);
    assertThat(printed).contains("scenario s \"say \\\"hi\\\"\\tto C:\\\\ and\\nbye\"\n");
    Program back = Parser.parse("f", printed);
    assertThat(back.description()).isEqualTo(p.description());
    assertThat(((Program.Expect) back.body().get(1)).what()).isEqualTo("a \"quoted\" check");
    assertThat(Printer.print(back)).isEqualTo(printed);
  }

  @Test
  void aBadEscapeIsAnErrorAtItsColumn() {
    assertThatThrownBy(() -> Parser.parse("f", "scenario s \"a\\qb\"\n")).isInstanceOf(ProgramError.class)
        .hasMessage("f:1:14: '\\q' is not an escape; a string knows \\\" (a quote), \\\\ (a backslash), \\n (a new line) and \\t (a tab)");
    assertThatThrownBy(() -> Parser.parse("f", "scenario s \"ends in a backslash\\"))
        .hasMessageStartingWith("f:1:12: a string that does not end");
    assertThatThrownBy(() -> Parser.parse("f", "scenario s \"escaped end\\\"\n"))
        .hasMessageStartingWith("f:1:12: a string that does not end");
  }

  @Test
  void aMessageThatEchoesAStringWithANewLineStaysOneLine() {
    assertThatThrownBy(() -> Parser.parse("f", "scenario s\np = app a\np.fork \"two\\nlines\"\n"))
        .hasMessage("f:3:8: unexpected 'two\\nlines' after a complete line");
  }
}
