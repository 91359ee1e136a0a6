package org.userptrlab.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.userptrlab.core.spi.Contract;
import org.userptrlab.core.driver.DriverLimits;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.core.spi.UserptrFlag;
import org.userptrlab.core.spi.UserptrRequest;
import org.userptrlab.mm.Capability;
import org.userptrlab.mm.DeviceMemory;
import org.userptrlab.mm.Errno;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.Mman;
import org.userptrlab.mm.MmException;

/**
 * The contract every strategy must pass, run over every strategy on the class path and both
 * kernel kernels. A module that adds strategies runs it by extending this class in its tests; so can
 * a third party's.
 */
public class StrategyContractTest {
  static final int PAGE = StrategyRig.PAGE;
  static final long LIMIT = 8L << 20;

  static List<Arguments> strategies() {
    List<Arguments> out = new ArrayList<>();
    for (String name : Strategies.names()) {
      for (KernelConfig kernel : KernelConfig.presets()) {
        out.add(Arguments.of(name, kernel));
      }
    }
    return out;
  }

  /** The suite's rig: a program with RLIMIT_MEMLOCK raised, as driver users are set up (ulimit -l). */
  static StrategyRig rig(String name, KernelConfig kernel, DriverLimits limits) {
    // A GPU with device memory where the kernel can have it, so that a strategy that migrates does so here.
    long vram = kernel.has(org.userptrlab.mm.KernelChange.DEVICE_PRIVATE) ? 32L << 20 : 0;
    StrategyRig r = new StrategyRig(name, MachineConfig.builder().ram(128L << 20).swap(64L << 20).devicePrivate(vram).kernel(kernel).build(),
        limits);
    r.p.setCapability(Capability.CAP_SYS_RESOURCE, true);
    r.p.setrlimitMemlock(1L << 30, 1L << 30);
    return r;
  }

