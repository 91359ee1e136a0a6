package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A machine's shape at the edges of what the model builds, and what a machine gives its
 * processes: pids counted from 1, CPUs handed out round-robin, and with ASLR a heap and mmap base
 * drawn from the seed within the kernel's ranges (arch_mmap_rnd, arch_randomize_brk).
 */
class MachineEdgesTest {
  private static final long GiB = 1L << 30;

  private static void refused(String what, UnaryOperator<MachineConfig.Builder> b, String message) {
    assertThatThrownBy(() -> b.apply(MachineConfig.builder()).build()).as(what).isInstanceOfSatisfying(MmException.class, e -> {
      assertThat(e.errno()).isEqualTo(Errno.EINVAL);
      assertThat(e.getMessage()).contains(message);
    });
  }

  private static void accepted(String what, UnaryOperator<MachineConfig.Builder> b) {
    assertThat(b.apply(MachineConfig.builder()).build()).as(what).isNotNull();
  }

  @Test
  void eachDimensionIsAcceptedUpToItsLimitAndRefusedPastIt() {
    accepted("4 MiB of RAM", b -> b.ram(4 * MiB));
    refused("4 MiB less a page", b -> b.ram(4 * MiB - PAGE), "at least 4 MiB");
    refused("not whole pages", b -> b.ram(4 * MiB + 1), "whole number of pages");
    accepted("64 GiB of RAM", b -> b.ram(64 * GiB));
    refused("64 GiB and a page", b -> b.ram(64 * GiB + PAGE), "largest machine");
    accepted("CMA and movable leaving 2 MiB", b -> b.ram(8 * MiB).cma(4 * MiB).movable(2 * MiB));
    refused("CMA and movable leaving 2 MiB less a page", b -> b.ram(8 * MiB).cma(4 * MiB).movable(2 * MiB + PAGE), "at least 2 MiB");
    refused("CMA of part of a page", b -> b.cma(100), "cma must be a whole number of pages");
    refused("negative movable", b -> b.movable(-PAGE), "movable must be a whole number of pages");
    accepted("64 GiB of swap", b -> b.swap(64 * GiB));
    refused("64 GiB of swap and a page", b -> b.swap(64 * GiB + PAGE), "largest swap device");
    refused("swap of part of a page", b -> b.swap(PAGE + 1), "swap must be a whole number of pages");
    accepted("the kernel's default memlock", b -> b.memlock(-1));
    refused("memlock below -1", b -> b.memlock(-2), "memlock must be a number of bytes");
    accepted("one CPU", b -> b.cpus(1));
    accepted("64 CPUs", b -> b.cpus(64));
    refused("no CPU", b -> b.cpus(0), "a machine has 1 to 64 CPUs");
    refused("65 CPUs", b -> b.cpus(65), "a machine has 1 to 64 CPUs");
  }

  @Test
  void pidsCountFromOneAndCpusAreHandedOutRoundRobin() {
    Machine m = new Machine(MachineConfig.builder().ram(8 * MiB).cpus(3).build());
    int[] cpus = new int[5];
    for (int i = 0; i < 5; i++) {
      Process p = m.spawn("p" + i);
      assertThat(p.pid()).isEqualTo(i + 1);
      cpus[i] = p.cpu();
    }
    assertThat(cpus).containsExactly(0, 1, 2, 0, 1);
    assertThat(m.config().cpus()).isEqualTo(3);
    assertThat(m.kernelConfig()).isEqualTo(m.config().kernel());
  }

  @Test
  void withAslrTheBasesComeFromTheSeedWithinTheKernelsRanges() {
    Machine plain = Machine.boot(MachineConfig.builder().ram(8 * MiB).build());
    Process fixed = plain.spawn("p");
    assertThat(fixed.heapStart()).isEqualTo(Mm.START_BRK);
    assertThat(anon(fixed, PAGE)).isEqualTo(Mm.MMAP_BASE - PAGE);
    long[] heaps = new long[2];
    long[] maps = new long[2];
    for (int seed = 0; seed < 2; seed++) {
      Machine m = new Machine(MachineConfig.builder().ram(8 * MiB).aslr(true).seed(seed + 1).build());
      Process p = m.spawn("p");
      heaps[seed] = p.heapStart();
      maps[seed] = anon(p, PAGE) + PAGE;
      assertThat(heaps[seed]).isBetween(Mm.START_BRK, Mm.START_BRK + (32 * MiB)).matches(Page::aligned);
      assertThat(maps[seed]).isBetween(Mm.MMAP_BASE - (1L << 40), Mm.MMAP_BASE).matches(Page::aligned);
      Process again = new Machine(MachineConfig.builder().ram(8 * MiB).aslr(true).seed(seed + 1).build()).spawn("p");
      assertThat(again.heapStart()).as("the same seed gives the same layout").isEqualTo(heaps[seed]);
      assertThat(m.spawn("q").heapStart()).as("each process draws its own").isNotEqualTo(heaps[seed]);
    }
    assertThat(heaps[0]).isNotEqualTo(heaps[1]);
    assertThat(maps[0]).isNotEqualTo(maps[1]);
  }

  @Test
  void aFileIsFilledAndReadInsideItsSizeOnly() {
    Machine m = new Machine(MachineConfig.builder().ram(8 * MiB).build());
    MemFile f = m.createFile("f", 2 * PAGE);
    m.fillFile(f, 0, 2 * PAGE, 6);
    assertThat(m.fileMatches(f, 0, 2 * PAGE, 6)).isTrue();
    assertThat(m.fileMatches(f, 0, 2 * PAGE, 7)).isFalse();
    for (long[] bad : new long[][] {{-1, 1}, {0, -1}, {PAGE, PAGE + 1}, {1, Long.MAX_VALUE}}) {
      assertThatThrownBy(() -> m.fillFile(f, bad[0], bad[1], 6)).isInstanceOf(MmException.class);
      assertThatThrownBy(() -> m.fileMatches(f, bad[0], bad[1], 6)).isInstanceOf(MmException.class);
    }
    assertThat(m.fileMatches(f, 2 * PAGE, 0, 6)).as("an empty range at the end").isTrue();
  }

  @Test
  void devicesAreWholePagesAndLieApartAboveRam() {
    Machine m = new Machine(MachineConfig.builder().ram(8 * MiB).build());
    assertThatThrownBy(() -> m.createDevice("none", 0)).isInstanceOf(MmException.class);
    assertThatThrownBy(() -> m.createDevice("torn", PAGE + 1)).isInstanceOf(MmException.class);
    DeviceMemory a = m.createDevice("a", PAGE);
    DeviceMemory b = m.createDevice("b", 2 * PAGE);
    assertThat(a.basePfn).isGreaterThan(m.mem.nrFrames);
    assertThat(b.basePfn).as("a gap after each device, as between PCI BARs").isEqualTo(a.basePfn + 1 + 1024);
    Process p = m.spawn("p");
    long map = p.mmap(0, 2 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, b, 0);
    p.store(map + PAGE, (byte) 7);
    assertThat(p.load(map + PAGE)).isEqualTo((byte) 7);
    assertThat(p.pagemap(map + PAGE)).isEqualTo(b.basePfn + 1);
  }
}
