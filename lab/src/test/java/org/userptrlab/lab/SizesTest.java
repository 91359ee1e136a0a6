package org.userptrlab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Sizes on the command line read as a program's do (decimal or 0x hex, with K, M, G or T), and as people write them. */
class SizesTest {
  @Test
  void decimalHexAndUnitsReadAsAProgramReadsThem() {
    assertThat(Sizes.parse("4096")).isEqualTo(4096);
    assertThat(Sizes.parse("64M")).isEqualTo(64L << 20);
    assertThat(Sizes.parse("64m")).isEqualTo(64L << 20);
    assertThat(Sizes.parse("16MiB")).isEqualTo(16L << 20);
    assertThat(Sizes.parse("0x4000000")).isEqualTo(64L << 20);
    assertThat(Sizes.parse("0x1B")).as("a hex digit B is no unit").isEqualTo(27);
    assertThat(Sizes.parse("0x10M")).isEqualTo(16L << 20);
    assertThat(Sizes.parse("0x10m")).as("a unit in either case, as after a decimal number").isEqualTo(16L << 20);
    assertThat(Sizes.parse("0x7fffffffffffffff")).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void whatIsNoSizeOrTooLargeIsRefusedInWords() {
    assertThatThrownBy(() -> Sizes.parse("0xg")).hasMessageStartingWith("'0xg' is not a size; write bytes, decimal or 0x hex");
    assertThatThrownBy(() -> Sizes.parse("0xffffffffffffffff")).hasMessage("'0xffffffffffffffff' is too large a size");
    assertThatThrownBy(() -> Sizes.parse("0x800000T")).hasMessage("'0x800000T' is too large a size");
    assertThatThrownBy(() -> Sizes.parse("0x1000000000000000000")).hasMessage("'0x1000000000000000000' is too large a size");
  }
}
