package org.userptrlab.strategy.mlock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.userptrlab.testkit.StrategyRig;
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
  @MethodSource("org.userptrlab.testkit.StrategyRig#ends")
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
  @MethodSource("org.userptrlab.testkit.StrategyRig#ends")
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

  /** Private anonymous memory of {@code bytes}, filled with the seed's stream. */
  private long filled(long bytes, long seed) {
    long a = p.mmap(0, bytes, org.userptrlab.mm.Mman.PROT_READ | org.userptrlab.mm.Mman.PROT_WRITE,
        org.userptrlab.mm.Mman.MAP_PRIVATE | org.userptrlab.mm.Mman.MAP_ANONYMOUS);
    p.fill(a, bytes, seed);
    return a;
  }

  private static java.util.List<org.userptrlab.core.spi.ImportNote.Kind> kinds(UserptrBacking b) {
    return b.notes().stream().map(org.userptrlab.core.spi.ImportNote::kind).toList();
  }

  /**
   * The patch never asks RLIMIT_MEMLOCK: an import that takes locked memory past the limit says so
   * (with the pages and the limit); one that ends exactly at the limit does not, since mlock's own
   * check (locked_vm + pages > limit) would have let it through too.
   */
  @ParameterizedTest
  @MethodSource("org.userptrlab.testkit.StrategyRig#ends")
  void anImportPastRlimitMemlockIsNotedAndOneAtTheLimitIsNot(KernelConfig kernelConfig) {
    boot(kernelConfig);
    p.setrlimitMemlock(16 * PAGE, 16 * PAGE);
    long at = filled(16 * PAGE, 1);
    UserptrBacking exact = imp(at, 16 * PAGE);
    assertThat(kinds(exact)).doesNotContain(org.userptrlab.core.spi.ImportNote.Kind.RLIMIT_NOT_CHECKED,
        org.userptrlab.core.spi.ImportNote.Kind.WHOLE_VMA_LOCKED);
    exact.release();
    p.munmap(at, 16 * PAGE);
    long past = filled(17 * PAGE, 2);
    UserptrBacking over = imp(past, 17 * PAGE);
    assertThat(over.notes()).anySatisfy(n -> {
      assertThat(n.kind()).isEqualTo(org.userptrlab.core.spi.ImportNote.Kind.RLIMIT_NOT_CHECKED);
      assertThat(n.detail()).contains("locked 17 pages, the limit is 16 pages");
    });
    over.release();
    p.setCapability(org.userptrlab.mm.Capability.CAP_IPC_LOCK, true);
    UserptrBacking capable = imp(past, 17 * PAGE);
    assertThat(kinds(capable)).as("CAP_IPC_LOCK lifts the limit").doesNotContain(org.userptrlab.core.spi.ImportNote.Kind.RLIMIT_NOT_CHECKED);
    capable.release();
    m.checkInvariants();
  }

  /** A range over two VMAs locks both whole, and the note counts the pages of both. */
  @ParameterizedTest
  @MethodSource("org.userptrlab.testkit.StrategyRig#ends")
  void aRangeOverTwoVmasLocksBothAndSaysHowMuch(KernelConfig kernelConfig) {
    boot(kernelConfig);
    long a = filled(32 * PAGE, 1);
    // Two VMAs: the second half made read-only and back, which leaves two VMAs only if they differ; make them differ.
    p.madvise(a + 16 * PAGE, 16 * PAGE, org.userptrlab.mm.Mman.MADV_DONTFORK);
    assertThat(p.vma(a).end()).isEqualTo(a + 16 * PAGE);
    UserptrBacking b = imp(a + 14 * PAGE, 4 * PAGE);
    assertThat(p.vma(a).has(VmFlags.VM_LOCKED)).isTrue();
    assertThat(p.vma(a + 16 * PAGE).has(VmFlags.VM_LOCKED)).isTrue();
    assertThat(b.notes()).anySatisfy(n -> {
      assertThat(n.kind()).isEqualTo(org.userptrlab.core.spi.ImportNote.Kind.WHOLE_VMA_LOCKED);
      assertThat(n.detail()).isEqualTo("whole VMAs locked: 32 pages for a range of 4");
    });
    b.release();
    assertThat(p.vma(a).has(VmFlags.VM_LOCKED)).isFalse();
    assertThat(p.vma(a + 16 * PAGE).has(VmFlags.VM_LOCKED)).isFalse();
    m.checkInvariants();
  }

  /** Release after the program unmapped part of the range clears VM_LOCKED on what is left and steps over the hole. */
  @ParameterizedTest
  @MethodSource("org.userptrlab.testkit.StrategyRig#ends")
  void releaseStepsOverAHoleTheProgramUnmapped(KernelConfig kernelConfig) {
    boot(kernelConfig);
    long a = filled(8 * PAGE, 1);
    UserptrBacking b = imp(a, 8 * PAGE);
    p.munmap(a + 2 * PAGE, 2 * PAGE);
    b.release();
    assertThat(p.vma(a).has(VmFlags.VM_LOCKED)).isFalse();
    assertThat(p.vma(a + 4 * PAGE).has(VmFlags.VM_LOCKED)).as("the VMA past the hole").isFalse();
    m.checkInvariants();
  }

  /** Release unlocks the VMAs of the range and no further: the program's own mlock of the VMA just past it stays. */
  @ParameterizedTest
  @MethodSource("org.userptrlab.testkit.StrategyRig#ends")
  void releaseLeavesTheProgramsOwnLockOfTheNextVma(KernelConfig kernelConfig) {
    boot(kernelConfig);
    long a = filled(16 * PAGE, 1);
    p.madvise(a + 8 * PAGE, 8 * PAGE, org.userptrlab.mm.Mman.MADV_DONTFORK);
    p.mlock(a + 8 * PAGE, 8 * PAGE);
    UserptrBacking b = imp(a, 8 * PAGE);
    b.release();
    assertThat(p.vma(a).has(VmFlags.VM_LOCKED)).isFalse();
    assertThat(p.vma(a + 8 * PAGE).has(VmFlags.VM_LOCKED)).as("the program's own mlock").isTrue();
    assertThat(p.lockedVm()).isEqualTo(8);
    m.checkInvariants();
  }
}
