package org.userptrlab.strategy.svm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.spi.ImportNote;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.core.spi.UserptrFlag;
import org.userptrlab.core.spi.UserptrRequest;
import org.userptrlab.mm.Foll;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.MmException;
import org.userptrlab.mm.Mman;
import org.userptrlab.mm.PageRefs;
import org.userptrlab.mm.Process;
import org.userptrlab.testkit.StrategyRig;

/**
 * The svm variants on 6.15 with a GPU of 16 MiB of device memory: where pages live after GPU
 * faults and CPU touches, and what each variant reports, each test a fact of drm_gpusvm, drm_pagemap
 * or xe_svm as they are in the kernel.
 */
class SvmStrategyTest {
  static final int PAGE = 4096;
  static final long CHUNK = 64 << 10;

  private static StrategyRig rig(String strategy, long vram) {
    StrategyRig r = new StrategyRig(strategy, MachineConfig.builder().ram(128L << 20).devicePrivate(vram)
        .kernel(KernelConfig.linux("6.15")).build());
    return r;
  }

  /** {@code size} bytes of the seed's stream, 64 KiB aligned in a VMA of their own, so that drm_gpusvm's chunks tile them. */
  private static long buffer(StrategyRig r, long size, long seed) {
    long map = r.p.mmap(0, size + CHUNK, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    long buf = (map + CHUNK - 1) & -CHUNK;
    if (buf > map) {
      r.p.munmap(map, buf - map);
    }
    r.p.munmap(buf + size, map + CHUNK - buf);
    r.p.fill(buf, size, seed);
    return buf;
  }

  private static int inDevice(Process p, long buf, long size) {
    int n = 0;
    for (long a = buf; a < buf + size; a += PAGE) {
      n += p.devicePrivatePage(a) >= 0 ? 1 : 0;
    }
    return n;
  }

  private static boolean noted(UserptrBacking b, ImportNote.Kind kind) {
    return b.notes().stream().anyMatch(n -> n.kind() == kind);
  }

  @Test
  void theFirstGpuFaultMigratesRangesOf64KibOrMoreAndTheGpuReadsTheProgramsBytes() {
    StrategyRig r = rig(SvmStrategy.NAME, 16 << 20);
    long buf = buffer(r, 1 << 20, 3);
    UserptrBacking b = r.imp(buf, 1 << 20);
    assertThat(inDevice(r.p, buf, 1 << 20)).as("nothing moves at import: there is none").isZero();
    assertThat(r.gpuSees(b, 3)).isTrue();
    assertThat(inDevice(r.p, buf, 1 << 20)).isEqualTo(256);
    r.m.checkInvariants();
  }

  @Test
  void aCpuTouchOfOnePagePullsItsWholeRangeBack() {
    StrategyRig r = rig(SvmStrategy.NAME, 16 << 20);
    long buf = buffer(r, 1 << 20, 3);
    UserptrBacking b = r.imp(buf, 1 << 20);
    r.gpuSees(b, 3);
    r.p.store(buf + 5 * PAGE, (byte) 9);
    assertThat(inDevice(r.p, buf, CHUNK)).as("the 64 KiB range of the touched page").isZero();
    assertThat(inDevice(r.p, buf + CHUNK, (1 << 20) - CHUNK)).isEqualTo(240);
    assertThat(noted(b, ImportNote.Kind.CHUNK_PULLED_BACK)).isTrue();
    assertThat(r.gpuSees(b, 3)).as("the GPU faults again and sees the CPU's byte").isFalse();
    r.m.checkInvariants();
  }

  @Test
  void theMirrorNeverMigratesAndASmallRangeStaysInRam() {
    StrategyRig mirror = rig(SvmMirrorStrategy.NAME, 16 << 20);
    long buf = buffer(mirror, 1 << 20, 3);
    assertThat(mirror.gpuSees(mirror.imp(buf, 1 << 20), 3)).isTrue();
    assertThat(inDevice(mirror.p, buf, 1 << 20)).isZero();
    StrategyRig svm = rig(SvmStrategy.NAME, 16 << 20);
    long small = buffer(svm, 8 * PAGE, 3);
    assertThat(svm.gpuSees(svm.imp(small, 8 * PAGE), 3)).isTrue();
    assertThat(inDevice(svm.p, small, 8 * PAGE)).as("a 32 KiB VMA gets 4 KiB ranges, below xe's 64 KiB").isZero();
  }

  @Test
  void aPinnedPageKeepsItsWholeRangeInRamAndTheOthersMigrate() {
    StrategyRig r = rig(SvmStrategy.NAME, 16 << 20);
    long buf = buffer(r, 4 * CHUNK, 3);
    PageRefs pin = r.m.kernel().pinUserPages(r.p, buf + PAGE, 1, Foll.FOLL_WRITE | Foll.FOLL_LONGTERM);
    UserptrBacking b = r.imp(buf, 4 * CHUNK);
    assertThat(r.gpuSees(b, 3)).isTrue();
    assertThat(inDevice(r.p, buf, CHUNK)).as("all of a range or none (cpages != npages: -EBUSY)").isZero();
    assertThat(inDevice(r.p, buf + CHUNK, 3 * CHUNK)).isEqualTo(48);
    pin.release();
  }

  @Test
  void afterForkTheParentsWriteCopiesAndTheGpuFollowsTheParent() {
    StrategyRig r = rig(SvmStrategy.NAME, 16 << 20);
    long buf = buffer(r, 4 * CHUNK, 3);
    UserptrBacking b = r.imp(buf, 4 * CHUNK);
    r.gpuSees(b, 3);
    Process child = r.p.fork();
    r.p.fill(buf, 4 * CHUNK, 4);
    assertThat(child.matches(buf, 4 * CHUNK, 3)).isTrue();
    assertThat(r.gpuSees(b, 4)).isTrue();
    r.m.checkInvariants();
  }

  /**
   * After fork, the parent's range in device memory is mapped readable in both processes
   * (copy_nonpresent_pte); hmm_range_fault reports the GPU's own device pages as they are, asked for
   * write or not (hmm_vma_handle_pte), and drm_gpusvm_get_pages does not look at HMM_PFN_WRITE: the
   * GPU maps the shared page and its write reaches the child.
   */
  @Test
  void afterForkAGpuWriteToARangeInDeviceMemoryReachesTheChild() {
    StrategyRig r = rig(SvmStrategy.NAME, 16 << 20);
    long buf = buffer(r, CHUNK, 3);
    UserptrBacking b = r.imp(buf, CHUNK);
    r.gpuSees(b, 3);
    Process child = r.p.fork();
    assertThat(child.devicePrivatePage(buf)).isEqualTo(r.p.devicePrivatePage(buf)).isNotNegative();
    r.gpuWrites(b, 4);
    assertThat(child.matches(buf, CHUNK, 4)).as("the child sees the GPU's write").isTrue();
    StrategyRig mirror = rig(SvmMirrorStrategy.NAME, 16 << 20);
    long m = buffer(mirror, CHUNK, 3);
    UserptrBacking mb = mirror.imp(m, CHUNK);
    mirror.gpuSees(mb, 3);
    Process other = mirror.p.fork();
    mirror.gpuWrites(mb, 4);
    assertThat(other.matches(m, CHUNK, 3)).as("system pages: the write fault breaks COW first").isTrue();
    r.m.checkInvariants();
  }

  @Test
  void aGpuReadAskingForWriteBreaksCopyOnWriteUnlessTheObjectIsReadOnly() {
    for (String s : new String[] {SvmStrategy.NAME, SvmKfdStrategy.NAME}) {
      for (boolean readOnly : new boolean[] {false, true}) {
        StrategyRig r = rig(s, 0);
        long buf = buffer(r, 4 * PAGE, 3);
        r.p.fork();
        UserptrBacking b = r.importer.importRange(new UserptrRequest(r.p, buf, 4 * PAGE,
            readOnly ? Set.of(UserptrFlag.READ_ONLY) : Set.of()));
        r.gpuSees(b, 3);
        boolean expected = !readOnly || s.equals(SvmKfdStrategy.NAME);
        assertThat(noted(b, ImportNote.Kind.COW_BROKEN_BY_GPU_READ)).as("%s, read-only %b", s, readOnly).isEqualTo(expected);
      }
    }
  }

  /** An object over a 64 KiB range the GPU has read into its memory, then the range's second half unmapped and 64 KiB after it. */
  private static UserptrBacking partlyUnmapped(StrategyRig r, long buf) {
    UserptrBacking b = r.imp(buf, CHUNK);
    r.gpuSees(b, 3);
    r.p.munmap(buf + CHUNK / 2, CHUNK / 2 + CHUNK);
    return b;
  }

  @Test
  void aPartialUnmapEvictsWhatRemainsOfTheRangeAtTheNextGpuFault() {
    StrategyRig r = rig(SvmStrategy.NAME, 16 << 20);
    long buf = buffer(r, 2 * CHUNK, 3);
    UserptrBacking b = partlyUnmapped(r, buf);
    UserptrBacking again = r.imp(buf, CHUNK / 2);
    assertThat(inDevice(r.p, buf, CHUNK / 2)).as("still in device memory until the GPU faults").isEqualTo(8);
    assertThat(r.gpuSees(again, 3)).isTrue();
    r.m.checkInvariants();
  }

  /**
   * The object's own next GPU fault after a partial munmap: the garbage collector moves what remains of
   * the range back to RAM by the driver's hmm_range_fault, no CPU access; the fault then finds no VMA.
   */
  @Test
  void theGarbageCollectorsEvictionIsNotACpuAccess() {
    StrategyRig r = rig(SvmStrategy.NAME, 16 << 20);
    long buf = buffer(r, 2 * CHUNK, 3);
    UserptrBacking b = partlyUnmapped(r, buf);
    assertThatThrownBy(() -> r.gpuSees(b, 3)).isInstanceOf(MmException.class);
    assertThat(inDevice(r.p, buf, CHUNK / 2)).isZero();
    assertThat(b.notes()).filteredOn(n -> n.kind() == ImportNote.Kind.CHUNK_PULLED_BACK).isNotEmpty()
        .allSatisfy(n -> assertThat(n.detail()).startsWith("the garbage collector's hmm_range_fault after a partial munmap"));
    r.m.checkInvariants();
  }

  @Test
  void takingTurnsPingPongsTheRangeAndReleaseLeavesDeviceMemoryInUse() {
    StrategyRig r = rig(SvmStrategy.NAME, 16 << 20);
    long buf = buffer(r, CHUNK, 3);
    UserptrBacking b = r.imp(buf, CHUNK);
    for (int turn = 0; turn < SvmObject.PING_PONG; turn++) {
      r.gpuSees(b, 3);
      r.p.load(buf);
    }
    assertThat(noted(b, ImportNote.Kind.MIGRATION_PING_PONG)).isTrue();
    r.gpuSees(b, 3);
    b.release();
    assertThat(noted(b, ImportNote.Kind.DEVICE_MEMORY_HELD)).isTrue();
    assertThat(inDevice(r.p, buf, CHUNK)).isEqualTo(16);
    r.p.exit();
    r.m.checkInvariants();
  }

  @Test
  void whenDeviceMemoryIsFullTheOldestRangeIsEvicted() {
    StrategyRig r = rig(SvmStrategy.NAME, 2 * CHUNK);
    long one = buffer(r, 2 * CHUNK, 1);
    long two = buffer(r, 2 * CHUNK, 2);
    r.gpuSees(r.imp(one, 2 * CHUNK), 1);
    assertThat(inDevice(r.p, one, 2 * CHUNK)).isEqualTo(32);
    assertThat(r.gpuSees(r.imp(two, 2 * CHUNK), 2)).isTrue();
    assertThat(inDevice(r.p, two, 2 * CHUNK)).isEqualTo(32);
    assertThat(inDevice(r.p, one, 2 * CHUNK)).isZero();
    assertThat(r.p.matches(one, 2 * CHUNK, 1)).isTrue();
    r.m.checkInvariants();
  }

  @Test
  void aJobOverMoreThanDeviceMemoryStreamsThroughItEvictingWhatItHasRead() {
    StrategyRig r = rig(SvmStrategy.NAME, 4 * CHUNK);
    long buf = buffer(r, 8 * CHUNK, 5);
    UserptrBacking b = r.imp(buf, 8 * CHUNK);
    for (int job = 0; job < SvmObject.PING_PONG + 1; job++) {
      assertThat(r.gpuSees(b, 5)).as("job %d reads every byte, each range while it is in device memory", job).isTrue();
      assertThat(inDevice(r.p, buf + 4 * CHUNK, 4 * CHUNK)).as("the last ranges read hold device memory").isEqualTo(64);
      assertThat(inDevice(r.p, buf, 4 * CHUNK)).as("the first went back to RAM to make room for them").isZero();
    }
    assertThat(noted(b, ImportNote.Kind.MIGRATION_PING_PONG)).as("eviction to make room is no CPU taking turns").isFalse();
    assertThat(r.p.matches(buf, 8 * CHUNK, 5)).isTrue();
    r.m.checkInvariants();
  }

  @Test
  void beforeDrmGpusvmTheStrategySaysWhatItStandsFor() {
    assertThat(rig(SvmStrategy.NAME, 0).strategy.standsFor()).isEmpty();
    StrategyRig old = new StrategyRig(SvmStrategy.NAME, MachineConfig.builder().kernel(KernelConfig.LINUX_6_12).build());
    assertThat(old.strategy.standsFor()).hasValueSatisfying(s -> assertThat(s).contains("amdkfd"));
    StrategyRig seed = new StrategyRig(SvmStrategy.NAME, MachineConfig.builder().kernel(KernelConfig.LINUX_3_4).build());
    assertThat(seed.strategy.standsFor()).hasValueSatisfying(s -> assertThat(s).contains("IOMMU"));
  }
}
