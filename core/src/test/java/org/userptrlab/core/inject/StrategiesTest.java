package org.userptrlab.core.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.userptrlab.core.spi.Contract;

/** The strategies found on the class path: here, in core alone, the copy baseline. */
class StrategiesTest {
  @Test
  void theCopyBaselineIsFoundWithItsContract() {
    assertThat(Strategies.names()).contains("copy");
    assertThat(Strategies.exists("copy")).isTrue();
    assertThat(Strategies.exists("nope")).isFalse();
    assertThat(Strategies.contract("copy")).isEqualTo(Contract.SNAPSHOT);
    assertThat(Strategies.all()).extracting(Strategies.Info::name).containsExactlyElementsOf(Strategies.names());
  }

  @Test
  void anUnknownStrategyIsNamedWithTheOnesThereAre() {
    assertThatThrownBy(() -> Strategies.contract("nope")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no strategy 'nope' on the class path; there are " + String.join(", ", Strategies.names()));
  }
}