  static StrategyRig rig(String name, KernelConfig kernel) {
    return rig(name, kernel, new DriverLimits(LIMIT, false));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("strategies")
  void theGpuSeesWhatTheContractPromises(String name, KernelConfig kernel) {
    StrategyRig r = rig(name, kernel);
    long size = 64 * PAGE;
    long buf = r.buffer(size + 2 * PAGE);
    r.p.fill(buf, size + 2 * PAGE, 1);
    // The range starts and ends inside pages unless the strategy needs alignment.
    long off = r.strategy.requiresPageAlignment() ? PAGE : PAGE + 100;
    long len = r.strategy.requiresPageAlignment() ? size : size - 200;
    UserptrBacking b = r.imp(buf + off, len);
    Contract c = r.strategy.contract();

    assertThat(b.size()).isEqualTo(len);
    assertThat(r.gpuSees(b, 1, off)).as("%s on %s: GPU sees the imported bytes", name, kernel.release()).isTrue();
    assertThat(r.p.matches(buf, off, 1)).as("%s on %s: bytes before the range", name, kernel.release()).isTrue();
    assertThat(r.p.matches(buf + off + len, size + 2 * PAGE - off - len, 1, off + len)).as("%s on %s: bytes after the range", name, kernel.release()).isTrue();
    if (c.promises(Promise.PROGRAM_KEEPS_ITS_BYTES)) {
      assertThat(r.p.matches(buf + off, len, 1, off)).as("%s on %s: program keeps its bytes", name, kernel.release()).isTrue();
    }
    if (c.promises(Promise.GPU_SEES_LATER_CPU_WRITES)) {
      r.p.fill(buf + off, len, 2);
      assertThat(r.gpuSees(b, 2, 0)).as("%s on %s: GPU sees a later CPU write", name, kernel.release()).isTrue();
    }
    if (c.promises(Promise.CPU_SEES_GPU_WRITES)) {
      r.gpuWrites(b, 3);
      assertThat(r.p.matches(buf + off, len, 3)).as("%s on %s: CPU sees the GPU's write", name, kernel.release()).isTrue();
    }
    if (!c.promises(Promise.GPU_SEES_LATER_CPU_WRITES)) {
      // A snapshot: whatever the program writes now, the GPU keeps the imported bytes.
      r.p.fill(buf + off, len, 4);
      assertThat(r.gpuSees(b, 1, off)).as("%s on %s: GPU keeps the snapshot", name, kernel.release()).isTrue();
      if (c.promises(Promise.PROGRAM_KEEPS_ITS_BYTES)) {
        assertThat(r.p.matches(buf + off, len, 4)).as("%s on %s: the program reads its new write", name, kernel.release()).isTrue();
      }
    }
    if (c.promises(Promise.PROGRAM_KEEPS_ITS_BYTES) && !c.promises(Promise.CPU_SEES_GPU_WRITES)) {
      // A snapshot object is the GPU's own: rendering into it leaves the program's memory alone,
      // including pages the program has not written since the import.
      r.p.fill(buf + off, len, 7);
      UserptrBacking again = r.imp(buf + off, len);
      r.gpuWrites(again, 6);
      assertThat(r.p.matches(buf + off, len, 7)).as("%s on %s: a GPU write does not reach the program", name, kernel.release()).isTrue();
      assertThat(r.gpuSees(again, 6, 0)).as("%s on %s: the GPU reads its own write", name, kernel.release()).isTrue();
      again.release();
    }
    r.m.checkInvariants();
    b.release();
    r.m.checkInvariants();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("strategies")
  void releaseGivesEverythingBack(String name, KernelConfig kernel) {
    StrategyRig r = rig(name, kernel);
    long buf = r.buffer(256 * PAGE);
    r.p.fill(buf, 256 * PAGE, 5);
    long locked = r.p.lockedVm();
    long pinned = r.p.pinnedVm();
    UserptrBacking b = r.imp(buf, 256 * PAGE);
    r.gpuSees(b, 5, 0);

    b.release();

    assertThat(r.p.lockedVm()).isEqualTo(locked);
    assertThat(r.p.pinnedVm()).isEqualTo(pinned);
    r.m.checkInvariants();
    r.p.exit();
    r.m.checkInvariants();
    r.m.kernel().reclaim((int) r.m.totalPages());
    assertThat(r.m.freePages()).as("%s on %s: every frame free once the object and the process are gone", name, kernel.release()).isEqualTo(r.m.totalPages() - 1);
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("strategies")
  void badInputIsRefusedWithTheRightErrnoAndChangesNothing(String name, KernelConfig kernel) {
    StrategyRig r = rig(name, kernel);
    long buf = r.buffer(16 * PAGE);
    long aligned = (buf + PAGE - 1) & -PAGE;
    r.p.fill(buf, 16 * PAGE, 1);
    long hole = r.p.mmap(0, 6 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    r.p.munmap(hole + 2 * PAGE, PAGE);
    DeviceMemory bar = r.m.createDevice("bar", 4 * PAGE);
    long io = r.p.mmap(0, 4 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, bar, 0);
    long ro = r.p.mmap(0, 4 * PAGE, Mman.PROT_READ, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);

    refused(r, () -> r.imp(aligned, 0), Errno.EINVAL);
    refused(r, () -> r.imp(0x7fff_ffff_0000L, 1L << 20), Errno.EINVAL);
    refused(r, () -> r.imp(-PAGE, 2 * PAGE), Errno.EINVAL);
    refused(r, () -> r.imp(hole, 6 * PAGE), Errno.EFAULT);
    refused(r, () -> r.imp(io, 4 * PAGE), Errno.EFAULT);
    if (r.strategy.onlyReadsRange()) {
      // A copy needs only to read the range: PROT_READ is enough without READ_ONLY (copy_from_user).
      r.imp(ro, 4 * PAGE).release();
      r.m.checkInvariants();
    } else {
      refused(r, () -> r.imp(ro, 4 * PAGE), Errno.EFAULT);
    }
    refused(r, () -> r.imp(aligned, LIMIT + PAGE), Errno.EINVAL);
    if (r.strategy.requiresPageAlignment()) {
      refused(r, () -> r.imp(aligned + 8, PAGE), Errno.EINVAL);
    }
    UserptrBacking readOnly = r.importer.importRange(new UserptrRequest(r.p, ro, 4 * PAGE, EnumSet.of(UserptrFlag.READ_ONLY)));
    r.m.checkInvariants();
    readOnly.release();
    r.m.checkInvariants();

    StrategyRig priv = rig(name, kernel, new DriverLimits(LIMIT, true));
    long pbuf = priv.buffer(4 * PAGE);
    long paligned = (pbuf + PAGE - 1) & -PAGE;
    refused(priv, () -> priv.imp(paligned, PAGE), Errno.EPERM);
    priv.p.setCapability(Capability.CAP_SYS_ADMIN, true);
    priv.imp(paligned, PAGE).release();
  }

  private static void refused(StrategyRig r, ThrowingCallable call, Errno errno) {
    long before = r.m.stateHash();
    String who = r.strategy.name() + " on " + r.m.kernelConfig();
    assertThatThrownBy(call).as("%s: refused with %s", who, errno)
        .isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).as("%s: errno", who).isEqualTo(errno));
    assertThat(r.m.stateHash()).as("%s: a refused import changes nothing", who).isEqualTo(before);
  }
}
