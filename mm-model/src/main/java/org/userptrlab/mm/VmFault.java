package org.userptrlab.mm;

/**
 * struct vm_fault as a device-private page's owner sees it in migrate_to_ram: the process whose
 * CPU access faulted, the address, the device-private page its entry names, and whether the access
 * was a write. Beside them, what no struct vm_fault says and the model knows: the span of the
 * program's access that faulted, [accessStart, accessEnd) (the faulting page's for a single load or
 * store), so that an observer can tell a touch of one page from the first fault of a range's walk.
 */
public record VmFault(Process process, long address, int page, boolean write, long accessStart, long accessEnd) {
  /** A fault of an access of the faulting page alone. */
  public VmFault(Process process, long address, int page, boolean write) {
    this(process, address, page, write, Page.down(address), Page.down(address) + Page.PAGE_SIZE);
  }
}
