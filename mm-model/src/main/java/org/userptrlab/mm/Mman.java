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
