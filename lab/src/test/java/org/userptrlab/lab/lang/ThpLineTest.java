package org.userptrlab.lab.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.Mman;

/** {@code machine thp MODE}, the madvise words of THP, {@code anon_huge} and {@code align_down}, as read and printed. */
class ThpLineTest {
  private static final String TEXT = """
      scenario huge "a THP"
      machine ram 32M thp always

      p = spawn cow
      big = p.mmap 4M PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS
      mem = align_down big+2M 2M
      p.madvise mem 2M MADV_HUGEPAGE
      p.madvise mem 2M MADV_NOHUGEPAGE
      skip "Did not get a THP populated" if p.anon_huge mem == 0
      """;

  /** defrag and a size's inherit read, print and reach the machine; inherit alone is a size's word, not the top level's. */
  @Test
  void defragAndInheritAreMachineSettings() {
    Program p = Parser.parse("f", "scenario d\nmachine thp always thp_defrag defer+madvise thp 64K inherit\n");
    assertThat(Printer.print(p)).contains("machine thp always thp_defrag defer+madvise thp 64K inherit\n");
    MachineConfig config = Programs.machine(p, MachineConfig.builder().ram(64L << 20)).build();
    assertThat(config.thpDefrag()).isEqualTo(MachineConfig.ThpDefrag.DEFER_MADVISE);
    assertThat(config.thpForOrder(4)).isEqualTo(MachineConfig.Thp.ALWAYS);
    assertThat(Programs.machine(Parser.parse("f", "scenario d\n"), MachineConfig.builder()).build().thpDefragSet()).isFalse();
    assertThatThrownBy(() -> Parser.parse("f", "scenario d\nmachine thp inherit\n")).isInstanceOf(ProgramError.class)
        .hasMessageContaining("inherit is for a size");
    assertThatThrownBy(() -> Parser.parse("f", "scenario d\nmachine thp_defrag sometimes\n")).isInstanceOf(ProgramError.class)
        .hasMessageContaining("f:2:20: 'sometimes' is not a mode of 'thp_defrag'");
  }

  /** use_zero_page: off, a read fault of THP-eligible memory takes a THP of its own rather than the huge zeropage. */
  @Test
  void theHugeZeropageIsAMachineSettingOfItsOwn() {
    for (boolean on : new boolean[] {true, false}) {
      Program p = Parser.parse("f", "scenario z\nmachine thp always thp_zero_page " + (on ? "on" : "off") + "\n");
      assertThat(Printer.print(p)).contains("machine thp always thp_zero_page " + (on ? "on" : "off") + "\n");
      MachineConfig config = Programs.machine(p, MachineConfig.builder().ram(64L << 20)).build();
      assertThat(config.thpUseZeroPage()).isEqualTo(on);
      org.userptrlab.mm.Process q = new org.userptrlab.mm.Machine(config).spawn("q");
      long big = q.mmap(0, 4L << 20, 3, org.userptrlab.mm.Mman.MAP_PRIVATE | org.userptrlab.mm.Mman.MAP_ANONYMOUS);
      long mem = (big + (2L << 20)) & -(2L << 20);
      q.load(mem);
      assertThat(q.anonHugePages(mem)).as("use_zero_page %s", on).isEqualTo(on ? 0 : 2L << 20);
    }
  }

  @Test
  void thpIsAMachineSettingPrintedAsWritten() {
    Program p = Parser.parse("f", TEXT);
    assertThat(p.machine()).containsExactly(new Program.Setting("ram", 32L << 20), Program.Setting.thp(MachineConfig.Thp.ALWAYS));
    assertThat(Programs.machine(p, MachineConfig.builder()).build().thp()).isEqualTo(MachineConfig.Thp.ALWAYS);
    String printed = Printer.print(p);
    assertThat(printed).contains("machine ram 32M thp always\n", "mem = align_down big+2M 2M\n",
        "skip \"Did not get a THP populated\" if p.anon_huge mem == 0\n");
    assertThat(Printer.print(Parser.parse("printed", printed))).isEqualTo(printed);
    for (MachineConfig.Thp mode : java.util.EnumSet.range(MachineConfig.Thp.ALWAYS, MachineConfig.Thp.NEVER)) {
      Program q = Parser.parse("f", "scenario s\nmachine thp " + mode.sysfsName() + "\n");
      assertThat(Printer.print(q)).contains("machine thp " + mode.sysfsName() + "\n");
      assertThat(Programs.machine(q, MachineConfig.builder()).build().thp()).isEqualTo(mode);
    }
  }

  @Test
  void aProgramWithoutTheLineKeepsTheDefault() {
    Program p = Parser.parse("f", "scenario s\nmachine ram 32M\np = spawn a\n");
    assertThat(Programs.machine(p, MachineConfig.builder()).build().thp()).isEqualTo(MachineConfig.Thp.MADVISE);
    assertThat(Printer.print(p)).contains("machine ram 32M\n").doesNotContain("thp");
  }

