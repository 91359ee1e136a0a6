package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.userptrlab.mm.Mman.MAP_ANONYMOUS;
import static org.userptrlab.mm.Mman.MAP_FIXED;
import static org.userptrlab.mm.Mman.MAP_PRIVATE;
import static org.userptrlab.mm.Mman.PROT_READ;
import static org.userptrlab.mm.Mman.PROT_WRITE;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;
import static org.userptrlab.mm.TestMachines.small;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad arguments get the kernel's errno and change nothing. */
class ErrorsTest {
  private final Machine m = small(KernelConfig.LINUX_6_12);
  private final Process p = m.spawn("p");
  private long buf;

  @BeforeEach
  void setUp() {
    buf = anon(p, 8 * PAGE);
    p.fill(buf, 8 * PAGE, 1);
    p.munmap(buf + 4 * PAGE, PAGE);
  }

  private void refused(ThrowingCallable call, Errno errno) {
    long before = m.stateHash();
    SignalExceptionAssert.errno(call, errno);
    assertThat(m.stateHash()).as("state after a refused call").isEqualTo(before);
    m.checkInvariants();
  }

  @Test
  void mmapRefusals() {
    refused(() -> p.mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS), Errno.EINVAL);
    refused(() -> p.mmap(0, PAGE, PROT_READ, MAP_ANONYMOUS), Errno.EINVAL);
    refused(() -> p.mmap(buf + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED), Errno.EINVAL);
    refused(() -> p.mmap(Mm.TASK_SIZE - PAGE, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED), Errno.ENOMEM);
    refused(() -> p.mmap(0x1000, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED), Errno.EPERM);
    refused(() -> p.mmap(0, Long.MAX_VALUE - 10, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS), Errno.ENOMEM);
    refused(() -> p.mmap(0, PAGE, 0x40, MAP_PRIVATE | MAP_ANONYMOUS), Errno.EINVAL);
  }

  @Test
  void munmapRefusals() {
    refused(() -> p.munmap(buf + 1, PAGE), Errno.EINVAL);
    refused(() -> p.munmap(buf, 0), Errno.EINVAL);
    refused(() -> p.munmap(Mm.TASK_SIZE - PAGE, 4 * PAGE), Errno.EINVAL);
    refused(() -> p.munmap(-PAGE, PAGE), Errno.EINVAL);
  }

  @Test
  void mprotectRefusals() {
    refused(() -> p.mprotect(buf + 1, PAGE, PROT_READ), Errno.EINVAL);
    refused(() -> p.mprotect(buf + 4 * PAGE, 4 * PAGE, PROT_READ), Errno.ENOMEM);
    refused(() -> p.mprotect(buf, PAGE, 0x100), Errno.EINVAL);
    refused(() -> p.mprotect(Mm.TASK_SIZE - PAGE, 4 * PAGE, PROT_READ), Errno.ENOMEM);
  }

  @Test
  void madviseRefusals() {
    refused(() -> p.madvise(buf + 1, PAGE, Mman.MADV_DONTNEED), Errno.EINVAL);
    refused(() -> p.madvise(buf, 8 * PAGE, Mman.MADV_POPULATE_WRITE), Errno.ENOMEM);
    refused(() -> p.madvise(buf, PAGE, 999), Errno.EINVAL);
    MemFile f = m.createFile("f", PAGE);
    long map = p.mmap(0, PAGE, PROT_READ, MAP_PRIVATE, f, 0);
    refused(() -> p.madvise(map, PAGE, Mman.MADV_WIPEONFORK), Errno.EINVAL);
    p.mlock(buf, PAGE);
    refused(() -> p.madvise(buf, PAGE, Mman.MADV_DONTNEED), Errno.EINVAL);
  }

  /**
   * madvise_walk_vmas skips a hole in the range and answers ENOMEM once the mapped parts on both
   * sides of it have the advice, unlike mprotect, which stops at the hole, and mlock, which refuses the whole call.
   */
  @Test
  void madviseOverAHoleAdvisesTheMappedPartsAndAnswersEnomem() {
    SignalExceptionAssert.errno(() -> p.madvise(buf, 8 * PAGE, Mman.MADV_DONTNEED), Errno.ENOMEM);
    assertThat(p.resident(buf)).as("before the hole: zapped").isFalse();
    assertThat(p.resident(buf + 5 * PAGE)).as("after the hole: zapped").isFalse();
    SignalExceptionAssert.errno(() -> p.madvise(buf, 8 * PAGE, Mman.MADV_DONTFORK), Errno.ENOMEM);
    assertThat(p.vma(buf).has(VmFlags.VM_DONTCOPY)).isTrue();
    assertThat(p.vma(buf + 5 * PAGE).has(VmFlags.VM_DONTCOPY)).isTrue();
    m.checkInvariants();
  }

  /**
   * do_mprotect_pkey changes the VMAs from the start one after another and stops at a hole with
   * ENOMEM: the VMA before the hole keeps its new protection (the real kernel agrees, by diff).
   */
  @Test
  void mprotectOverAHoleChangesTheVmaBeforeItAndAnswersEnomem() {
    SignalExceptionAssert.errno(() -> p.mprotect(buf, 8 * PAGE, PROT_READ), Errno.ENOMEM);
    assertThat(p.vma(buf).has(VmFlags.VM_WRITE)).as("before the hole: read-only now").isFalse();
    assertThat(p.vma(buf + 5 * PAGE).has(VmFlags.VM_WRITE)).as("after the hole: untouched").isTrue();
    assertThat(p.matches(buf, 4 * PAGE, 1)).isTrue();
    m.checkInvariants();
  }

  @Test
  void mlockRefusals() {
    refused(() -> p.mlock(buf - 16 * PAGE, PAGE), Errno.ENOMEM);
    p.setrlimitMemlock(PAGE, PAGE);
    refused(() -> p.mlock(buf, 2 * PAGE), Errno.ENOMEM);
    refused(() -> p.mlockall(0), Errno.EINVAL);
    refused(() -> p.setrlimitMemlock(0, 1 << 30), Errno.EPERM);
    p.setrlimitMemlock(0, 0);
    refused(() -> p.mlock(buf, PAGE), Errno.EPERM);
  }

  @Test
  void aFailedCallLeavesTheContentReadable() {
    refused(() -> p.mprotect(buf, 8 * PAGE, PROT_READ | PROT_WRITE), Errno.ENOMEM);
    assertThat(p.matches(buf, 4 * PAGE, 1)).isTrue();
  }
}
