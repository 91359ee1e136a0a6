package org.userptrlab.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The page arithmetic every strategy relies on: which pages a byte range touches, and where it starts in the first. */
class UserptrRequestTest {
  private static UserptrRequest r(long address, long size) {
    return new UserptrRequest(null, address, size, Set.of());
  }

  @Test
  void aRangeTouchesEveryPageItHasAByteIn() {
    UserptrRequest mid = r(0x10000 + 1000, 2 * 4096);
    assertThat(mid.firstPage()).isEqualTo(0x10000);
    assertThat(mid.offsetInPage()).isEqualTo(1000);
    assertThat(mid.pageCount()).as("1000 bytes in, 8 KiB long: three pages").isEqualTo(3);
    assertThat(mid.end()).isEqualTo(0x10000 + 1000 + 8192);

    UserptrRequest aligned = r(0x20000, 4096);
    assertThat(aligned.pageCount()).isEqualTo(1);
    assertThat(aligned.offsetInPage()).isZero();

    assertThat(r(0x20000 + 4095, 1).pageCount()).as("the last byte of a page").isEqualTo(1);
    assertThat(r(0x20000 + 4095, 2).pageCount()).as("one byte either side of a boundary").isEqualTo(2);
  }

  @Test
  void flagsAreCopiedAndReadOnlyIsAsked() {
    assertThat(r(0, 1).readOnly()).isFalse();
    assertThat(new UserptrRequest(null, 0, 1, Set.of(UserptrFlag.READ_ONLY)).readOnly()).isTrue();
    assertThat(Contract.COHERENT.promises(Promise.CPU_SEES_GPU_WRITES)).isTrue();
    assertThat(Contract.SNAPSHOT.promises(Promise.CPU_SEES_GPU_WRITES)).isFalse();
    assertThat(Contract.MOVE.promises()).doesNotContain(Promise.PROGRAM_KEEPS_ITS_BYTES).contains(Promise.GPU_KEEPS_SNAPSHOT);
  }
}
