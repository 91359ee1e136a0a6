package org.userptrlab.core.time;

/** The kinds of call whose latency a run reports: the system calls that invalidate, the faults, the driver's ioctls. */
public enum CallKind {
  MMAP("mmap"),
  MUNMAP("munmap"),
  MREMAP("mremap"),
  /** brk(2): sbrk, and a malloc that grew the heap. */
  BRK("brk"),
  MPROTECT("mprotect"),
  MADVISE("madvise"),
  MLOCK("mlock"),
  FORK("fork"),
  EXEC("exec"),
  EXIT("exit"),
  PAGE_FAULT("page fault"),
  IOCTL("ioctl"),
  OTHER("other");

  private final String label;

  CallKind(String label) {
    this.label = label;
  }

  /** As a report names it. */
  public String label() {
    return label;
  }
}
