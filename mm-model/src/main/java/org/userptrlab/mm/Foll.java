package org.userptrlab.mm;

/** gup_flags of include/linux/mm_types.h (enum with the modern values). */
public final class Foll {
  /** Check the PTE is writable, breaking COW first if it is not. */
  public static final int FOLL_WRITE = 1;
  /** Take a plain reference (get_user_pages). */
  public static final int FOLL_GET = 1 << 1;
  /** Ignore the VMA's protection (ptrace, /proc/PID/mem). */
  public static final int FOLL_FORCE = 1 << 3;
  /** The pages will be held for an indefinite time (RDMA, VFIO, io_uring fixed buffers). */
  public static final int FOLL_LONGTERM = 1 << 8;
  /** Take a DMA pin (pin_user_pages): counted by GUP_PIN_COUNTING_BIAS. Internal to mm/gup.c in the kernel. */
  public static final int FOLL_PIN = 1 << 12;

  private Foll() {}
}
