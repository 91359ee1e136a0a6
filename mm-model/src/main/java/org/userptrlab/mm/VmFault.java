package org.userptrlab.mm;

/**
 * struct vm_fault as a device-private page's owner sees it in migrate_to_ram: the process whose
 * CPU access faulted, the address, the device-private page its entry names, and whether the access
 * was a write.
 */
public record VmFault(Process process, long address, int page, boolean write) {}
