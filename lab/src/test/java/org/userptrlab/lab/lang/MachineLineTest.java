package org.userptrlab.lab.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.userptrlab.mm.MachineConfig;

/** Every value of a {@code machine} line is checked when the program is read, by the machine's own rules. */
class MachineLineTest {
  static Stream<Arguments> badMachines() {
    return Stream.of(
        Arguments.of("machine ram 1", "f:2:13: machine ram: ram must be a whole number of pages, at least 4 MiB: 1 byte"),
        Arguments.of("machine ram 3M", "f:2:13: machine ram: ram must be a whole number of pages, at least 4 MiB: 3 MiB"),
        Arguments.of("machine ram 128G", "f:2:13: machine ram: ram of 128 GiB is more than the model's largest machine of 64 GiB"),
        Arguments.of("machine cpus 0", "f:2:14: machine cpus: a machine has 1 to 64 CPUs, not 0"),
        Arguments.of("machine cpus 65", "f:2:14: machine cpus: a machine has 1 to 64 CPUs, not 65"),
        Arguments.of("machine cpus 99999999999", "f:2:14: machine cpus: a machine has 1 to 64 CPUs, not 99999999999"),
        Arguments.of("machine cpus 99999999999999999999", "f:2:14: '99999999999999999999' is too large for a number of CPUs"),
        Arguments.of("machine ram 32M cma 32M", "f:2:21: machine cma: cma (32 MiB) plus movable (0) must leave at least 2 MiB"),
        Arguments.of("machine cma 32M ram 32M", "f:2:21: machine ram: cma (32 MiB) plus movable (0) must leave at least 2 MiB"),
        Arguments.of("machine ram 32M\nmachine movable 20M cma 12M", "f:3:25: machine cma: cma (12 MiB) plus movable (20 MiB)"),
        Arguments.of("machine swap 4097", "f:2:14: machine swap: swap must be a whole number of pages: 4097"),
        Arguments.of("machine swap 65G", "f:2:14: machine swap: swap of 69793218560 bytes is more than the model's largest swap device"),
        Arguments.of("machine cma 1000", "f:2:13: machine cma: cma must be a whole number of pages: 1000"),
        Arguments.of("machine ram 32M ram 64M", "f:2:17: 'ram' is set twice; it was set at line 2"),
        Arguments.of("machine ram 32M\nmachine ram 64M", "f:3:9: 'ram' is set twice; it was set at line 2"));
  }

  @ParameterizedTest
  @MethodSource("badMachines")
  void aMachineTheModelCannotBuildIsRefusedWhereItIsWritten(String machine, String message) {
    assertThatThrownBy(() -> Parser.parse("f", "scenario s\n" + machine + "\np = app a\n")).isInstanceOf(ProgramError.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void whatTheProgramDoesNotSetIsLeftToTheCommandLine() {
    Program p = Parser.parse("f", "scenario s\nmachine cma 512M swap 1G cpus 64 memlock 0\nkernel 3.4\np = app a\n");
    assertThat(p.machine()).hasSize(4);
    MachineConfig m = Programs.machine(p, MachineConfig.builder().ram(1L << 30)).build();
    assertThat(m.cmaBytes()).isEqualTo(512L << 20);
  }

  @Test
  void aProgramWithNoBodyHasItsMachineCheckedToo() {
    assertThatThrownBy(() -> Parser.parse("f", "scenario s\nmachine cpus 0\n")).hasMessageStartingWith("f:2:14: machine cpus");
  }
}
