package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.Mman.MAP_ANONYMOUS;
import static org.userptrlab.mm.Mman.MAP_PRIVATE;
import static org.userptrlab.mm.Mman.PROT_READ;
import static org.userptrlab.mm.TestMachines.MiB;
import static org.userptrlab.mm.TestMachines.PAGE;
import static org.userptrlab.mm.TestMachines.anon;

import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * read(2) of a file opened O_DIRECT: the block layer takes the user pages with FOLL_WRITE for the
 * I/O only (bio_iov_iter_get_pages: pinned since 6.3, a7e689dd1c06; plain references before), the
 * disk's bytes land in them, and they are let go dirty when it completes. Misaligned buffers and
 * lengths are EINVAL (512-byte logical blocks).
 */
class DirectIoTest {
  private static Machine machine(KernelConfig k) {
    return new Machine(MachineConfig.builder().ram(64 * MiB).kernel(k).build());
  }

  private static void refused(Machine m, Errno errno, Executable call) {
    long before = m.stateHash();
    assertThatThrownBy(call::execute).isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(errno));
    assertThat(m.stateHash()).isEqualTo(before);
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void theDisksBytesLandInTheUserPagesWhichAreLetGoDirtyAfterTheIo(KernelConfig k) {
    Machine m = machine(k);
    MemFile f = m.createFile("f", 4 * PAGE);
    m.fillFile(f, 0, 4 * PAGE, 7);
    Process p = m.spawn("p");
    long buf = anon(p, 4 * PAGE);
    long pins = m.vmstat().get(VmEvent.NR_FOLL_PIN_ACQUIRED);
    assertThat(p.readDirect(f, buf + 512, 2 * PAGE)).isEqualTo(2 * PAGE);
    assertThat(p.matches(buf + 512, 2 * PAGE, 7)).isTrue();
    assertThat(m.vmstat().get(VmEvent.NR_FOLL_PIN_ACQUIRED) - pins).as("pinned (FOLL_PIN) only from 6.3")
        .isEqualTo(k.has(KernelChange.DIO_PIN) ? 3 : 0);
    int frame = (int) p.pagemap(buf);
    assertThat(m.page(frame).refcount()).as("released when the I/O completed").isEqualTo(1);
    assertThat(m.page(frame).maybeDmaPinned()).isFalse();
    assertThat(m.page(frame).flags()).contains("dirty");
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aReadIntoPagesSharedWithAChildBreaksCowFirst(KernelConfig k) {
    Machine m = machine(k);
    MemFile f = m.createFile("f", PAGE);
    m.fillFile(f, 0, PAGE, 7);
    Process p = m.spawn("p");
    long buf = anon(p, PAGE);
    p.fill(buf, PAGE, 1);
    Process child = p.fork();
    p.readDirect(f, buf, PAGE);
    assertThat(p.matches(buf, PAGE, 7)).isTrue();
    assertThat(child.matches(buf, PAGE, 1)).isTrue();
    m.checkInvariants();
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void misalignedBuffersAndLengthsAndShmemFilesAreEinvalAndAReadOnlyBufferEfault(KernelConfig k) {
    Machine m = machine(k);
    MemFile f = m.createFile("f", 2 * PAGE);
    Process p = m.spawn("p");
    long buf = anon(p, 2 * PAGE);
    MemFile tmp = m.createShmemFile("t", PAGE);
    refused(m, Errno.EINVAL, () -> p.readDirect(f, buf + 100, PAGE));
    refused(m, Errno.EINVAL, () -> p.readDirect(f, buf, 1000));
    if (!k.has(KernelChange.TMPFS_DIRECT_IO)) {
      refused(m, Errno.EINVAL, () -> p.readDirect(tmp, buf, PAGE));
    }
    long ro = p.mmap(0, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
    refused(m, Errno.EFAULT, () -> p.readDirect(f, ro, PAGE));
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aReadPastTheEndOfTheFileIsShort(KernelConfig k) {
    Machine m = machine(k);
    MemFile f = m.createFile("f", PAGE);
    Process p = m.spawn("p");
    long buf = anon(p, 2 * PAGE);
    assertThat(p.readDirect(f, buf, 2 * PAGE)).isEqualTo(PAGE);
    m.checkInvariants();
  }
}
