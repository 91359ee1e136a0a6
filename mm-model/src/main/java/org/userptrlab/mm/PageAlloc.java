package org.userptrlab.mm;

import java.util.function.IntConsumer;

/**
 * The page allocator as the mm code sees it (mm/page_alloc.c and put_page): a user page comes
 * from the free lists, after direct reclaim if none is free; the last reference frees it.
 */
final class PageAlloc {
  /** Rounds of direct reclaim before an allocation gives up. */
  private static final int RECLAIM_ROUNDS = 4;
  private static final int RECLAIM_BATCH = 32;

  private final MemMap mem;
  private final Content content;
  private final VmStat vmstat;
  private final IntConsumer directReclaim;
  private final IntConsumer mlockedFreed;
  /** Called with the head of a large folio about to be freed (it leaves the deferred split queue). */
  private final IntConsumer folioFreed;
  /** free_huge_folio: takes a hugetlb page whose last reference went back into its pool. */
  private final IntConsumer hugetlbFreed;
  /** free_zone_device_folio: a device-private page whose last reference went back to its driver. */
  private final IntConsumer devicePrivateFreed;
  /** Told when a user page allocation fails after reclaim (the OOM killer's moment). */
  private final Runnable outOfMemory;

  PageAlloc(MemMap mem, Content content, VmStat vmstat, IntConsumer directReclaim, IntConsumer mlockedFreed,
      IntConsumer folioFreed, IntConsumer hugetlbFreed, IntConsumer devicePrivateFreed, Runnable outOfMemory) {
    this.mem = mem;
    this.content = content;
    this.vmstat = vmstat;
    this.directReclaim = directReclaim;
    this.mlockedFreed = mlockedFreed;
    this.folioFreed = folioFreed;
    this.hugetlbFreed = hugetlbFreed;
    this.devicePrivateFreed = devicePrivateFreed;
    this.outOfMemory = outOfMemory;
  }

  /** alloc_pages for a user page; when nothing is free, reclaim first (__alloc_pages_slowpath), then fail as the OOM killer's victim would. */
  int allocUserPage(Gfp gfp) {
    int pfn = mem.allocPage(gfp);
    for (int round = 0; pfn == MemMap.NONE && round < RECLAIM_ROUNDS; round++) {
      directReclaim.accept(RECLAIM_BATCH);
      pfn = mem.allocPage(gfp);
    }
    if (pfn == MemMap.NONE) {
      outOfMemory.run();
      throw MmException.of(Errno.ENOMEM, "out of memory: no free page for a %s allocation (%d of %d frames free); "
          + "the machine needs more RAM or swap for this scenario", gfp, mem.freePages(), mem.nrFrames);
    }
    vmstat.count(VmEvent.PGALLOC);
    if (mem.lastPageWarm) {
      vmstat.count(VmEvent.PGALLOC_WARM);
    }
    return pfn;
  }

  /**
   * The zeroed page of an anonymous write fault (do_anonymous_page, or wp_page_copy of the zero page): a user page,
   * and where the machine's run follows another, one of the frames the other freed while they last
   * ({@link VmEvent#PGALLOC_RECENT}).
   */
  int allocAnonPage() {
    int pfn = allocUserPage(Gfp.HIGHUSER_MOVABLE);
    if (!mem.lastPageWarm && mem.takeRecent()) {
      vmstat.count(VmEvent.PGALLOC_RECENT);
    }
    return pfn;
  }

  /**
   * vma_alloc_folio for a large folio of {@code order}: no reclaim and no compaction (the THP
   * defaults, GFP_TRANSHUGE_LIGHT), so the fault falls back to small pages when no aligned block
   * is free; the head's pfn, or {@link MemMap#NONE}.
   */
  int allocUserFolio(int order, Gfp gfp) {
    int head = mem.allocFolio(order, gfp);
    if (head != MemMap.NONE) {
      vmstat.count(VmEvent.PGALLOC, 1L << order);
    }
    return head;
  }

  /** put_page: drop a reference to the page's folio; the last one frees every frame of it. */
  void putPage(int pfn) {
    int head = mem.folio(pfn);
    int r = --mem.refcount[head];
    if (r == 0) {
      freeFolio(head);
    } else if (r < 0) {
      throw new IllegalStateException("refcount of pfn " + head + " went negative: a reference was put twice");
    }
  }

  /** {@link #putPage} of a page that is a small folio. */
  void putSmallPage(int pfn) {
    int r = --mem.refcount[pfn];
    if (r == 0) {
      freeSmallFolio(pfn);
    } else if (r < 0) {
      throw new IllegalStateException("refcount of pfn " + pfn + " went negative: a reference was put twice");
    }
  }

  /** free_unref_folios: every frame of the folio back to the free lists. */
  private void freeFolio(int head) {
    if ((mem.flags[head] & PageFlags.PG_HUGETLB) != 0) {
      hugetlbFreed.accept(head);
      return;
    }
    if (mem.folioLarge(head)) {
      if (mem.pageMlocked(head)) {
        mlockedFreed.accept(head);
      }
      freeLargeFolio(head);
      return;
    }
    freeSmallFolio(head);
  }

  private void freeSmallFolio(int pfn) {
    if (pfn >= mem.nrFrames) {
      devicePrivateFreed.accept(pfn);
      return;
    }
    if ((mem.flags[pfn] & PageFlags.PG_MLOCKED) != 0) {
      mlockedFreed.accept(pfn);
    }
    content.release(mem.content[pfn]);
    mem.freePage(pfn);
    vmstat.count(VmEvent.PGFREE);
  }

  private void freeLargeFolio(int head) {
    int nr = mem.folioNrPages(head);
    folioFreed.accept(head);
    for (int p = head; p < head + nr; p++) {
      content.release(mem.content[p]);
      mem.freePage(p);
    }
    vmstat.count(VmEvent.PGFREE, nr);
  }

  /** alloc_pages(GFP_KERNEL), {@code nrPages} times: unmovable frames outside CMA and ZONE_MOVABLE, or ENOMEM with none taken. */
  int[] allocKernelPages(int nrPages) {
    if (mem.freePages(MemMap.AREA_NORMAL) < nrPages) {
      throw MmException.of(Errno.ENOMEM, "alloc_pages(GFP_KERNEL): %d pages asked, %d free outside CMA and ZONE_MOVABLE",
          nrPages, mem.freePages(MemMap.AREA_NORMAL));
    }
    int[] pfns = new int[nrPages];
    for (int i = 0; i < nrPages; i++) {
      pfns[i] = mem.allocPage(Gfp.KERNEL);
      vmstat.count(VmEvent.PGALLOC);
    }
    return pfns;
  }

  /** alloc_contig_pages in ZONE_NORMAL: the lowest free run of {@code nrPages} frames, or ENOMEM. */
  int[] allocContigPages(int nrPages) {
    int first = mem.allocContigFree(MemMap.AREA_NORMAL, nrPages);
    if (first == MemMap.NONE) {
      throw MmException.of(Errno.ENOMEM, "alloc_contig_pages: no run of %d free frames in ZONE_NORMAL outside CMA", nrPages);
    }
    int[] pfns = new int[nrPages];
    for (int i = 0; i < nrPages; i++) {
      pfns[i] = first + i;
    }
    vmstat.count(VmEvent.PGALLOC, nrPages);
    return pfns;
  }
}
