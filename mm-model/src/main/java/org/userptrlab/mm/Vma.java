package org.userptrlab.mm;

import java.util.ArrayList;
import java.util.List;

/**
 * A virtual memory area, vm_area_struct: [start, end) of one process with one set of flags and
 * one backing (anonymous, a file, or device memory). Read-only to users of the model; the memory
 * manager splits and merges it.
 */
public final class Vma {
  final Mm mm;
  long start;
  long end;
  int flags;
  /**
   * A copy dup_mmap made: fork copies VMAs one for one (dropping VM_LOCKED) and never merges, so
   * such a copy may match its neighbour until a later change runs vma_merge on it.
   */
  boolean forkCopy;
  /** The anon_vma new anonymous pages go into (null until the first anonymous fault: anon_vma_prepare). */
  AnonVma anonVma;
  /** anon_vma_chain: this VMA's anon_vma and those of its ancestors, all of which list this VMA. */
  final List<AnonVma> chain = new ArrayList<>(1);
  final MemFile file;
  final DeviceMemory device;
  /** vm_pgoff: the file page (or device pfn offset) at {@link #start}. */
  long pgoff;
  String name;
  /** A private hugetlb mapping's reservations, for its owner (the process that made it); null otherwise. */
  Hugetlb.ResvMap hugetlbResv;

  Vma(Mm mm, long start, long end, int flags, MemFile file, DeviceMemory device, long pgoff, String name) {
    this.mm = mm;
    this.start = start;
    this.end = end;
    this.flags = flags;
    this.file = file;
    this.device = device;
    this.pgoff = pgoff;
    this.name = name;
  }

  public long start() {
    return start;
  }

  public long end() {
    return end;
  }

  public long size() {
    return end - start;
  }

  public int flags() {
    return flags;
  }

  public boolean has(int flag) {
    return (flags & flag) != 0;
  }

  public boolean isAnonymous() {
    return file == null && device == null;
  }

  /** The file behind the mapping, null for anonymous and device memory. */
  public MemFile file() {
    return file;
  }

  public String name() {
    return name;
  }

  long startVpn() {
    return start >>> Page.PAGE_SHIFT;
  }

  long endVpn() {
    return end >>> Page.PAGE_SHIFT;
  }

  long pages() {
    return (end - start) >>> Page.PAGE_SHIFT;
  }

  boolean contains(long addr) {
    return addr >= start && addr < end;
  }

  /**
   * linear_page_index: the file page mapped at {@code vpn}, or for anonymous memory the page index
   * its anon_vma knows it by (vm_pgoff is where the VMA was first made, and stays with its pages
   * when mremap moves them).
   */
  long filePage(long vpn) {
    return vpn - startVpn() + pgoff;
  }

  @Override
  public String toString() {
    String backing = file != null ? " " + file : device != null ? " dev:" + device.name : name != null ? " " + name : "";
    return String.format("%012x-%012x %c%c%c%c %s%s", start, end,
        has(VmFlags.VM_READ) ? 'r' : '-', has(VmFlags.VM_WRITE) ? 'w' : '-', has(VmFlags.VM_EXEC) ? 'x' : '-',
        has(VmFlags.VM_SHARED) ? 's' : 'p', VmFlags.describe(flags), backing);
  }
}