  @Test
  void aModeThatIsNoneIsRefusedWhereItIsWritten() {
    assertThatThrownBy(() -> Parser.parse("f", "scenario s\nmachine ram 32M thp sometimes\n")).isInstanceOf(ProgramError.class)
        .hasMessageStartingWith("f:2:21: 'sometimes' is not a mode of 'thp'; it takes always, madvise or never");
    assertThatThrownBy(() -> Parser.parse("f", "scenario s\nmachine thp 2M\n")).hasMessageStartingWith("f:2:16: 'thp 2M' needs a mode: "
        + "always, madvise, never or inherit (as /sys/kernel/mm/transparent_hugepage/hugepages-2048kB/enabled)");
    assertThatThrownBy(() -> Parser.parse("f", "scenario s\nmachine thp\n")).hasMessageStartingWith("f:2:13: 'thp' needs a value");
    assertThatThrownBy(() -> Parser.parse("f", "scenario s\nmachine thp never thp always\n"))
        .hasMessageStartingWith("f:2:19: 'thp' is set twice");
  }

  @Test
  void theMadviseWordsOfThpAreTheKernelsNumbers() {
    assertThat(Programs.word(Op.MADVISE, 2, "MADV_HUGEPAGE")).isEqualTo(Mman.MADV_HUGEPAGE);
    assertThat(Programs.word(Op.MADVISE, 2, "MADV_NOHUGEPAGE")).isEqualTo(Mman.MADV_NOHUGEPAGE);
  }

  @Test
  void anonHugeIsASizeOfAnAddress() {
    assertThatThrownBy(() -> Parser.parse("f", "scenario s\np = spawn a\ncheck \"x\" p.anon_huge 4K == 0\n"))
        .isInstanceOf(ProgramError.class).hasMessageContaining("f:3:");
  }

  @Test
  void aThpSizeIsASettingOfItsOwnPrintedAsWritten() {
    Program p = Parser.parse("f", "scenario s\nmachine swap 16M thp 2M never thp 64K always thp madvise\n");
    assertThat(p.machine()).containsExactly(new Program.Setting("swap", 16L << 20),
        Program.Setting.thpSize(2L << 20, MachineConfig.Thp.NEVER), Program.Setting.thpSize(64L << 10, MachineConfig.Thp.ALWAYS),
        Program.Setting.thp(MachineConfig.Thp.MADVISE));
    MachineConfig m = Programs.machine(p, MachineConfig.builder()).build();
    assertThat(m.thpForOrder(MachineConfig.Thp.PMD_ORDER)).isEqualTo(MachineConfig.Thp.NEVER);
    assertThat(m.thpForOrder(4)).isEqualTo(MachineConfig.Thp.ALWAYS);
    assertThat(m.thpForOrder(3)).isEqualTo(MachineConfig.Thp.NEVER);
    assertThat(m.thp()).isEqualTo(MachineConfig.Thp.MADVISE);
    String printed = Printer.print(p);
    assertThat(printed).contains("machine swap 16M thp 2M never thp 64K always thp madvise\n");
    assertThat(Parser.parse("printed", printed)).isEqualTo(p);
    assertThat(Programs.machine(Parser.parse("f", "scenario s\nmachine thp 2048K always\n"), MachineConfig.builder()).build()
        .thpForOrder(MachineConfig.Thp.PMD_ORDER)).isEqualTo(MachineConfig.Thp.ALWAYS);
  }

  @Test
  void aThpSizeThatIsNoneOrTwiceIsRefusedWhereItIsWritten() {
    String sizes = "is not a THP size; 'thp SIZE MODE' takes a power of two from 16K to 2M (hugepages-16kB to hugepages-2048kB)";
    assertThatThrownBy(() -> Parser.parse("f", "scenario s\nmachine thp 12K always\n")).hasMessage("f:2:13: '12K' " + sizes);
    assertThatThrownBy(() -> Parser.parse("f", "scenario s\nmachine thp 8K always\n")).hasMessage("f:2:13: '8K' " + sizes);
    assertThatThrownBy(() -> Parser.parse("f", "scenario s\nmachine thp 4M always\n")).hasMessage("f:2:13: '4M' " + sizes);
    assertThatThrownBy(() -> Parser.parse("f", "scenario s\nmachine thp 64K sometimes\n"))
        .hasMessageStartingWith("f:2:17: 'sometimes' is not a mode of 'thp 64K'; it takes always, madvise, never or inherit");
    assertThatThrownBy(() -> Parser.parse("f", "scenario s\nmachine thp 64K always thp 64K never\n"))
        .hasMessage("f:2:28: 'thp 64K' is set twice; it was set at line 2");
    assertThatThrownBy(() -> Parser.parse("f", "scenario s\nmachine thp 2M always\nmachine thp 2048K never\n"))
        .hasMessage("f:3:13: 'thp 2M' is set twice; it was set at line 2");
  }

  @Test
  void populatedIsAConditionOfAnAddress() {
    Program p = Parser.parse("f", "scenario s\np = spawn a\nmem = p.mmap 8K PROT_READ MAP_PRIVATE|MAP_ANONYMOUS\n"
        + "skip \"Did not get a THP populated\" if not p.populated mem+4K\n");
    assertThat(Printer.print(p)).contains("skip \"Did not get a THP populated\" if not p.populated mem+4K\n");
    assertThatThrownBy(() -> Parser.parse("f", "scenario s\np = spawn a\ncheck \"x\" p.populated 4K\n"))
        .isInstanceOf(ProgramError.class).hasMessageStartingWith("f:3:23: '4K' is not an address; an address is a name set before");
  }
}
