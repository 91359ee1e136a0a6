package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The content tokens: what each kind holds, when a page becomes exact, and that bytes read back as written. */
class ContentTest {
  private final Content c = new Content();

  @Test
  void aStreamWrittenAWordAtATimeIsTheStreamByteByByteAtEveryAlignment() {
    byte[] page = new byte[Page.PAGE_SIZE + 16];
    for (int pos = 0; pos < 24; pos++) {
      for (int len : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 4000, Page.PAGE_SIZE}) {
        java.util.Arrays.fill(page, (byte) 0x5a);
        Content.patternBytes(11, 1000 + pos, page, 3, len);
        for (int k = 0; k < len; k++) {
          assertThat(page[3 + k]).as("pos %d len %d byte %d", pos, len, k).isEqualTo(Content.patternByte(11, 1000 + pos + k));
        }
        assertThat(page[3 + len]).as("nothing written past the end").isEqualTo((byte) 0x5a);
        assertThat(page[2]).as("nothing written before the start").isEqualTo((byte) 0x5a);
      }
    }
  }

  @Test
  void bytesNeverWrittenReadAsZeroAlsoInAPageWhoseBytesWereGivenBack() {
    long old = c.storePattern(Content.ZERO, 0, Page.PAGE_SIZE - 1, 5, 0);
    c.release(old);
    long reused = c.store(Content.ZERO, 0, (byte) 9);
    assertThat(c.byteAt(reused, 0)).isEqualTo((byte) 9);
    for (int off = 1; off < Page.PAGE_SIZE; off++) {
      assertThat(c.byteAt(reused, off)).as("byte %d", off).isZero();
    }
    long copy = c.copyBytes(Content.ZERO, 100, c.pattern(5, 0), 100, 10);
    assertThat(c.byteAt(copy, 99)).isZero();
    assertThat(c.matches(copy, 100, 110, 5, 100)).isTrue();
  }

  @Test
  void aPatternTokenReadsAsItsStreamAndAWholePageFillStaysAToken() {
    long t = c.pattern(7, 8192);
    assertThat(Content.isPattern(t)).isTrue();
    for (int i : new int[] {0, 1, 100, 4095}) {
      assertThat(c.byteAt(t, i)).isEqualTo(Content.patternByte(7, 8192 + i));
    }
    assertThat(c.matches(t, 0, 4096, 7, 8192)).isTrue();
    assertThat(c.matches(t, 0, 4096, 7, 8193)).isFalse();
    assertThat(c.matches(t, 0, 4096, 8, 8192)).isFalse();
    assertThat(c.pattern(7, 0)).as("one seed, one pattern id").isEqualTo(c.pattern(7, 8192) - 8192);
    assertThat(c.liveExact()).isZero();
    assertThatThrownBy(() -> c.pattern(7, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPartialStoreMakesThePageExactAndKeepsTheOtherBytes() {
    long t = c.pattern(3, 0);
    long e = c.storePattern(t, 100, 50, 9, 0);
    assertThat(Content.isExact(e)).isTrue();
    assertThat(c.liveExact()).isEqualTo(1);
    assertThat(c.matches(e, 0, 100, 3, 0)).as("bytes before the store").isTrue();
    assertThat(c.matches(e, 100, 150, 9, 0)).isTrue();
    assertThat(c.matches(e, 150, 4096, 3, 150)).as("bytes after the store").isTrue();
    long same = c.store(e, 0, (byte) 1);
    assertThat(same).as("an exact page stays the same token").isEqualTo(e);
    assertThat(c.byteAt(e, 0)).isEqualTo((byte) 1);
    c.release(e);
    assertThat(c.liveExact()).isZero();
  }

  @Test
  void aPartialStoreIntoAReusedPageOfBytesKeepsTheOldTokensBytesOnBothSides() {
    long stale = c.storePattern(Content.ZERO, 0, Page.PAGE_SIZE - 1, 99, 0);
    c.release(stale);
    long e = c.storePattern(c.pattern(3, 8192), 1000, 96, 9, 0);
    assertThat(c.matches(e, 0, 1000, 3, 8192)).as("bytes before the store: the pattern's, not the freed page's").isTrue();
    assertThat(c.matches(e, 1000, 1096, 9, 0)).isTrue();
    assertThat(c.matches(e, 1096, 4096, 3, 8192 + 1096)).as("bytes after the store").isTrue();
    c.release(e);
    long z = c.storeBytes(Content.ZERO, 4000, new byte[] {7, 7}, 0, 2);
    for (int off : new int[] {0, 1, 3999, 4002, 4095}) {
      assertThat(c.byteAt(z, off)).as("byte %d of a zero page stored into", off).isZero();
    }
    assertThat(c.byteAt(z, 4000)).isEqualTo((byte) 7);
  }

  @Test
  void aDuplicateOfAnExactPageIsACopyThatChangesAlone() {
    long e = c.store(Content.ZERO, 10, (byte) 5);
    long d = c.duplicate(e);
    assertThat(d).isNotEqualTo(e);
    assertThat(c.sameContent(e, d)).isTrue();
    c.store(d, 10, (byte) 6);
    assertThat(c.byteAt(e, 10)).isEqualTo((byte) 5);
    assertThat(c.sameContent(e, d)).isFalse();
    assertThat(c.duplicate(c.pattern(1, 0))).as("a pattern token is shared, not copied").isEqualTo(c.pattern(1, 0));
    assertThat(c.sameContent(Content.ZERO, c.pattern(1, 0))).isFalse();
    assertThat(c.byteAt(Content.ZERO, 4095)).isZero();
    c.release(e);
    c.release(d);
    long reused = c.store(Content.ZERO, 0, (byte) 2);
    assertThat(c.byteAt(reused, 10)).as("a reused exact page starts zeroed").isZero();
    c.release(reused);
  }

  @Test
  void aCopyWhoseStreamContinuesAcrossPagesStaysAToken() {
    long a = c.pattern(4, 0);
    long b = c.pattern(4, 4096);
    long spliced = c.spliced(a, b, 1000);
    assertThat(Content.isPattern(spliced)).isTrue();
    assertThat(c.matches(spliced, 0, 4096, 4, 1000)).isTrue();
    long copied = c.copyBytes(Content.ZERO, 0, a, 0, 4096);
    assertThat(copied).isEqualTo(a);
    long part = c.copyBytes(Content.ZERO, 96, a, 0, 4000);
    assertThat(Content.isExact(part)).isTrue();
    assertThat(c.matches(part, 96, 4096, 4, 0)).isTrue();
    assertThat(c.byteAt(part, 95)).isZero();
  }
}
