package org.userptrlab.lab.real;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.mm.MachineConfig;

/** A program's {@code machine thp} on the real side: what it asks of this machine, and when that cannot be had. */
class HostThpTest {
  private static Program program(String machine) {
    return Parser.parse("p.scenario", "scenario t\n" + machine + "p = spawn a\n");
  }

  @Test
  void aProgramWithoutTheLineAsksNothing() {
    assertThat(HostThp.asked(program("machine ram 32M\n"))).isEmpty();
    assertThat(HostThp.notRunnable(program(""), new RealHost(false, false, false))).isEmpty();
  }

  @Test
  void theLineAsksItsMode() {
    assertThat(HostThp.asked(program("machine thp never\n"))).contains(MachineConfig.Thp.NEVER);
  }

  @Test
  void withoutRootOrWithoutThpItIsNotRunnableAndSaysWhy() {
    Program p = program("machine thp always\n");
    String why = HostThp.notRunnable(p, new RealHost(false, false, false)).orElseThrow();
    assertThat(why).contains("'machine thp'").contains(Files.exists(HostThp.ENABLED) ? "needs root" : "has none");
  }
}
