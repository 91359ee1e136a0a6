package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import org.junit.jupiter.api.Test;

/**
 * Streams of bytes told apart however they are written and read: whole pages and parts of
 * pages, two streams in turn at the same offsets, zero pages against a stream, and copies of each
 * kind of page. A page's bytes are always exactly what was last written there.
 */
class ContentStreamsTest {
  private final Machine m = new Machine(MachineConfig.builder().ram(8 * MiB).build());
  private final Process p = m.spawn("p");
  private final Content c = m.content;

  @Test
  void twoStreamsWrittenInTurnAreToldApartWholeAndInPart() {
    long a = anon(p, 2 * PAGE);
    long b = anon(p, 2 * PAGE);
    for (int round = 0; round < 2; round++) {
      p.fill(a, 2 * PAGE, 1);
      p.fill(b, 2 * PAGE, 2);
      assertThat(p.matches(a, 2 * PAGE, 1)).isTrue();
      assertThat(p.matches(b, 2 * PAGE, 2)).isTrue();
      assertThat(p.matches(a, 2 * PAGE, 2)).isFalse();
      assertThat(p.matches(b, 2 * PAGE, 1)).isFalse();
      p.fill(a + 16, 100, 3);
      p.fill(b + 16, 100, 4);
      assertThat(p.matches(a + 16, 100, 3)).isTrue();
      assertThat(p.matches(a + 16, 100, 4)).as("the same offset and length, another stream").isFalse();
      assertThat(p.matches(b + 16, 100, 4)).isTrue();
      assertThat(p.matches(b + 16, 50, 4)).as("a shorter look at the same stream").isTrue();
      assertThat(p.matches(b + 16, 100, 4, 1)).as("the same stream one byte on").isFalse();
      assertThat(p.matches(a + 116, PAGE - 116, 1, 116)).as("bytes past the partial write are the old stream's").isTrue();
    }
  }

  @Test
  void aZeroPageMatchesOnlyAStreamOfZerosAndCopiesOfEachKindKeepTheirBytes() {
    long buf = anon(p, 4 * PAGE);
    p.load(buf);
    assertThat(p.matches(buf, PAGE, 1)).isFalse();
    assertThat(c.matches(Content.ZERO, 0, 0, 1, 0)).as("no bytes match any stream").isTrue();
    p.fill(buf + PAGE, PAGE, 5);
    p.store(buf + 2 * PAGE + 7, (byte) 9);
    p.memcpy(buf + 3 * PAGE, buf + PAGE, 100);
    assertThat(p.matches(buf + 3 * PAGE, 100, 5)).isTrue();
    assertThat(p.load(buf + 3 * PAGE + 100)).isZero();
    p.memcpy(buf + 3 * PAGE + 200, buf + 2 * PAGE, 16);
    assertThat(p.load(buf + 3 * PAGE + 207)).isEqualTo((byte) 9);
    p.memcpy(buf + 3 * PAGE + 300, buf, 16);
    assertThat(p.load(buf + 3 * PAGE + 300)).as("a copy of zeros writes zeros").isZero();
    assertThat(p.matches(buf + 3 * PAGE, 100, 5)).as("the earlier copy is still there").isTrue();
  }

  @Test
  void sameContentComparesBytesNotTokens() {
    long pattern = c.pattern(6, 0);
    long exact = c.storePattern(Content.ZERO, 0, PAGE, 6, 0);
    assertThat(c.sameContent(pattern, exact)).as("the same bytes as a token and as an array").isTrue();
    assertThat(c.sameContent(exact, pattern)).isTrue();
    assertThat(c.sameContent(pattern, c.pattern(7, 0))).isFalse();
    assertThat(c.sameContent(pattern, pattern)).isTrue();
    long other = c.storePattern(Content.ZERO, 0, PAGE, 7, 0);
    assertThat(c.sameContent(exact, other)).isFalse();
    assertThat(c.sameContent(Content.ZERO, c.store(Content.ZERO, 0, (byte) 0))).as("a stored zero is still all zeros").isTrue();
    assertThat(Content.isPattern(pattern)).isTrue();
    assertThat(Content.isPattern(Content.ZERO)).isFalse();
    assertThat(Content.isPattern(exact)).isFalse();
  }

  @Test
  void aSplicedPageIsATokenOnlyWhenItsTwoHalvesContinueOneStream() {
    long a = c.pattern(8, 0);
    long b = c.pattern(8, PAGE);
    assertThat(c.spliced(a, b, 100)).isEqualTo(c.pattern(8, 100));
    assertThat(c.spliced(Content.ZERO, Content.ZERO, 100)).isEqualTo(Content.ZERO);
    assertThat(c.spliced(a, Content.ZERO, 100)).isEqualTo(1);
    assertThat(c.spliced(Content.ZERO, b, 100)).isEqualTo(1);
    assertThat(c.spliced(a, c.pattern(8, 2 * PAGE), 100)).as("a gap in the stream").isEqualTo(1);
    assertThat(c.spliced(a, c.pattern(9, PAGE), 100)).as("another stream").isEqualTo(1);
  }

  @Test
  void aStreamMayBeOneTebibyteLong() {
    long last = (1L << 40) - 1 - PAGE;
    assertThat(c.pattern(1, last)).isPositive();
    assertThatThrownBy(() -> c.pattern(1, last + 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> c.pattern(1, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
