package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * RLIMIT_MEMLOCK at its edge for each way to lock (mm/mlock.c): mlock, mlockall(MCL_CURRENT) and a
 * VM_LOCKED mmap may reach the limit exactly, one page more is refused and changes nothing; a zero
 * limit without CAP_IPC_LOCK refuses mlockall altogether; and a file page two processes lock stays
 * mlocked until neither does.
 */
class MlockLimitsTest {
  private final Machine m = new Machine(MachineConfig.builder().ram(16 * MiB).kernel(KernelConfig.LINUX_6_12).build());
  private final Process p = m.spawn("p");

  private void refused(Errno errno, Executable call) {
    long before = m.stateHash();
    assertThatThrownBy(call::execute).isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(errno));
    assertThat(m.stateHash()).as("a refused call changes nothing").isEqualTo(before);
  }

  @Test
  void mlockMayReachTheLimitExactly() {
    p.setrlimitMemlock(4 * PAGE, 4 * PAGE);
    long buf = anon(p, 5 * PAGE);
    refused(Errno.ENOMEM, () -> p.mlock(buf, 5 * PAGE));
    p.mlock(buf, 4 * PAGE);
    assertThat(p.lockedVm()).isEqualTo(4);
    p.mlock(buf, 4 * PAGE);
    assertThat(p.lockedVm()).as("locking what is locked charges nothing more").isEqualTo(4);
    refused(Errno.ENOMEM, () -> p.mlock(buf + 4 * PAGE, PAGE));
    p.setCapability(Capability.CAP_IPC_LOCK, true);
    p.mlock(buf + 4 * PAGE, PAGE);
    assertThat(p.lockedVm()).isEqualTo(5);
  }

  @Test
  void mlockallOfTheCurrentSpaceMayReachTheLimitExactly() {
    anon(p, 4 * PAGE);
    p.setrlimitMemlock(4 * PAGE - 1, 4 * PAGE);
    refused(Errno.ENOMEM, () -> p.mlockall(Mman.MCL_CURRENT));
    p.setrlimitMemlock(4 * PAGE, 4 * PAGE);
    p.mlockall(Mman.MCL_CURRENT);
    assertThat(p.lockedVm()).isEqualTo(4);
    Process none = m.spawn("none");
    none.setrlimitMemlock(0, 0);
    refused(Errno.EPERM, () -> none.mlockall(Mman.MCL_FUTURE));
  }

  @Test
  void aLockedMappingMayReachTheLimitExactly() {
    p.setrlimitMemlock(4 * PAGE, 4 * PAGE);
    int flags = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_LOCKED;
    refused(Errno.EAGAIN, () -> p.mmap(0, 5 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, flags));
    p.mmap(0, 4 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, flags);
    assertThat(p.lockedVm()).isEqualTo(4);
    refused(Errno.EAGAIN, () -> p.mmap(0, PAGE, Mman.PROT_READ | Mman.PROT_WRITE, flags));
  }

  @Test
  void aFilePageTwoProcessesLockStaysMlockedUntilNeitherDoes() {
    MemFile f = m.createFile("f", PAGE);
    Process q = m.spawn("q");
    long a = p.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_SHARED, f, 0);
    long b = q.mmap(0, PAGE, Mman.PROT_READ, Mman.MAP_SHARED, f, 0);
    p.mlock(a, PAGE);
    q.mlock(b, PAGE);
    int pfn = (int) p.pagemap(a);
    assertThat(q.pagemap(b)).isEqualTo(pfn);
    p.munlock(a, PAGE);
    assertThat(m.page(pfn).flags()).as("q's VM_LOCKED VMA still maps it").contains("mlocked");
    q.munlock(b, PAGE);
    assertThat(m.page(pfn).flags()).doesNotContain("mlocked");
    m.checkInvariants();
  }
}
