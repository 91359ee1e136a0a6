package org.userptrlab.lab.real;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

  /** A sysfs tree as 6.18's: the global mode, and hugepages-KBkB/enabled for 16 kB to 2048 kB; 8 kB without one. */
  private static Path sysfs(Path dir) throws IOException {
    Files.writeString(dir.resolve("enabled"), "always [madvise] never\n");
    for (int kb = 16; kb <= 2048; kb *= 2) {
      Files.createDirectories(dir.resolve("hugepages-" + kb + "kB"));
      Files.writeString(HostThp.sizeFile(dir, kb << 10), kb == 2048 ? "always [inherit] madvise never\n"
          : "always inherit madvise [never]\n");
    }
    Files.createDirectories(dir.resolve("hugepages-8kB"));
    return dir;
  }

  private static String size(Path dir, int kb) throws IOException {
    return Files.readString(HostThp.sizeFile(dir, kb << 10)).trim();
  }

  @Test
  void perSizeSettingsAreWrittenAsTheModelHasThemAndSetBack(@TempDir Path tmp) throws IOException {
    Path dir = sysfs(tmp);
    Program p = program("machine thp 2M never thp 64K always\n");
    assertThat(HostThp.notRunnable(p, new RealHost(true, false, false), dir)).isEmpty();
    try (HostThp thp = HostThp.set(p, dir)) {
      assertThat(thp).isNotNull();
      assertThat(size(dir, 2048)).isEqualTo("never");
      assertThat(size(dir, 64)).isEqualTo("always");
      // The sizes the program does not name are as the model has them: never below the PMD size.
      assertThat(size(dir, 16)).isEqualTo("never");
      assertThat(Files.readString(dir.resolve("enabled"))).isEqualTo("always [madvise] never\n");
    }
    assertThat(size(dir, 2048)).isEqualTo("inherit");
    assertThat(size(dir, 64)).isEqualTo("never");
    // sysfs shows the mode in force in brackets again.
    sysfs(dir);
    try (HostThp thp = HostThp.set(program("machine thp always\n"), dir)) {
      assertThat(thp).isNotNull();
      assertThat(Files.readString(dir.resolve("enabled"))).isEqualTo("always");
      assertThat(size(dir, 2048)).isEqualTo("inherit");
    }
    assertThat(Files.readString(dir.resolve("enabled"))).isEqualTo("madvise");
  }

  /** use_zero_page as the program's 'machine thp_zero_page' says, set back after. */
  @Test
  void theHugeZeropageIsSetAsTheProgramSaysAndSetBack(@TempDir Path tmp) throws IOException {
    Path dir = sysfs(tmp);
    Files.writeString(dir.resolve("use_zero_page"), "1\n");
    try (HostThp thp = HostThp.set(program("machine thp_zero_page off\n"), dir)) {
      assertThat(thp).isNotNull();
      assertThat(Files.readString(dir.resolve("use_zero_page"))).isEqualTo("0");
    }
    assertThat(Files.readString(dir.resolve("use_zero_page"))).isEqualTo("1");
  }

  /** defrag as the program's 'machine thp_defrag' says (the mode in force read from its brackets, defer+madvise too), set back after. */
  @Test
  void defragIsSetAsTheProgramSaysAndSetBack(@TempDir Path tmp) throws IOException {
    Path dir = sysfs(tmp);
    Files.writeString(dir.resolve("defrag"), "always defer [defer+madvise] madvise never\n");
    try (HostThp thp = HostThp.set(program("machine thp_defrag never thp 64K inherit\n"), dir)) {
      assertThat(thp).isNotNull();
      assertThat(Files.readString(dir.resolve("defrag"))).isEqualTo("never");
      assertThat(size(dir, 64)).isEqualTo("inherit");
    }
    assertThat(Files.readString(dir.resolve("defrag"))).isEqualTo("defer+madvise");
  }

  /** A program with no THP line runs under the model's per-size defaults: a size left "always" on the host is set back for it. */
  @Test
  void aProgramThatSetsNothingGetsEachSizesDefaultWhereTheHostsDiffers(@TempDir Path tmp) throws IOException {
    Path dir = sysfs(tmp);
    Program plain = program("");
    assertThat(HostThp.set(plain, dir)).as("the defaults are in force: nothing to write").isNull();
    Files.writeString(HostThp.sizeFile(dir, 2048 << 10), "[always] inherit madvise never\n");
    try (HostThp thp = HostThp.set(plain, dir)) {
      assertThat(thp).isNotNull();
      assertThat(size(dir, 2048)).isEqualTo("inherit");
      assertThat(Files.readString(dir.resolve("enabled"))).as("the global mode is the host's").isEqualTo("always [madvise] never\n");
    }
    assertThat(size(dir, 2048)).isEqualTo("always");
  }

  @Test
  void aSizeTheKernelLacksIsNotRunnableAndSaysWhich(@TempDir Path tmp) throws IOException {
    Path dir = sysfs(tmp);
    Files.delete(HostThp.sizeFile(dir, 32 << 10));
    String why = HostThp.notRunnable(program("machine thp 2M never thp 32K always\n"), new RealHost(true, false, false), dir)
        .orElseThrow();
    assertThat(why).contains("THP of 32 kB ('machine thp 32K always')").contains("hugepages-32kB/enabled");
    assertThat(HostThp.notRunnable(program("machine thp 2M never thp 64K always\n"), new RealHost(false, false, false), dir)
        .orElseThrow()).contains("needs root");
  }
}
