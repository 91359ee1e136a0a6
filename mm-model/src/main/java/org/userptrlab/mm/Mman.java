package org.userptrlab.mm;

/** Constants of sys/mman.h and sys/resource.h with the values of the Linux UAPI headers. */
public final class Mman {
  public static final int PROT_NONE = 0;
  public static final int PROT_READ = 1;
  public static final int PROT_WRITE = 2;
  public static final int PROT_EXEC = 4;

  public static final int MAP_SHARED = 0x01;
  public static final int MAP_PRIVATE = 0x02;
  public static final int MAP_FIXED = 0x10;
  public static final int MAP_ANONYMOUS = 0x20;
  public static final int MAP_LOCKED = 0x2000;
  public static final int MAP_POPULATE = 0x8000;
  public static final int MAP_FIXED_NOREPLACE = 0x100000;
  public static final int MAP_NORESERVE = 0x4000;
  /** A mapping of huge pages from a hugetlb pool (hugetlb_file_setup), of the size in bits MAP_HUGE_SHIFT and up. */
  public static final int MAP_HUGETLB = 0x40000;
  public static final int MAP_HUGE_SHIFT = 26;
  public static final int MAP_HUGE_MASK = 0x3f;
  public static final int MAP_HUGE_2MB = 21 << MAP_HUGE_SHIFT;
  public static final int MAP_HUGE_1GB = 30 << MAP_HUGE_SHIFT;
  /** memfd_create(2)'s flags: a hugetlbfs file, of the size in bits MFD_HUGE_SHIFT and up (as MAP_HUGE_*). */
  public static final int MFD_HUGETLB = 4;
  public static final int MFD_HUGE_2MB = MAP_HUGE_2MB;
  public static final int MFD_HUGE_1GB = MAP_HUGE_1GB;

  public static final int MADV_WILLNEED = 3;
  public static final int MADV_DONTNEED = 4;
  public static final int MADV_FREE = 8;
  public static final int MADV_REMOVE = 9;
  public static final int MADV_DONTFORK = 10;
  public static final int MADV_HUGEPAGE = 14;
  public static final int MADV_NOHUGEPAGE = 15;
  public static final int MADV_DOFORK = 11;
  public static final int MADV_WIPEONFORK = 18;
  public static final int MADV_KEEPONFORK = 19;
  public static final int MADV_COLD = 20;
  public static final int MADV_PAGEOUT = 21;
  public static final int MADV_POPULATE_READ = 22;
  public static final int MADV_POPULATE_WRITE = 23;
  public static final int MADV_DONTNEED_LOCKED = 24;
  public static final int MADV_COLLAPSE = 25;

  public static final int MREMAP_MAYMOVE = 1;
  public static final int MREMAP_FIXED = 2;
  public static final int MREMAP_DONTUNMAP = 4;

  public static final int MCL_CURRENT = 1;
  public static final int MCL_FUTURE = 2;
  public static final int MCL_ONFAULT = 4;
  public static final int MLOCK_ONFAULT = 1;

  private Mman() {}
}
