package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;
import static org.userptrlab.mm.TestMachines.small;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MlockTest {

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void mlockOverRlimitMemlockFailsChangesNothingAndSucceedsWithCapIpcLock(KernelConfig era) {
    Machine m = small(era);
    Process p = m.spawn("p");
    long len = era.defaultMemlockLimit() + 4 * PAGE;
    long buf = anon(p, len);
    long before = m.stateHash();

    SignalExceptionAssert.errno(() -> p.mlock(buf, len), Errno.ENOMEM);
    assertThat(m.stateHash()).isEqualTo(before);
    assertThat(p.lockedVm()).isZero();

    p.setCapability(Capability.CAP_IPC_LOCK, true);
    p.mlock(buf, len);
    assertThat(p.lockedVm()).isEqualTo(len / PAGE);
    assertThat(m.page((int) p.pagemap(buf)).flags()).contains("mlocked");
    m.checkInvariants();
  }

  @Test
  void munlockOfPartOfALockedVmaSplitsItAndLowersLockedVmByExactlyThatPart() {
    Machine m = small(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = anon(p, 16 * PAGE);
    p.mlock(buf, 16 * PAGE);
    assertThat(p.vmas()).hasSize(1);
    assertThat(p.lockedVm()).isEqualTo(16);

    p.munlock(buf + 4 * PAGE, 3 * PAGE);

    assertThat(p.vmas()).hasSize(3);
    assertThat(p.lockedVm()).isEqualTo(13);
    assertThat(m.page((int) p.pagemap(buf + 5 * PAGE)).flags()).doesNotContain("mlocked");
    assertThat(m.page((int) p.pagemap(buf + 8 * PAGE)).flags()).contains("mlocked");
    m.checkInvariants();
  }

  @Test
  void mlockPopulatesAndMlockOnfaultDoesNot() {
    Machine m = small(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long a = anon(p, 8 * PAGE);
    long free = m.freePages();
    p.mlock2(a, 8 * PAGE, Mman.MLOCK_ONFAULT);
    assertThat(m.freePages()).isEqualTo(free);
    assertThat(p.vma(a).has(VmFlags.VM_LOCKONFAULT)).isTrue();
    p.munlock(a, 8 * PAGE);
    p.mlock(a, 8 * PAGE);
    assertThat(m.freePages()).isEqualTo(free - 8);
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void theDefaultRlimitMemlockIs64KiBOn34And8MiBToday(KernelConfig era) {
    Machine m = small(era);
    assertThat(m.spawn("p").memlockLimit()).isEqualTo(era == KernelConfig.LINUX_3_4 ? 64 << 10 : 8 << 20);
  }

  @Test
  void mapLockedOverTheLimitFailsWithEagain() {
    Machine m = small(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    p.setrlimitMemlock(4 * PAGE, 4 * PAGE);
    SignalExceptionAssert.errno(() -> p.mmap(0, 8 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE,
        Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_LOCKED), Errno.EAGAIN);
    assertThat(p.vmas()).isEmpty();
  }

  @Test
  void mlockallFutureLocksLaterMappingsAndForkDoesNotInheritLocks() {
    Machine m = small(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    p.mlockall(Mman.MCL_CURRENT | Mman.MCL_FUTURE);
    long buf = anon(p, 4 * PAGE);
    assertThat(p.vma(buf).has(VmFlags.VM_LOCKED)).isTrue();
    assertThat(p.lockedVm()).isEqualTo(4);
    Process child = p.fork();
    assertThat(child.vma(buf).has(VmFlags.VM_LOCKED)).isFalse();
    assertThat(child.lockedVm()).isZero();
    p.munlockall();
    assertThat(p.lockedVm()).isZero();
    m.checkInvariants();
  }

  @Test
  void aProcessMayMunlockWhatADriverLockedAndLockedVmUnderflows() {
    Machine m = small(KernelConfig.LINUX_3_4);
    Process p = m.spawn("p");
    long buf = anon(p, 8 * PAGE);
    p.fill(buf, 8 * PAGE, 1);
    m.kernel().setVmLockedUnaccounted(p, buf, 8 * PAGE, true);
    assertThat(p.vma(buf).has(VmFlags.VM_LOCKED)).isTrue();
    assertThat(p.lockedVm()).isZero();

    p.munlock(buf, 8 * PAGE);

    assertThat(p.vma(buf).has(VmFlags.VM_LOCKED)).isFalse();
    assertThat(p.lockedVm()).isEqualTo(-8);
    assertThat(m.page((int) p.pagemap(buf)).flags()).doesNotContain("mlocked");
    m.checkInvariants();
  }

  /** PG_mlocked is a folio's flag: a THP a driver leaves mlocked strands all its 512 pages. */
  @Test
  void aStrandedThpCountsEachOfItsPages() {
    Machine m = new Machine(MachineConfig.builder().ram(64 * MiB).thp(MachineConfig.Thp.ALWAYS).kernel(KernelConfig.LINUX_6_12).build());
    Process p = m.spawn("p");
    long buf = KernelChangeTest.hugeAligned(p);
    p.fill(buf, 2 * MiB, 1);
    m.kernel().setVmLockedUnaccounted(p, buf, 2 * MiB, true);
    m.kernel().setVmLockedUnaccounted(p, buf, 2 * MiB, false);
    assertThat(m.strandedMlockedPages()).isEqualTo(512);
    m.checkInvariants();
  }

  @Test
  void aDriverThatClearsVmLockedItselfLeavesItsPagesMlockedUntilTheyAreFreedOrMunlocked() {
    Machine m = new Machine(MachineConfig.builder().ram(64 * MiB).swap(64 * MiB).build());
    Process p = m.spawn("p");
    long buf = anon(p, 8 * PAGE);
    p.fill(buf, 8 * PAGE, 1);
    m.kernel().setVmLockedUnaccounted(p, buf, 8 * PAGE, true);
    assertThat(m.strandedMlockedPages()).as("locked, not stranded").isZero();

    m.kernel().setVmLockedUnaccounted(p, buf, 8 * PAGE, false);

    assertThat(p.vma(buf).has(VmFlags.VM_LOCKED)).isFalse();
    assertThat(m.strandedMlockedPages()).isEqualTo(8);
    assertThat(m.page((int) p.pagemap(buf)).flags()).contains("mlocked", "unevictable");
    assertThat(m.kernel().reclaim(1 << 14)).as("reclaim passes unevictable pages by").isZero();
    m.checkInvariants();
    m.kernel().compactMemory();
    assertThat(m.strandedMlockedPages()).as("compaction carries the pages, and the mark, along").isEqualTo(8);
    m.checkInvariants();

    p.mlock(buf, 4 * PAGE);
    p.munlock(buf, 4 * PAGE);
    assertThat(m.strandedMlockedPages()).as("munlock_folio clears what it unlocks").isEqualTo(4);
    p.munmap(buf, 8 * PAGE);
    assertThat(m.strandedMlockedPages()).as("freed frames lose PG_mlocked").isZero();
    m.checkInvariants();
  }

  /** mlockall(MCL_CURRENT) checks the whole address space (total_vm) against RLIMIT_MEMLOCK first; at the limit it may. */
  @Test
  void mlockallCurrentRefusesAnAddressSpaceLargerThanTheLimitAndTakesOneExactlyAtIt() {
    Machine m = small(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = anon(p, 8 * PAGE);
    p.setrlimitMemlock(7 * PAGE, 8 * PAGE);
    long before = m.stateHash();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.mlockall(Mman.MCL_CURRENT))
        .isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOMEM));
    assertThat(m.stateHash()).as("a refused mlockall changes nothing").isEqualTo(before);

    p.setrlimitMemlock(8 * PAGE, 8 * PAGE);
    p.mlockall(Mman.MCL_CURRENT);
    assertThat(p.vma(buf).has(VmFlags.VM_LOCKED)).isTrue();
    assertThat(p.vma(buf).has(VmFlags.VM_LOCKONFAULT)).isFalse();
    assertThat(p.lockedVm()).isEqualTo(8);
    assertThat(p.pagemap(buf + 7 * PAGE)).as("MCL_CURRENT faults every page in").isNotNegative();
    assertThat(m.page((int) p.pagemap(buf)).flags()).contains("mlocked");
    long later = anon(p, PAGE);
    assertThat(p.vma(later).has(VmFlags.VM_LOCKED)).as("without MCL_FUTURE a later mapping is not locked").isFalse();
    m.checkInvariants();
  }

  /** MCL_ONFAULT (4.4+): the VMAs are locked on fault, and nothing is faulted in now. */
  @Test
  void mlockallOnFaultLocksTheVmasButFaultsNothingIn() {
    Machine m = small(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = anon(p, 8 * PAGE);
    p.mlockall(Mman.MCL_CURRENT | Mman.MCL_ONFAULT);
    assertThat(p.vma(buf).has(VmFlags.VM_LOCKED)).isTrue();
    assertThat(p.vma(buf).has(VmFlags.VM_LOCKONFAULT)).isTrue();
    assertThat(p.pagemap(buf)).as("nothing populated").isEqualTo(-1);
    p.store(buf, (byte) 1);
    assertThat(m.page((int) p.pagemap(buf)).flags()).as("a page faulted in later is mlocked").contains("mlocked");
    SignalExceptionAssert.errno(() -> p.mlockall(Mman.MCL_ONFAULT), Errno.EINVAL);
    SignalExceptionAssert.errno(() -> p.mlockall(Mman.MCL_CURRENT | 8), Errno.EINVAL);
    m.checkInvariants();
  }

  /**
   * MCL_FUTURE|MCL_ONFAULT: a mapping made after it, and the heap's growth, are locked on fault and
   * populated by nothing (populate_vma_page_range leaves a VM_LOCKONFAULT VMA alone, MAP_POPULATE
   * too); a page the program touches is faulted in locked.
   */
  @Test
  void mappingsMadeAfterMlockallOnFaultAreLockedOnFaultAndNotPopulated() {
    Machine m = small(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    p.mlockall(Mman.MCL_CURRENT | Mman.MCL_FUTURE | Mman.MCL_ONFAULT);
    long map = anon(p, 8 * PAGE);
    long populated = p.mmap(0, 8 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_POPULATE);
    long heap = p.sbrk(8 * PAGE);
    for (long a : new long[] {map, populated, heap}) {
      assertThat(p.vma(a).has(VmFlags.VM_LOCKED) && p.vma(a).has(VmFlags.VM_LOCKONFAULT)).as("0x%x: locked on fault", a).isTrue();
      assertThat(p.pagemap(a + 4 * PAGE)).as("0x%x: nothing populated", a).isEqualTo(-1);
    }
    assertThat(p.rss()).isZero();
    p.store(map, (byte) 1);
    assertThat(m.page((int) p.pagemap(map)).flags()).as("faulted in locked").contains("mlocked");
    m.checkInvariants();
  }

  /** apply_vma_lock_flags: the VMAs before a hole are locked and charged, then mlock fails with ENOMEM. */
  @Test
  void mlockOfARangeWithAHoleLocksWhatPrecedesTheHoleThenFails() {
    Machine m = TestMachines.small(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    long buf = TestMachines.anon(p, 8 * TestMachines.PAGE);
    p.munmap(buf + 4 * TestMachines.PAGE, TestMachines.PAGE);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.mlock(buf, 8 * TestMachines.PAGE))
        .isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOMEM));
    assertThat(p.vma(buf).has(VmFlags.VM_LOCKED)).isTrue();
    assertThat(p.vma(buf).end()).isEqualTo(buf + 4 * TestMachines.PAGE);
    assertThat(p.vma(buf + 5 * TestMachines.PAGE).has(VmFlags.VM_LOCKED)).isFalse();
    assertThat(p.lockedVm()).isEqualTo(4);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.munlock(buf, 8 * TestMachines.PAGE))
        .isInstanceOf(MmException.class);
    assertThat(p.vma(buf).has(VmFlags.VM_LOCKED)).isFalse();
    assertThat(p.lockedVm()).isZero();
    m.checkInvariants();
  }

  /** do_mmap asks can_do_mlock before mlock_future_ok: MAP_LOCKED under a zero limit is EPERM, not EAGAIN. */
  @Test
  void mapLockedUnderAZeroLimitWithoutCapIpcLockIsEperm() {
    Machine m = TestMachines.small(KernelConfig.LINUX_6_12);
    Process p = m.spawn("p");
    p.setrlimitMemlock(0, 0);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.mmap(0, TestMachines.PAGE, Mman.PROT_READ | Mman.PROT_WRITE,
            Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_LOCKED))
        .isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
    Process q = m.spawn("q");
    q.setrlimitMemlock(TestMachines.PAGE, TestMachines.PAGE);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> q.mmap(0, 2 * TestMachines.PAGE, Mman.PROT_READ | Mman.PROT_WRITE,
            Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_LOCKED))
        .isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EAGAIN));
  }

  /** mlock2 and MLOCK_ONFAULT came with Linux 4.4: on 3.4 the call does not exist and MCL_ONFAULT is an unknown flag. */
  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void mlock2AndOnfaultExistFrom44(KernelConfig era) {
    Machine m = small(era);
    Process p = m.spawn("p");
    long a = anon(p, 4 * PAGE);
    long before = m.stateHash();
    if (era.has(KernelChange.MLOCK_ONFAULT)) {
      p.mlock2(a, 4 * PAGE, 0);
      assertThat(p.vma(a).has(VmFlags.VM_LOCKED)).isTrue();
      p.munlock(a, 4 * PAGE);
      p.mlockall(Mman.MCL_FUTURE | Mman.MCL_ONFAULT);
    } else {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.mlock2(a, 4 * PAGE, 0))
          .isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOSYS));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.mlockall(Mman.MCL_FUTURE | Mman.MCL_ONFAULT))
          .isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
      assertThat(m.stateHash()).isEqualTo(before);
    }
    m.checkInvariants();
  }
}
