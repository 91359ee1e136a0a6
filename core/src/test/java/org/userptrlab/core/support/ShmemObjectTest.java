package org.userptrlab.core.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.spi.GpuAccess;
import org.userptrlab.core.spi.GpuLease;
import org.userptrlab.core.spi.ImportNote;
import org.userptrlab.core.spi.UserptrRequest;
import org.userptrlab.mm.Errno;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.MemFile;
import org.userptrlab.mm.MmException;
import org.userptrlab.mm.Mman;
import org.userptrlab.mm.PageRefs;
import org.userptrlab.mm.Process;

/**
 * Objects over shmem and over held frames: a GPU write dirties the pages it wrote when the job's
 * references go (set_page_dirty_lock), a read leaves them clean, and a copy that faults leaves no
 * object behind.
 */
class ShmemObjectTest {
  private final Machine m = new Machine(MachineConfig.builder().ram(8L << 20).kernel(KernelConfig.LINUX_6_12).build());
  private final Process p = m.spawn("p");

  private boolean dirty(int pfn) {
    return m.page(pfn).flags().contains("dirty");
  }

  @Test
  void aCopyHoldsTheBytesAtItsOffsetAndAGpuWriteDirtiesItsPages() {
    long buf = p.mmap(0, 2 * 4096, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    p.fill(buf, 2 * 4096, 5);
    ShmemObject obj = ShmemObject.copyOf(m.kernel(), new UserptrRequest(p, buf, 2 * 4096, Set.of()), "copy");
    assertThat(obj.offset()).isZero();
    assertThat(obj.size()).isEqualTo(2 * 4096);
    assertThat(obj.note(ImportNote.Kind.FELL_BACK_TO_COPY, "a copy").notes()).extracting(ImportNote::detail).containsExactly("a copy");
    int pfn;
    try (GpuLease lease = obj.pin(GpuAccess.READ)) {
      pfn = lease.frames()[0];
      assertThat(m.kernel().dmaMatches(lease.frames(), lease.offset(), 2 * 4096, 5, 0)).isTrue();
    }
    assertThat(dirty(pfn)).as("a read leaves the object's page clean").isFalse();
    try (GpuLease lease = obj.pin(GpuAccess.WRITE)) {
      m.kernel().dmaFill(lease.frames(), lease.offset(), 4096, 6);
      lease.markDirty();
    }
    assertThat(dirty(pfn)).as("a write dirties it as the job lets go").isTrue();
    obj.release();
    m.checkInvariants();
  }

  @Test
  void aCopyThatFaultsLeavesNothingBehind() {
    long buf = p.mmap(0, 4096, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    p.fill(buf, 4096, 5);
    long free = m.freePages();
    assertThatThrownBy(() -> ShmemObject.copyOf(m.kernel(), new UserptrRequest(p, buf, 3 * 4096, Set.of()), "torn"))
        .isInstanceOfSatisfying(MmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EFAULT));
    assertThat(m.freePages()).as("every page the object took went back").isEqualTo(free);
    m.checkInvariants();
  }

  @Test
  void heldFileFramesAreDirtiedByAGpuWriteOnlyWhenReleased() {
    MemFile file = m.createFile("f", 2 * 4096);
    long map = p.mmap(0, 2 * 4096, Mman.PROT_READ, Mman.MAP_SHARED, file, 0);
    p.load(map);
    p.load(map + 4096);
    PageRefs read = m.kernel().getUserPagesAll(p, map, 1, 0);
    PageRefs written = m.kernel().getUserPagesAll(p, map + 4096, 1, 0);
    int readPfn = read.pfn(0);
    int writtenPfn = written.pfn(0);
    HeldPages reader = new HeldPages(read.pfns(), 0, 4096, List.of(read), List.of(), () -> { });
    try (GpuLease lease = reader.pin(GpuAccess.READ)) {
      assertThat(lease.frames()).containsExactly(readPfn);
    }
    reader.release();
    HeldPages writer = new HeldPages(written.pfns(), 0, 4096, List.of(written), List.of(), () -> { });
    try (GpuLease lease = writer.pin(GpuAccess.WRITE)) {
      m.kernel().dmaFill(lease.frames(), lease.offset(), 4096, 9);
      lease.markDirty();
    }
    assertThat(dirty(writtenPfn)).as("not before the object lets go").isFalse();
    writer.release();
    assertThat(dirty(readPfn)).isFalse();
    assertThat(dirty(writtenPfn)).as("set_page_dirty_lock as the written page is unpinned").isTrue();
    m.checkInvariants();
  }
}
