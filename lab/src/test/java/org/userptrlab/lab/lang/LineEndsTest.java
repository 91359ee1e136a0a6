package org.userptrlab.lab.lang;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A line that ends before it is complete says what should have come, one space after its last word. */
class LineEndsTest {
  static Stream<Arguments> shortLines() {
    return Stream.of(
        Arguments.of("b =", "f:3:5: expected an operation after '=', as in 'b = p.malloc 1M'"),
        Arguments.of("b = ", "f:3:5: expected an operation after '=', as in 'b = p.malloc 1M'"),
        Arguments.of("expect", "f:3:8: the line ends where a promise, such as GPU_SEES_LATER_CPU_WRITES should be"),
        Arguments.of("expect GPU_KEEPS_SNAPSHOT", "f:3:27: the line ends where what is checked, in double quotes should be"),
        Arguments.of("expect GPU_KEEPS_SNAPSHOT \"x\"", "f:3:31: the line ends where a condition should be"),
        Arguments.of("expect GPU_KEEPS_SNAPSHOT \"x\" not", "f:3:35: the line ends where a condition should be"),
        Arguments.of("expect GPU_KEEPS_SNAPSHOT \"x\" p.alive and", "f:3:43: the line ends where a condition should be"),
        Arguments.of("expect GPU_KEEPS_SNAPSHOT \"x\" p.alive if", "f:3:42: the line ends where a condition should be"),
        Arguments.of("hazard GPU_JOB_FAILED \"x\"", "f:3:27: expected 'if'"),
        Arguments.of("hazard GPU_JOB_FAILED \"x\" if", "f:3:30: the line ends where a condition should be"),
        Arguments.of("hazard", "f:3:8: the line ends where a hazard kind, such as GPU_FOLLOWS_CHILD should be"),
        Arguments.of("p.fill", "f:3:8: 'fill' needs 3 arguments (an address, a size, a seed): P.fill ADDR SIZE SEED"));
  }

  @ParameterizedTest
  @MethodSource("shortLines")
  void aShortLineSaysWhatShouldComeAndWhere(String line, String message) {
    assertThatThrownBy(() -> Parser.parse("f", "scenario s\np = app a\n" + line + "\n")).isInstanceOf(ProgramError.class)
        .hasMessageStartingWith(message);
  }

  static Stream<Arguments> shortHeaders() {
    return Stream.of(
        Arguments.of("scenario", "f:1:10: the line ends where the scenario's name should be"),
        Arguments.of("scenario s\nkernel", "f:2:8: the line ends where a kernel, such as 3.4, 6.12 or 3.4+foll-pin should be"),
        Arguments.of("scenario s\nkernel \"3.4\"", "f:2:8: expected a kernel, such as 3.4, 6.12 or 3.4+foll-pin, not a string"),
        Arguments.of("scenario s\nneeds", "f:2:7: 'needs' names at least one promise: GPU_SEES_IMPORTED_BYTES"),
        Arguments.of("scenario s\nmachine", "f:2:9: 'machine' needs settings"),
        Arguments.of("scenario s\nmachine ram", "f:2:13: 'ram' needs a value"));
  }

  @ParameterizedTest
  @MethodSource("shortHeaders")
  void aShortHeaderLineSaysWhatShouldCome(String text, String message) {
    assertThatThrownBy(() -> Parser.parse("f", text + "\n")).isInstanceOf(ProgramError.class).hasMessageStartingWith(message);
  }
}
