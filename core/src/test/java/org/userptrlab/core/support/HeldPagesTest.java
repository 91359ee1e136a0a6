package org.userptrlab.core.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.spi.GpuAccess;
import org.userptrlab.core.spi.GpuLease;
import org.userptrlab.core.spi.ImportNote;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.PageRefs;

/** An object over held frames: a GPU job sees the range where the import put it, and release gives every reference back. */
class HeldPagesTest {
  private final Machine m = new Machine(MachineConfig.builder().ram(8L << 20).kernel(KernelConfig.LINUX_6_12).build());

  @Test
  void aJobSeesTheFramesAtTheImportsOffsetAndReleaseGivesEveryReferenceBack() {
    PageRefs read = m.kernel().allocPages(2);
    boolean[] unlocked = {false};
    HeldPages quiet = new HeldPages(read.pfns(), 100, 8000, List.of(read), List.of(), () -> unlocked[0] = true);
    assertThat(quiet.size()).isEqualTo(8000);
    try (GpuLease lease = quiet.pin(GpuAccess.READ)) {
      assertThat(lease.frames()).containsExactly(read.pfns());
      assertThat(lease.offset()).isEqualTo(100);
    }
    int pfn = read.pfn(0);
    quiet.release();
    assertThat(read.released()).isTrue();
    assertThat(unlocked[0]).as("the strategy's own release step runs").isTrue();
    assertThat(m.page(pfn).flags()).as("the frame went back to the allocator").contains("buddy");

    org.userptrlab.mm.Process p = m.spawn("p");
    org.userptrlab.mm.MemFile file = m.createFile("f", 4096);
    long buf = p.mmap(0, 4096, org.userptrlab.mm.Mman.PROT_READ | org.userptrlab.mm.Mman.PROT_WRITE,
        org.userptrlab.mm.Mman.MAP_SHARED, file, 0);
    PageRefs written = m.kernel().getUserPagesAll(p, buf, 1, org.userptrlab.mm.Foll.FOLL_WRITE);
    HeldPages busy = new HeldPages(written.pfns(), 0, 4096, List.of(written),
        List.of(new ImportNote(ImportNote.Kind.STOLE_PAGES, "stole 1 pages")), () -> { });
    assertThat(busy.notes()).extracting(ImportNote::detail).containsExactly("stole 1 pages");
    try (GpuLease lease = busy.pin(GpuAccess.WRITE)) {
      m.kernel().dmaFill(lease.frames(), lease.offset(), 4096, 3);
      lease.markDirty();
    }
    busy.release();
    assertThat(written.released()).isTrue();
    m.checkInvariants();
  }
}
