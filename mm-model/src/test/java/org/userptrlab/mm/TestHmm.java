package org.userptrlab.mm;

import java.util.ArrayDeque;

/**
 * A device with device-private memory, as lib/test_hmm.c's dmirror is the kernel's own: it
 * migrates a range of a process into its memory (dmirror_migrate_to_device), takes one page back
 * on a CPU fault (dmirror_devmem_fault), and mirrors with hmm_range_fault under its own owner.
 */
final class TestHmm implements DevicePagemap.Ops {
  static final int PAGE = Page.PAGE_SIZE;

  final Kernel kernel;
  final DevicePagemap pgmap;
  private final ArrayDeque<Integer> free = new ArrayDeque<>();
  int pagesFreed;
  int cpuFaults;

  TestHmm(Machine m, long bytes) {
    this.kernel = m.kernel();
    this.pgmap = kernel.memremapPages(this, bytes, this);
    for (int pfn = pgmap.firstPfn() + pgmap.nrPages() - 1; pfn >= pgmap.firstPfn(); pfn--) {
      free.push(pfn);
    }
  }

  int freePages() {
    return free.size();
  }

  @Override
  public void pageFree(int pfn) {
    pagesFreed++;
    free.push(pfn);
  }

  /** dmirror_devmem_fault: the faulting page alone goes back to RAM. */
  @Override
  public void migrateToRam(VmFault vmf) {
    cpuFaults++;
    MigrateVma a = new MigrateVma(vmf.process(), vmf.address(), vmf.address() + PAGE, MigrateVma.SELECT_DEVICE_PRIVATE, this,
        vmf.page());
    kernel.migrateVmaSetup(a);
    try {
      for (int i = 0; i < a.npages(); i++) {
        int src = MigrateVma.page(a.src[i]);
        if (a.migrating(i) && src >= 0) {
          int dst = kernel.allocMigrationTarget();
          kernel.dmaCopyPages(new int[] {dst}, new int[] {src});
          a.dst[i] = MigrateVma.migratePfn(dst);
        }
      }
      kernel.migrateVmaPages(a);
    } finally {
      kernel.migrateVmaFinalize(a);
    }
  }

  /** dmirror_migrate_to_device: [start, +pages) into device memory; how many pages setup collected. */
  int migrateToDevice(Process p, long start, int pages) {
    MigrateVma a = new MigrateVma(p, start, start + (long) pages * PAGE, MigrateVma.SELECT_SYSTEM, this, -1);
    kernel.migrateVmaSetup(a);
    try {
      for (int i = 0; i < a.npages(); i++) {
        if (!a.migrating(i)) {
          continue;
        }
        int dst = free.pop();
        kernel.zoneDevicePageInit(pgmap, dst);
        int src = MigrateVma.page(a.src[i]);
        if (src >= 0) {
          kernel.dmaCopyPages(new int[] {dst}, new int[] {src});
        }
        a.dst[i] = MigrateVma.migratePfn(dst);
      }
      kernel.migrateVmaPages(a);
    } finally {
      kernel.migrateVmaFinalize(a);
    }
    return a.cpages();
  }

  /** The mirror's fault: hmm_range_fault with this device as the owner. */
  long[] fault(Process p, long start, int pages, boolean write) {
    long flags = HmmRange.HMM_PFN_REQ_FAULT | (write ? HmmRange.HMM_PFN_REQ_WRITE : 0);
    return kernel.hmmRangeFault(new HmmRange(p, start, start + (long) pages * PAGE, flags, this));
  }
}
