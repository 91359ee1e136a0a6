package org.userptrlab.mm;

/**
 * The kernel whose answers the machine gives. The kernel changed exactly the behaviours the 2012
 * userptr thread worried about; each difference is one field here, read where the behaviour is
 * modelled, so that the same scenario can be run against 2012 and today side by side.
 */
public enum KernelEra {
  /**
   * Linux 3.4 (May 2012), the kernel of the dri-devel thread. do_wp_page reuses an anonymous page
   * whenever it is mapped once (reuse_swap_page), whatever other references exist; fork shares
   * every anonymous page, pinned or not; there is no FOLL_PIN or FOLL_LONGTERM; reclaim unmaps a
   * page that get_user_pages holds. Movable allocations fall back to CMA only when other movable
   * free memory is exhausted (the 3.5 fallback order).
   */
  LINUX_3_4("3.4", CowReuse.MAPCOUNT, false, false, false, CmaPolicy.FALLBACK, 64L << 10),

  /**
   * A modern kernel (6.x): PageAnonExclusive decides COW reuse (5.19, "mm: anonymous memory
   * exclusive"); fork copies a maybe-DMA-pinned exclusive anonymous page for the child at once
   * (5.9, 70e806e4e645 "mm: Do early cow for pinned pages during fork() for ptes");
   * FOLL_LONGTERM migrates pages out of CMA (5.2) and ZONE_MOVABLE (5.13) before pinning
   * (check_and_migrate_movable_pages); try_to_unmap refuses maybe-pinned exclusive pages;
   * movable allocations take CMA pages while CMA holds more than half of the zone's free memory
   * (__rmqueue, since 2020); the default RLIMIT_MEMLOCK is 8 MiB (5.16) rather than 64 KiB.
   */
  LINUX_6_12("6.12", CowReuse.ANON_EXCLUSIVE, true, true, true, CmaPolicy.BALANCED, 8L << 20);

  /** How do_wp_page decides that a write to a write-protected anonymous page may reuse it. */
  public enum CowReuse {
    /** 3.4: reuse_swap_page(page), i.e. page_mapcount(page) == 1. */
    MAPCOUNT,
    /** 5.19+: PageAnonExclusive, or wp_can_reuse_anon_folio's refcount == 1, which then sets it. */
    ANON_EXCLUSIVE
  }

  /** Where movable allocations find free pages relative to the CMA region. */
  public enum CmaPolicy {
    /** Use CMA pageblocks only once the other movable pageblocks are empty. */
    FALLBACK,
    /** Prefer CMA pageblocks while they hold more than half of the free pages. */
    BALANCED
  }

  private final String release;
  private final CowReuse cowReuse;
  private final boolean forkCopiesPinnedAnon;
  private final boolean longtermMigratesMovable;
  private final boolean reclaimSkipsPinned;
  private final CmaPolicy cmaPolicy;
  private final long defaultMemlockLimit;
  private final int majorVersion;
  private final int minorVersion;

  KernelEra(String release, CowReuse cowReuse, boolean forkCopiesPinnedAnon,
      boolean longtermMigratesMovable, boolean reclaimSkipsPinned, CmaPolicy cmaPolicy, long defaultMemlockLimit) {
    this.release = release;
    this.cowReuse = cowReuse;
    this.forkCopiesPinnedAnon = forkCopiesPinnedAnon;
    this.longtermMigratesMovable = longtermMigratesMovable;
    this.reclaimSkipsPinned = reclaimSkipsPinned;
    this.cmaPolicy = cmaPolicy;
    this.defaultMemlockLimit = defaultMemlockLimit;
    String[] v = release.split("\\.");
    this.majorVersion = Integer.parseInt(v[0]);
    this.minorVersion = Integer.parseInt(v[1]);
  }

  public String release() {
    return release;
  }

  public CowReuse cowReuse() {
    return cowReuse;
  }

  /**
   * Whether FOLL_PIN exists (5.6+): pins are counted apart from references and
   * folio_maybe_dma_pinned can be asked; and a pin of a shared anonymous page first unshares it
   * (gup_must_unshare, 5.19+). On 3.4 a pin is a plain get_user_pages reference.
   */
  public boolean hasFollPin() {
    return cowReuse == CowReuse.ANON_EXCLUSIVE;
  }

  /** mm/memory.c: copy_present_pte gives the child its own copy of a maybe-pinned anonymous page. */
  public boolean forkCopiesPinnedAnon() {
    return forkCopiesPinnedAnon;
  }

  /** mm/gup.c: check_and_migrate_movable_pages runs before a FOLL_LONGTERM pin. */
  public boolean longtermMigratesMovable() {
    return longtermMigratesMovable;
  }

  /** mm/rmap.c: try_to_unmap_one backs off from maybe-pinned exclusive anonymous pages. */
  public boolean reclaimSkipsPinned() {
    return reclaimSkipsPinned;
  }

  public CmaPolicy cmaPolicy() {
    return cmaPolicy;
  }

  /** mlock2(2) and MLOCK_ONFAULT / MCL_ONFAULT came with Linux 4.4; before, mlock2 is ENOSYS. */
  public boolean hasMlock2() {
    return atLeast(4, 4);
  }

  /** MADV_WIPEONFORK and MADV_KEEPONFORK came with Linux 4.14; before, madvise refuses them (EINVAL). */
  public boolean hasWipeOnFork() {
    return atLeast(4, 14);
  }

  private boolean atLeast(int major, int minor) {
    return majorVersion > major || majorVersion == major && minorVersion >= minor;
  }

  /** include/uapi/linux/resource.h: MLOCK_LIMIT, the RLIMIT_MEMLOCK a process starts with. */
  public long defaultMemlockLimit() {
    return defaultMemlockLimit;
  }
}
