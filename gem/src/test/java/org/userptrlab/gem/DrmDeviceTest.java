package org.userptrlab.gem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.util.EnumSet;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.driver.DriverLimits;
import org.userptrlab.core.driver.DriverStats;
import org.userptrlab.core.inject.LabModule;
import org.userptrlab.core.spi.UserptrFlag;
import org.userptrlab.mm.Errno;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.Mman;
import org.userptrlab.mm.MmException;
import org.userptrlab.mm.Process;

class DrmDeviceTest {
  static final int PAGE = 4096;
  private final Injector injector = Guice.createInjector(
      new LabModule(MachineConfig.builder().ram(64L << 20).build(), new DriverLimits(1 << 20, false), "copy"));
  private final Machine m = injector.getInstance(Machine.class);
  private final DrmDevice dev = injector.getInstance(DrmDevice.class);
  private final Process p = m.spawn("app");
  private final DrmFile f = dev.open(p);

  private void refused(ThrowingCallable call, Errno errno) {
    long before = m.stateHash();
    int objects = f.objects();
    assertThatThrownBy(call).isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(errno));
    assertThat(m.stateHash()).isEqualTo(before);
    assertThat(f.objects()).isEqualTo(objects);
  }

  @Test
  void createPwriteAndTheGpuReadsTheObject() {
    long buf = p.malloc(8 * PAGE);
    p.fill(buf, 8 * PAGE, 4);
    int h = f.create(8 * PAGE);
    f.pwrite(h, 0, buf, 8 * PAGE);
    assertThat(dev.gpu().reads(f, h, 4)).isTrue();
    dev.gpu().writes(f, h, 5);
    long out = p.malloc(8 * PAGE);
    f.pread(h, 0, out, 8 * PAGE);
    assertThat(p.matches(out, 8 * PAGE, 5)).isTrue();
    assertThat(injector.getInstance(DriverStats.class).ioctls()).as("create, pwrite, an execbuf for each job, pread").isEqualTo(5);
    f.gemClose(h);
    m.checkInvariants();
  }

  @Test
  void badIoctlsGiveDrmsErrnosAndChangeNothing() {
    long buf = p.malloc(4 * PAGE);
    int h = f.create(4 * PAGE);
    refused(() -> f.create(0), Errno.EINVAL);
    // drm_gem_handle_delete: a handle the file does not have is EINVAL (a lookup's ENOENT is for other ioctls).
    refused(() -> f.gemClose(99), Errno.EINVAL);
    refused(() -> f.pwrite(h, 2 * PAGE, buf, 4 * PAGE), Errno.EINVAL);
    refused(() -> f.pwrite(h, 0, 0x1000, PAGE), Errno.EFAULT);
    refused(() -> f.userptr(buf, 0, Set.of()), Errno.EINVAL);
    refused(() -> f.userptr(buf, 2L << 20, Set.of()), Errno.EINVAL);
    refused(() -> f.userptr(0x7000_0000_0000L, PAGE, EnumSet.of(UserptrFlag.READ_ONLY)), Errno.EFAULT);
    int u = f.userptr(buf, 4 * PAGE, Set.of());
    refused(() -> f.pwrite(u, 0, buf, PAGE), Errno.EINVAL);
  }

  @Test
  void closingTheFileReleasesEveryObject() {
    long buf = p.malloc(16 * PAGE);
    p.fill(buf, 16 * PAGE, 1);
    f.userptr(buf, 16 * PAGE, Set.of());
    f.create(PAGE);
    long free = m.freePages();
    f.close();
    assertThat(m.freePages()).isGreaterThan(free);
    assertThatThrownBy(() -> f.create(PAGE)).isInstanceOf(MmException.class);
    p.exit();
    m.checkInvariants();
    assertThat(m.freePages()).isEqualTo(m.totalPages() - 1);
  }

  /** pwrite and pread move bytes at an offset into the object and touch nothing else of it. */
  @Test
  void pwriteAndPreadAtAnOffsetMoveOnlyThoseBytes() {
    long buf = p.malloc(4 * PAGE);
    p.fill(buf, 4 * PAGE, 7);
    int h = f.create(4 * PAGE);
    f.pwrite(h, PAGE + 10, buf, 2 * PAGE);
    assertThat(dev.gpu().reads(f, h, PAGE + 10, 2 * PAGE, 7, 0)).isTrue();
    assertThat(dev.gpu().reads(f, h, 0, PAGE + 10, 7, 0)).as("the bytes before stay zero").isFalse();
    long out = p.malloc(4 * PAGE);
    p.fill(out, 4 * PAGE, 9);
    f.pread(h, PAGE + 10, out + 5, 2 * PAGE);
    assertThat(p.matches(out + 5, 2 * PAGE, 7)).isTrue();
    assertThat(p.matches(out, 5, 9)).as("the bytes before the destination are the program's").isTrue();
    assertThat(p.matches(out + 5 + 2 * PAGE, 4 * PAGE - 5 - 2 * PAGE, 9, 5 + 2 * PAGE)).isTrue();
    refused(() -> f.pread(h, 4 * PAGE - 1, out, 2), Errno.EINVAL);
    refused(() -> f.pwrite(h, -1, buf, 1), Errno.EINVAL);
    f.pwrite(h, 4 * PAGE - 1, buf, 1);
    f.gemClose(h);
    assertThat(f.objects()).isZero();
    m.checkInvariants();
  }

  /** A GPU job asks for bytes inside the object; each job is counted, and a closed handle is gone. */
  @Test
  void gpuJobsStayInsideTheObjectAndAreCounted() {
    int h = f.create(2 * PAGE);
    long jobs = dev.gpu().jobs();
    dev.gpu().writes(f, h, 3);
    assertThat(dev.gpu().reads(f, h, 2 * PAGE - 1, 1, 3, 2 * PAGE - 1)).isTrue();
    assertThat(dev.gpu().jobs()).isEqualTo(jobs + 2);
    refused(() -> dev.gpu().reads(f, h, 2 * PAGE - 1, 2, 3, 0), Errno.EINVAL);
    refused(() -> dev.gpu().reads(f, h, -1, 1, 3, 0), Errno.EINVAL);
    refused(() -> dev.gpu().reads(f, h, 0, 0, 3, 0), Errno.EINVAL);
    assertThat(f.lookup(h).handle()).isEqualTo(h);
    assertThat(f.process()).isSameAs(p);
    f.gemClose(h);
    refused(() -> dev.gpu().reads(f, h, 3), Errno.ENOENT);
    m.checkInvariants();
  }

  /** GEM_CLOSE takes the handle away and the strategy gives its pages back; handles are never reused within a file. */
  @Test
  void gemCloseTakesTheHandleAndTheObjectsPagesAway() {
    long buf = p.memalign(PAGE, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    int a = f.create(PAGE);
    int b = f.userptr(buf, 4 * PAGE, Set.of());
    assertThat(b).isNotEqualTo(a);
    assertThat(f.objects()).isEqualTo(2);
    long free = m.freePages();
    f.gemClose(b);
    assertThat(m.freePages()).as("the copy's pages are given back").isEqualTo(free + 4);
    refused(() -> f.lookup(b), Errno.ENOENT);
    assertThat(f.objects()).isEqualTo(1);
    int c = f.create(PAGE);
    assertThat(c).isNotIn(a, b);
    f.close();
    assertThat(f.objects()).as("drm_release empties the file").isZero();
    m.checkInvariants();
  }

  /** Every ioctl is counted, a failed one too; a closed file refuses each with EINVAL. */
  @Test
  void everyIoctlIsCountedAndAClosedFileRefusesThem() {
    DriverStats stats = injector.getInstance(DriverStats.class);
    long buf = p.malloc(2 * PAGE);
    long before = stats.ioctls();
    int h = f.create(2 * PAGE);
    f.userptr(buf, PAGE, Set.of());
    f.pwrite(h, 0, buf, PAGE);
    f.pread(h, 0, buf, PAGE);
    f.gemClose(h);
    assertThat(stats.ioctls()).isEqualTo(before + 5);
    f.close();
    // An ioctl through the closed file's descriptor: fdget fails first, EBADF.
    refused(() -> f.userptr(buf, PAGE, Set.of()), Errno.EBADF);
    refused(() -> f.pwrite(h, 0, buf, PAGE), Errno.EBADF);
    refused(() -> f.pread(h, 0, buf, PAGE), Errno.EBADF);
    refused(() -> f.gemClose(h), Errno.EBADF);
  }

  /** A create of one byte is a page; pread to an address nothing maps is EFAULT before any byte moves. */
  @Test
  void createAndPreadBoundaries() {
    int h = f.create(1);
    assertThat(f.lookup(h).size()).isEqualTo(PAGE);
    refused(() -> f.create(-1), Errno.EINVAL);
    refused(() -> f.pread(h, 0, 0x1000, PAGE), Errno.EFAULT);
    long buf = p.malloc(PAGE);
    f.pread(h, PAGE - 1, buf, 1);
    f.pread(h, 0, buf, PAGE);
    assertThat(p.matches(buf, PAGE, 0)).isFalse();
    m.checkInvariants();
  }

  /** A GPU write lands in the object; a GPU read of other bytes says so. */
  @Test
  void theGpuWritesTheWholeObjectAndReadsSayWhatIsThere() {
    int h = f.create(2 * PAGE);
    assertThat(dev.gpu().reads(f, h, 6)).isFalse();
    dev.gpu().writes(f, h, 6);
    assertThat(dev.gpu().reads(f, h, 6)).isTrue();
    assertThat(dev.gpu().reads(f, h, 7)).isFalse();
    assertThat(dev.machine()).isSameAs(m);
    m.checkInvariants();
  }

  /** pwrite and pread hold the object's pages only for the copy: after GEM_CLOSE every page is free again; a zero-byte copy is allowed. */
  @Test
  void pwriteAndPreadHoldThePagesOnlyForTheCopy() {
    long buf = p.memalign(PAGE, 2 * PAGE);
    p.fill(buf, 2 * PAGE, 3);
    long free = m.freePages();
    int h = f.create(2 * PAGE);
    f.pwrite(h, 0, buf, 2 * PAGE);
    f.pread(h, 0, buf, 2 * PAGE);
    f.pwrite(h, 2 * PAGE, buf, 0);
    f.pread(h, 0, buf, 0);
    f.gemClose(h);
    assertThat(m.freePages()).isEqualTo(free);
    m.checkInvariants();
  }

  /**
   * The file is shared after fork, and an ioctl works on the memory of the process that calls it
   * (current->mm): the child's userptr and pwrite read the child's pages, and an address only the
   * parent maps is EFAULT for the child, changing nothing.
   */
  @Test
  void anIoctlWorksOnTheCallersMemoryNotTheOpeners() {
    long buf = p.memalign(PAGE, 4 * PAGE);
    p.fill(buf, 4 * PAGE, 1);
    Process child = p.fork();
    child.fill(buf, 4 * PAGE, 2);
    int imported = f.userptr(child, buf, 4 * PAGE, Set.of());
    assertThat(dev.gpu().reads(f, imported, 2)).as("the GPU reads the child's bytes").isTrue();
    int created = f.create(4 * PAGE);
    f.pwrite(child, created, 0, buf, 4 * PAGE);
    assertThat(dev.gpu().reads(f, created, 2)).as("pwrite copied the child's bytes").isTrue();
    long parentsOnly = p.mmap(0, 4 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    p.fill(parentsOnly, 4 * PAGE, 3);
    refused(() -> f.userptr(child, parentsOnly, 4 * PAGE, Set.of()), Errno.EFAULT);
    f.gemClose(imported);
    f.gemClose(created);
    m.checkInvariants();
  }
}
