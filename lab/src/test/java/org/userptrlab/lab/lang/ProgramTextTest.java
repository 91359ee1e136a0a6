package org.userptrlab.lab.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A program file's text as editors and accidents leave it: encodings, line ends, odd spaces, sizes. */
class ProgramTextTest {
  private static final String TEXT = "scenario s \"a program\"\np = app a\nb = p.malloc 4K\np.fill b 4K 1\n";

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aByteOrderMarkAndCarriageReturnsReadAsTheSameProgram() {
    Program plain = Parser.parse("f", TEXT);
    assertThat(Programs.parse("f", bytes("\uFEFF" + TEXT))).isEqualTo(plain);
    assertThat(Programs.parse("f", bytes(TEXT.replace("\n", "\r\n")))).isEqualTo(plain);
    assertThat(Parser.parse("f", "\uFEFF" + TEXT.replace("\n", "\r\n"))).isEqualTo(plain);
  }

  @Test
  void bytesThatAreNotUtf8AreNamedWithTheirLineAndColumn() {
    byte[] b = bytes("scenario s\np = app a\nb = p.malloc 4K\n");
    byte[] withBad = new byte[b.length];
    System.arraycopy(b, 0, withBad, 0, b.length);
    withBad[25] = (byte) 0xff; // line 3, column 5: the p of p.malloc
    assertThatThrownBy(() -> Programs.parse("f", withBad)).isInstanceOf(ProgramError.class)
        .hasMessage("f:3:5: byte 0xff is not UTF-8 text; a program is UTF-8 text (is this a binary file?)");
  }

  @Test
  void aNoBreakSpaceOrAControlCharacterOrAStrayCarriageReturnIsNamedWhereItIs() {
    assertThatThrownBy(() -> Parser.parse("f", "scenario s\np =\u00a0app a\n")).isInstanceOf(ProgramError.class)
        .hasMessage("f:2:4: a no-break space (U+00A0); separate words with plain spaces or tabs");
    assertThatThrownBy(() -> Parser.parse("f", "scenario s\np = app\u0000 a\n"))
        .hasMessageStartingWith("f:2:8: a control character (U+0000)");
    assertThatThrownBy(() -> Parser.parse("f", "scenario s\rp = app a\n"))
        .hasMessageStartingWith("f:1:11: a carriage return (U+000D)");
    assertThatThrownBy(() -> Parser.parse("f", "scenario s\np = app caf\u00e9\n"))
        .hasMessage("f:2:12: the character '\u00e9' (U+00E9); outside strings and comments a program is plain ASCII");
    assertThat(Parser.parse("f", "# caf\u00e9\tau lait\nscenario s \"un caf\u00e9\"\n").description()).isEqualTo("un caf\u00e9");
  }

  @Test
  void aFileLargerThanAProgramMayBeIsRefusedWithoutReadingItWhole(@TempDir Path dir) throws IOException {
    Path big = dir.resolve("big.scenario");
    Files.write(big, new byte[Programs.MAX_BYTES + 1]);
    assertThatThrownBy(() -> Programs.read(big)).isInstanceOf(ProgramError.class)
        .hasMessage(big + ": larger than 1 MiB, more than a program may be; is it one?");
    Path zero = Path.of("/dev/zero");
    if (Files.isReadable(zero)) {
      assertThatThrownBy(() -> Programs.read(zero)).isInstanceOf(ProgramError.class)
          .hasMessageStartingWith("/dev/zero: larger than 1 MiB");
    }
    Path fits = dir.resolve("fits.scenario");
    Files.writeString(fits, TEXT + "#".repeat(Programs.MAX_BYTES - TEXT.length()));
    assertThat(Programs.read(fits).name()).isEqualTo("s");
  }
}
