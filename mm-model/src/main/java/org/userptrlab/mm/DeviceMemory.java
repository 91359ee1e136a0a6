package org.userptrlab.mm;

/**
 * Memory of a device outside RAM (a PCI BAR, a framebuffer): frames with no struct page, mapped
 * into a process with remap_pfn_range as VM_IO|VM_PFNMAP, which get_user_pages refuses.
 */
public final class DeviceMemory {
  final String name;
  final int basePfn;
  final long[] content;

  DeviceMemory(String name, int basePfn, long bytes) {
    this.name = name;
    this.basePfn = basePfn;
    this.content = new long[(int) Page.pages(bytes)];
  }

  public String name() {
    return name;
  }

  public long size() {
    return (long) content.length << Page.PAGE_SHIFT;
  }

  boolean contains(int pfn) {
    return pfn >= basePfn && pfn - basePfn < content.length;
  }
}
