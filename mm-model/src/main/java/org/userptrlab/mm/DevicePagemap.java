package org.userptrlab.mm;

/**
 * struct dev_pagemap of type MEMORY_DEVICE_PRIVATE: a driver's device memory, registered with
 * memremap_pages ({@link Kernel#memremapPages}). Its pages have a struct page and no CPU address:
 * a process maps one only through a non-present device-private entry, which a CPU access faults on,
 * and the memory manager calls back into the driver for that fault and for the page's last reference.
 */
public final class DevicePagemap {
  /** struct dev_pagemap_ops: what the memory manager asks of the driver that owns the pages. */
  public interface Ops {
    /**
     * page_free (free_zone_device_folio): the last reference to one of the driver's pages went; the
     * page is the driver's to hand out again.
     */
    void pageFree(int pfn);

    /**
     * migrate_to_ram: a CPU access faulted on a device-private entry of this pagemap (do_swap_page);
     * the driver migrates the page, and whatever it chooses around it, back to RAM, as a rule with
     * {@link Kernel#migrateVmaSetup} selecting its own device-private pages and {@link VmFault#page}
     * as the fault page. The access is retried afterwards.
     */
    void migrateToRam(VmFault vmf);
  }

  final Object owner;
  final int firstPfn;
  final int nrPages;
  final Ops ops;

  DevicePagemap(Object owner, int firstPfn, int nrPages, Ops ops) {
    this.owner = owner;
    this.firstPfn = firstPfn;
    this.nrPages = nrPages;
    this.ops = ops;
  }

  /** pgmap->owner: whom hmm_range_fault and migrate_vma_setup compare a caller's owner with. */
  public Object owner() {
    return owner;
  }

  /** The first device-private pfn of the memory; the others follow it. */
  public int firstPfn() {
    return firstPfn;
  }

  public int nrPages() {
    return nrPages;
  }

  public boolean contains(int pfn) {
    return pfn >= firstPfn && pfn - firstPfn < nrPages;
  }
}
