package org.userptrlab.mm;

import java.util.BitSet;

/**
 * The contiguous memory allocator (mm/cma.c, alloc_contig_range in mm/page_alloc.c): a driver asks
 * for physically contiguous pages from the CMA region; pages that movable allocations placed
 * there are migrated out of the chosen window first. A page that cannot move (a pinned page)
 * fails the window after the retries; when every window fails, so does the allocation.
 */
final class Cma {
  /** __alloc_contig_migrate_range: how often a page that would not move is tried again. */
  static final int MIGRATE_RETRIES = 5;
  /** CONFIG_CMA_ALIGNMENT: at most order-8 alignment. */
  static final int MAX_ALIGN_PAGES = 256;

  private final MemMap mem;
  private final Gup gup;
  private final Migrate migrate;
  private final VmStat vmstat;
  private final BitSet allocated = new BitSet();

  Cma(MemMap mem, Gup gup, Migrate migrate, VmStat vmstat) {
    this.mem = mem;
    this.gup = gup;
    this.migrate = migrate;
    this.vmstat = vmstat;
  }

  int regionPages() {
    return mem.normalEnd - mem.cmaStart;
  }

  /** cma_alloc: the first pfn of {@code count} contiguous frames, now owned by the caller. */
  PageRefs alloc(int count) {
    if (count <= 0 || count > regionPages()) {
      throw MmException.of(Errno.EINVAL, "cma_alloc: %d pages asked of a CMA region of %d pages", count, regionPages());
    }
    int align = Math.min(Integer.highestOneBit(count - 1) << 1, MAX_ALIGN_PAGES);
    align = Math.max(align, 1);
    String lastFailure = "no window of " + count + " pages is left unallocated in the region";
    for (int offset = 0; offset + count <= regionPages(); offset += align) {
      if (allocated.nextSetBit(offset) >= 0 && allocated.nextSetBit(offset) < offset + count) {
        continue;
      }
      String failure = allocContigRange(mem.cmaStart + offset, count);
      if (failure == null) {
        allocated.set(offset, offset + count);
        vmstat.count(VmEvent.CMA_ALLOC_SUCCESS);
        int[] pfns = new int[count];
        for (int i = 0; i < count; i++) {
          pfns[i] = mem.cmaStart + offset + i;
        }
        PageRefs refs = gup.hold(pfns, false, false);
        refs.cmaOffset = offset;
        return refs;
      }
      lastFailure = failure;
    }
    vmstat.count(VmEvent.CMA_ALLOC_FAIL);
    throw MmException.of(Errno.ENOMEM, "cma_alloc of %d pages failed: %s", count, lastFailure);
  }

  void released(PageRefs refs) {
    allocated.clear(refs.cmaOffset, refs.cmaOffset + refs.size());
  }

  /**
   * alloc_contig_range over [start, start + count): isolate the free frames, migrate the movable
   * ones out (each retried), and on any failure give back what was isolated. Null on success,
   * else why the window failed.
   */
  private String allocContigRange(int start, int count) {
    int taken = 0;
    String failure = null;
    for (int pfn = start; pfn < start + count && failure == null; pfn++) {
      if (!mem.isFree(pfn)) {
        failure = evacuate(pfn);
      }
      if (failure == null) {
        mem.take(pfn);
        taken++;
      }
    }
    if (failure != null) {
      for (int pfn = start; pfn < start + taken; pfn++) {
        mem.freePage(pfn);
      }
    }
    return failure;
  }

  private String evacuate(int pfn) {
    MmException last = null;
    for (int attempt = 0; attempt < MIGRATE_RETRIES; attempt++) {
      try {
        migrate.migratePage(pfn, Gfp.USER_NO_MOVABLE);
        return null;
      } catch (MmException e) {
        last = e;
        if (e.errno() != Errno.EAGAIN) {
          break;
        }
      }
    }
    return "pfn " + pfn + " would not move: " + last.getMessage();
  }
}
