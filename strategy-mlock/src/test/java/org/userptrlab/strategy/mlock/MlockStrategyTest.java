package org.userptrlab.strategy.mlock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.userptrlab.core.contract.StrategyRig;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.Process;
import org.userptrlab.mm.VmFlags;

class MlockStrategyTest {
  static final int PAGE = 4096;
  private Machine m;
  private StrategyRig rig;
  private Process p;

  private void boot(KernelConfig kernelConfig) {
    rig = new StrategyRig(MlockStrategy.NAME, MachineConfig.builder().ram(64L << 20).swap(64L << 20).kernel(kernelConfig).build());
    m = rig.m;
    p = rig.p;
  }

  private UserptrBacking imp(long addr, long size) {
    return rig.imp(addr, size);
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.core.contract.StrategyRig#ends")
  void theWholeVmaIsLockedWithoutChargingLockedVmAndItsPagesStayUnevictableAfterRelease(KernelConfig kernelConfig) {
    boot(kernelConfig);
    long buf = p.malloc(16L << 20);
    long mid = (buf + (8L << 20)) & -4096L;
    p.fill(mid, 1 << 20, 1);
    UserptrBacking b = imp(mid, 1 << 20);
    assertThat(p.vma(buf).has(VmFlags.VM_LOCKED)).isTrue();
    assertThat(p.vma(buf).size()).isGreaterThanOrEqualTo(16L << 20);
    assertThat(p.lockedVm()).isZero();
    // A page faulted in later, anywhere in the VMA, is mlocked too.
    p.store(buf + 100, (byte) 1);
    assertThat(m.page((int) p.pagemap(buf)).flags()).contains("mlocked");
    m.checkInvariants();
    b.release();
    // The patch cleared VM_LOCKED itself instead of munlocking: the pages keep PG_mlocked, and
    // reclaim passes them by although no VM_LOCKED VMA maps them any more.
    assertThat(p.vma(buf).has(VmFlags.VM_LOCKED)).isFalse();
    assertThat(m.page((int) p.pagemap(buf)).flags()).contains("mlocked", "unevictable");
    assertThat(m.strandedMlockedPages()).isEqualTo(257);
    m.kernel().reclaim(1 << 14);
    assertThat(m.strandedMlockedPages()).as("reclaim passed every one of them by").isEqualTo(257);
    assertThat(p.swappedOut(buf + 100)).isFalse();
    m.checkInvariants();
    p.free(buf);
    assertThat(m.strandedMlockedPages()).as("freed pages lose PG_mlocked").isZero();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.core.contract.StrategyRig#ends")
  void aMunlockBehindTheDriversBackMakesThePagesReclaimableAndUnderflowsLockedVm(KernelConfig kernelConfig) {
    boot(kernelConfig);
    long buf = p.memalign(PAGE, 64 * PAGE);
    p.fill(buf, 64 * PAGE, 1);
    UserptrBacking b = imp(buf, 64 * PAGE);
    assertThat(m.kernel().reclaim(64)).isZero();

    p.munlock(buf, 64 * PAGE);

    assertThat(p.lockedVm()).isNegative();
    m.kernel().reclaim(1 << 14);
    assertThat(p.swappedOut(buf)).isTrue();
    assertThat(p.matches(buf, 64 * PAGE, 1)).isTrue();
    b.release();
    m.checkInvariants();
  }
}
