package org.userptrlab.strategy.svm;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.Consumer;
import org.userptrlab.core.spi.ImportNote;
import org.userptrlab.mm.DevicePagemap;
import org.userptrlab.mm.Kernel;
import org.userptrlab.mm.MigrateVma;
import org.userptrlab.mm.MmException;
import org.userptrlab.mm.Process;
import org.userptrlab.mm.Vma;
import org.userptrlab.mm.VmFault;

/**
 * The GPU's memory as drm_pagemap and the driver's allocator see it: the machine's device-private
 * memory registered once (memremap_pages, the GPU as owner), handed out an allocation per range
 * migrated (a VRAM buffer object of the range's size, xe_svm_alloc_vram), and given back page by page
 * as the memory manager frees them (page_free). A CPU fault on one page brings the whole allocation
 * back (drm_pagemap_migrate_to_ram); when memory runs short the oldest allocations are evicted to RAM
 * (drm_pagemap_evict_to_ram, by device pfn).
 */
final class Vram implements DevicePagemap.Ops {
  /** An allocation: a range's device pages, where the range lay, and whom to tell what happened to it. */
  static final class Allocation {
    final long start;
    final long size;
    final int[] pfns;
    final Consumer<ImportNote> notes;
    int live;
    /** Whether eviction made room with it (drm_pagemap_evict_to_ram), rather than the CPU taking it back. */
    boolean evicted;

    Allocation(long start, long size, int[] pfns, Consumer<ImportNote> notes) {
      this.start = start;
      this.size = size;
      this.pfns = pfns;
      this.notes = notes;
    }
  }

  private final Kernel kernel;
  private final long bytes;
  private DevicePagemap pgmap;
  private int[] free;
  private int nFree;
  /** The allocation each device page belongs to (zone_device_data), by pfn less the first. */
  private Allocation[] allocOf;
  /** Allocations with pages in device memory, oldest first: eviction's order (TTM's LRU). */
  private final ArrayDeque<Allocation> lru = new ArrayDeque<>();
  /** Whether the driver's own hmm_range_fault is evicting what a partial munmap left (the garbage collector), not a CPU access. */
  private boolean collecting;

  Vram(Kernel kernel, long bytes) {
    this.kernel = kernel;
    this.bytes = bytes;
  }

  /** Whether the GPU has device memory on this machine and kernel (a discrete one; an integrated GPU has none). */
  boolean present() {
    return bytes > 0;
  }

  /** The owner the GPU passes as dev_private_owner and pgmap_owner (xe_svm_devm_owner: the device). */
  Object owner() {
    return this;
  }

  DevicePagemap pagemap() {
    if (pgmap == null) {
      pgmap = kernel.memremapPages(this, bytes, this);
      free = new int[pgmap.nrPages()];
      for (int i = 0; i < free.length; i++) {
        free[i] = pgmap.firstPfn() + free.length - 1 - i;
      }
      nFree = free.length;
      allocOf = new Allocation[free.length];
    }
    return pgmap;
  }

  /**
   * A VRAM allocation of {@code pages} for the range at {@code start}: the oldest allocations are
   * evicted to make room; null when even then there is not enough (the fault maps system pages).
   */
  Allocation allocate(long start, int pages, Consumer<ImportNote> notes) {
    pagemap();
    for (Allocation old : new java.util.ArrayList<>(lru)) {
      if (nFree >= pages) {
        break;
      }
      evict(old);
    }
    if (nFree < pages) {
      return null;
    }
    Allocation a = new Allocation(start, (long) pages << 12, Arrays.copyOfRange(free, nFree - pages, nFree), notes);
    nFree -= pages;
    for (int pfn : a.pfns) {
      allocOf[pfn - pgmap.firstPfn()] = a;
    }
    return a;
  }

  /** The pages of an allocation its migration did not take (all of them, for one given up): free again. */
  void unused(Allocation a, int pfn) {
    allocOf[pfn - pgmap.firstPfn()] = null;
    free[nFree++] = pfn;
  }

  /** The migration took the allocation's pages: it is in device memory now, the newest. */
  void used(Allocation a, int pages) {
    a.live = pages;
    if (pages > 0) {
      lru.addLast(a);
    }
  }

