package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.Mman.MAP_ANONYMOUS;
import static org.userptrlab.mm.Mman.MAP_FIXED;
import static org.userptrlab.mm.Mman.MAP_FIXED_NOREPLACE;
import static org.userptrlab.mm.Mman.MAP_LOCKED;
import static org.userptrlab.mm.Mman.MAP_PRIVATE;
import static org.userptrlab.mm.Mman.PROT_READ;
import static org.userptrlab.mm.Mman.PROT_WRITE;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * mmap(2) at an address (do_mmap): MAP_FIXED replaces what is there as munmap would (locked_vm
 * and the pages a pin holds included), MAP_FIXED_NOREPLACE (4.17) refuses with EEXIST, and on an
 * older kernel, which does not know that flag, the address is a hint and the mapping goes elsewhere.
 */
class MmapAtTest {
  private static final int ANON = MAP_PRIVATE | MAP_ANONYMOUS;

  private static Machine machine(KernelConfig k) {
    return new Machine(MachineConfig.builder().ram(64 * MiB).kernel(k).build());
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void mapFixedReplacesALockedPinnedMappingAsMunmapWould(KernelConfig k) {
    Machine m = machine(k);
    Process p = m.spawn("p");
    p.setCapability(Capability.CAP_IPC_LOCK, true);
    long buf = p.mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, ANON | MAP_LOCKED);
    p.fill(buf, 2 * PAGE, 1);
    PageRefs pin = m.kernel().pinUserPages(p, buf, 1, Foll.FOLL_WRITE);
    assertThat(p.mmap(buf, 2 * PAGE, PROT_READ | PROT_WRITE, ANON | MAP_FIXED)).isEqualTo(buf);
    assertThat(p.lockedVm()).isZero();
    assertThat(p.load(buf)).as("a new, empty mapping").isZero();
    assertThat(m.kernel().dmaMatches(pin.pfns(), 0, PAGE, 1, 0)).as("the pin keeps the old page and its bytes").isTrue();
    assertThat(m.page(pin.pfn(0)).mapcount()).isZero();
    m.checkInvariants();
    pin.release();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void anUnalignedFixedAddressIsEinvalAndChangesNothing(KernelConfig k) {
    Machine m = machine(k);
    Process p = m.spawn("p");
    long buf = anon(p, PAGE);
    long before = m.stateHash();
    assertThatThrownBy(() -> p.mmap(buf + 1, PAGE, PROT_READ, ANON | MAP_FIXED)).isInstanceOfSatisfying(MmException.class,
        e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    assertThat(m.stateHash()).isEqualTo(before);
  }

  @Test
  void noreplaceOverAMappingIsEexistOn612AndChangesNothing() {
    Machine m = machine(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = anon(p, 2 * PAGE);
    p.fill(buf, 2 * PAGE, 1);
    long before = m.stateHash();
    assertThatThrownBy(() -> p.mmap(buf + PAGE, 2 * PAGE, PROT_READ, ANON | MAP_FIXED_NOREPLACE))
        .isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
    assertThat(m.stateHash()).isEqualTo(before);
    long free = 0x4000_0000L;
    assertThat(p.mmap(free, PAGE, PROT_READ, ANON | MAP_FIXED_NOREPLACE)).as("a free address is taken").isEqualTo(free);
    m.checkInvariants();
  }

  @Test
  void noreplaceIsAnUnknownFlagOn34SoTheAddressIsAHintAndTheMappingGoesElsewhere() {
    Machine m = machine(KernelConfig.LINUX_3_4);
    Process p = m.spawn("p");
    long buf = anon(p, 2 * PAGE);
    p.fill(buf, 2 * PAGE, 1);
    long at = p.mmap(buf, 2 * PAGE, PROT_READ | PROT_WRITE, ANON | MAP_FIXED_NOREPLACE);
    assertThat(at).isNotEqualTo(buf);
    assertThat(p.matches(buf, 2 * PAGE, 1)).as("what was there stays").isTrue();
    long free = 0x4000_0000L;
    assertThat(p.mmap(free, PAGE, PROT_READ, ANON | MAP_FIXED_NOREPLACE)).as("a free hint is honoured").isEqualTo(free);
    m.checkInvariants();
  }
}
