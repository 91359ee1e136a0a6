package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What a machine is and how its state is told apart: equal configurations build machines that
 * behave identically, and {@link Machine#stateHash()} moves with every kind of state a refused call
 * must leave alone.
 */
class MachineStateTest {
  private static final MachineConfig CONFIG = MachineConfig.builder().ram(16L << 20).swap(16L << 20).build();

  @Test
  void configurationsAreValuesAndRoundTripThroughTheirBuilder() {
    MachineConfig c = MachineConfig.builder().ram(32L << 20).cma(4L << 20).movable(4L << 20).swap(8L << 20).cpus(3)
        .kernel(KernelConfig.LINUX_3_4.with(KernelChange.CMA)).seed(7).aslr(true).memlock(1L << 20).build();
    assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
    assertThat(c.toBuilder().seed(8).build()).isNotEqualTo(c);
    assertThat(c.toBuilder().memlock(-1).build()).isNotEqualTo(c);
    assertThat(c.toBuilder().movable(0).build()).isNotEqualTo(c);
    assertThat(c.toString()).contains("ram=32MiB", "cma=4MiB", "movable=4MiB", "swap=8MiB", "cpus=3", "kernel=3.4+cma", "seed=7",
        "aslr=true", "memlock=1048576");
    assertThat(c.movableBytes()).isEqualTo(4L << 20);
    assertThat(c.initialMemlock()).isEqualTo(1L << 20);
    assertThat(c.toBuilder().memlock(-1).build().initialMemlock()).as("MLOCK_LIMIT of 3.4").isEqualTo(64L << 10);
    assertThat(c.toBuilder().memlock(-1).kernel(KernelConfig.LINUX_6_12).build().initialMemlock()).isEqualTo(8L << 20);
    assertThat(MachineConfig.builder().ram(4L << 20).build().ramBytes()).as("4 MiB is the smallest machine").isEqualTo(4L << 20);
  }

  @Test
  void equalConfigurationsRunTheSameProgramToTheSameState() {
    long[] hashes = new long[2];
    for (int i = 0; i < 2; i++) {
      Machine m = new Machine(CONFIG);
      Process p = m.spawn("p");
      long buf = anon(p, 8 * PAGE);
      p.fill(buf, 8 * PAGE, 3);
      p.fork().store(buf, (byte) 1);
      hashes[i] = m.stateHash();
      assertThat(m.stateHash()).isEqualTo(hashes[i]);
    }
    assertThat(hashes[0]).isEqualTo(hashes[1]);
  }

  private static void moves(String what, Consumer<Process> change) {
    Machine m = new Machine(CONFIG);
    Process p = m.spawn("p");
    long buf = anon(p, 8 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    long before = m.stateHash();
    change.accept(p);
    assertThat(m.stateHash()).as(what).isNotEqualTo(before);
  }

  @Test
  void theStateHashMovesWithEveryKindOfState() {
    moves("a byte stored into a page", p -> p.store(p.vmas().get(0).start(), (byte) 9));
    moves("a page faulted in by a read", p -> p.load(p.vmas().get(0).start() + 6 * PAGE));
    moves("a new mapping", p -> anon(p, PAGE));
    moves("a changed protection", p -> p.mprotect(p.vmas().get(0).start(), PAGE, Mman.PROT_READ));
    moves("a lock", p -> {
      p.setCapability(Capability.CAP_IPC_LOCK, true);
      p.mlock(p.vmas().get(0).start(), PAGE);
    });
    moves("a heap that grew", p -> p.brk(p.currentBrk() + PAGE));
    moves("pages swapped out", p -> p.machine().kernel().reclaim(1 << 20));
    moves("a file page read into the cache", p -> {
      MemFile f = p.machine().createFile("f", PAGE);
      long a = p.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_SHARED, f, 0);
      p.load(a);
    });
    moves("a second process", p -> p.machine().spawn("q"));
  }
}