  @Override
  public void pageFree(int pfn) {
    Allocation a = allocOf[pfn - pgmap.firstPfn()];
    allocOf[pfn - pgmap.firstPfn()] = null;
    free[nFree++] = pfn;
    if (a != null && --a.live == 0) {
      lru.remove(a);
    }
  }

  /**
   * drm_pagemap_migrate_to_ram: the whole allocation the faulting page belongs to, within its VMA,
   * comes back to RAM; only its own pages get destinations (drm_pagemap_migrate_populate_ram_pfn).
   */
  @Override
  public void migrateToRam(VmFault vmf) {
    Allocation a = allocOf[vmf.page() - pgmap.firstPfn()];
    if (a == null) {
      throw new IllegalStateException("device page " + vmf.page() + " belongs to no allocation of this GPU");
    }
    Process p = vmf.process();
    Vma v = p.vma(vmf.address());
    long start = Math.max(vmf.address() & -a.size, v.start());
    long end = Math.min(((vmf.address() + 1) + a.size - 1) & -a.size, v.end());
    int moved = toRam(new MigrateVma(p, start, end, MigrateVma.SELECT_DEVICE_PRIVATE, owner(), vmf.page()), a);
    // A CPU access whose span covers what came back needed all of it (a fill of the whole buffer): no page was pulled in vain.
    boolean needed = !collecting && vmf.accessStart() <= start && end <= vmf.accessEnd();
    if (moved > 1 && !needed) {
      String who = collecting ? "the garbage collector's hmm_range_fault after a partial munmap"
          : "a CPU " + (vmf.write() ? "write" : "read");
      a.notes.accept(new ImportNote(ImportNote.Kind.CHUNK_PULLED_BACK, String.format("%s at 0x%x moved %d pages (%d KiB) "
          + "back from device memory: drm_pagemap_migrate_to_ram takes the faulting page's whole allocation",
          who, vmf.address(), moved, moved * 4)));
    }
  }

  /** Runs the garbage collector's eviction of a range's remains: the faults it takes there are the driver's, not the CPU's. */
  void collecting(Runnable evict) {
    collecting = true;
    try {
      evict.run();
    } finally {
      collecting = false;
    }
  }

  /** The pages of {@code a} that the migration collected, moved to RAM; how many. */
  private int toRam(MigrateVma m, Allocation a) {
    kernel.migrateVmaSetup(m);
    int moved = 0;
    try {
      for (int i = 0; i < m.npages(); i++) {
        int src = MigrateVma.page(m.src[i]);
        if (m.migrating(i) && src >= 0 && allocOf[src - pgmap.firstPfn()] == a) {
          m.dst[i] = MigrateVma.migratePfn(copyToRam(src));
          moved++;
        }
      }
      kernel.migrateVmaPages(m);
    } finally {
      kernel.migrateVmaFinalize(m);
    }
    return moved;
  }

  private int copyToRam(int src) {
    int dst = kernel.allocMigrationTarget();
    kernel.dmaCopyPages(new int[] {dst}, new int[] {src});
    return dst;
  }

  /** drm_pagemap_evict_to_ram: every page of the allocation still in device memory goes back to RAM, whoever maps it. */
  void evict(Allocation a) {
    a.evicted = true;
    for (int pfn : a.pfns) {
      if (allocOf[pfn - pgmap.firstPfn()] != a) {
        continue;
      }
      long[] src = kernel.migrateDeviceRange(pfn, 1);
      long[] dst = new long[1];
      if ((src[0] & MigrateVma.MIGRATE_PFN_MIGRATE) != 0) {
        try {
          dst[0] = MigrateVma.migratePfn(copyToRam(pfn));
        } catch (MmException e) {
          dst[0] = 0;
        }
      }
      kernel.migrateDevicePages(src, dst);
      kernel.migrateDeviceFinalize(src, dst);
    }
    // A page someone holds stays (migrate_device_range leaves it): the allocation is evicted again next time.
  }

  /** Device pages of allocations made for {@code notes}' object that are still in use. */
  int livePages(Consumer<ImportNote> notes) {
    int n = 0;
    for (Allocation a : lru) {
      n += a.notes == notes ? a.live : 0;
    }
    return n;
  }
}
