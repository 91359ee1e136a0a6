package org.userptrlab.mm;

import java.util.Arrays;

/**
 * The frames of physical memory and the page allocator, as mem_map and mm/page_alloc.c: one slot
 * per pfn in each of six primitive arrays, 24 bytes a frame in all (the kernel's struct page is 64).
 *
 * <pre>
 * refcount  int    page_ref_count: mappings + gets + GUP_PIN_COUNTING_BIAS per FOLL_PIN + caches
 * mapcount  short  page_mapcount: how many PTEs map the frame
 * flags     short  {@link PageFlags}
 * content   long   {@link Content} token
 * mapping   int    in use: anon_vma or file id (0 none); free: previous frame on the free list
 * index     int    in use: page offset in the anon_vma or file; free: next frame on the free list
 * </pre>
 *
 * Free frames are linked through mapping/index, as the buddy allocator links free pages through
 * the fields a page in use would need. There are three free lists: ZONE_NORMAL outside CMA, the
 * CMA pageblocks at the top of ZONE_NORMAL, and ZONE_MOVABLE at the top of memory. Frame 0 is the
 * shared zero page. The zone of a frame follows from its pfn, as the kernel's zone spans do.
 *
 * <p>Above RAM lie the struct pages of the device-private memory a GPU's driver registers
 * (memremap_pages, MEMORY_DEVICE_PRIVATE), pfns [nrFrames, devicePrivateEnd): never on a free list
 * or an LRU, handed out by their driver and given back to it (free_zone_device_folio). A free one is
 * marked PG_buddy as a free frame of RAM is, so that every "is this page anyone's" test holds for both.
 *
 * <p>As deferred_init_memmap defers the struct pages of a large machine, the frames of an area that
 * have never been handed out are not linked at boot: they lie above the area's cursor, free, and
 * come after every linked frame in allocation order. So a machine costs time in proportion to the
 * memory its programs touch, not to its size, and hands out frames in the same order as if every
 * frame had been linked at boot, lowest pfn first.
 */
final class MemMap {
  /** mm.h: GUP_PIN_COUNTING_BIAS, added to the refcount per FOLL_PIN of a small folio. */
  static final int GUP_PIN_COUNTING_BIAS = 1024;
  static final int ZERO_PFN = 0;
  static final int NONE = -1;

  static final int AREA_NORMAL = 0;
  static final int AREA_CMA = 1;
  static final int AREA_MOVABLE = 2;

  final int nrFrames;
  /** One past the last device-private pfn: RAM's frames, then the device's. */
  final int devicePrivateEnd;
  /** The highest device-private pfn ever handed out, plus one: a recycled map resets the device's pages below it. */
  int deviceTouchedEnd;
  final int cmaStart;
  final int normalEnd;

  /** The head of the huge zero page (huge_zero_folio) once a read fault first needed it, else {@link #NONE}. */
  int hugeZeroHead = NONE;

  final int[] refcount;
  final short[] mapcount;
  final short[] flags;
  final long[] content;
  final int[] mapping;
  final int[] index;

  private final int[] head = {NONE, NONE, NONE};
  private final int[] tail = {NONE, NONE, NONE};
  private final int[] free = new int[3];
  /** Per area: the lowest frame never handed out; every frame from it to the area's end is free and unlinked. */
  private final int[] untouched = new int[3];
  private final int[] areaEnd = new int[3];
  private final KernelConfig.CmaPolicy cmaPolicy;

  /** How many sizes are kept. */
  private static final int RETIRED_SIZES = 4;
  /**
   * The memory maps of the last few machines retired on this thread, one per size: the next machine
   * of a size takes its arrays and resets only the frames it touched, so that booting a machine for
   * each run costs what the last run of that size touched, not the machine's size. An explorer's
   * programs come in a few sizes, one after another.
   */
  private static final ThreadLocal<MemMap[]> RETIRED = ThreadLocal.withInitial(() -> new MemMap[RETIRED_SIZES]);
  /** A map of more frames than this (a 4 GiB machine) is kept alone: the arrays of several large machines are too much to hold idle. */
  private static final int RETIRED_LARGE = 1 << 20;

  /** The memory map of a freshly booted machine, made of a retired one's arrays when this thread has one of its size. */
  static MemMap boot(MachineConfig config) {
    MemMap[] retired = RETIRED.get();
    int frames = (int) (config.ramBytes() >>> Page.PAGE_SHIFT);
    int end = frames + (int) (config.devicePrivateBytes() >>> Page.PAGE_SHIFT);
    MemMap old = null;
    for (int i = 0; i < retired.length; i++) {
      if (retired[i] != null && retired[i].nrFrames == frames && retired[i].devicePrivateEnd == end) {
        old = retired[i];
        retired[i] = null;
        break;
      }
    }
    return new MemMap(config, old);
  }

  /** Gives the arrays to the next machine of the same size booted on this thread; this map must not be used again. */
  void retire() {
    MemMap[] retired = RETIRED.get();
    if (nrFrames > RETIRED_LARGE) {
      Arrays.fill(retired, null);
      retired[0] = this;
      return;
    }
    // The oldest goes, and a large one with it: the others stay in the order they were retired.
    int keep = 0;
    for (MemMap r : retired) {
      if (r != null && (r.nrFrames != nrFrames || r.devicePrivateEnd != devicePrivateEnd) && r.nrFrames <= RETIRED_LARGE) {
        retired[keep++] = r;
      }
    }
    if (keep == retired.length) {
      System.arraycopy(retired, 1, retired, 0, --keep);
    }
    retired[keep++] = this;
    Arrays.fill(retired, keep, retired.length, null);
  }

  MemMap(MachineConfig config) {
    this(config, null);
  }

  private MemMap(MachineConfig config, MemMap recycled) {
    nrFrames = (int) (config.ramBytes() >>> Page.PAGE_SHIFT);
    devicePrivateEnd = nrFrames + (int) (config.devicePrivateBytes() >>> Page.PAGE_SHIFT);
    normalEnd = nrFrames - (int) (config.movableBytes() >>> Page.PAGE_SHIFT);
    cmaStart = normalEnd - (int) (config.cmaBytes() >>> Page.PAGE_SHIFT);
    cmaPolicy = config.kernel().cmaPolicy();
    recentFrames = (int) (config.recentlyFreedBytes() >>> Page.PAGE_SHIFT);
    if (recycled == null) {
      refcount = new int[devicePrivateEnd];
      mapcount = new short[devicePrivateEnd];
      flags = new short[devicePrivateEnd];
      content = new long[devicePrivateEnd];
      mapping = new int[devicePrivateEnd];
      index = new int[devicePrivateEnd];
      // memmap_init_range: every frame but the zero page free; none linked yet (deferred). The device's too.
      fill(flags, ZERO_PFN + 1, devicePrivateEnd, PageFlags.PG_BUDDY);
    } else {
      refcount = recycled.refcount;
      mapcount = recycled.mapcount;
      flags = recycled.flags;
      content = recycled.content;
      mapping = recycled.mapping;
      index = recycled.index;
      // Frames above each of the old map's cursors were never handed out: they are pristine still.
      recycled.reset(ZERO_PFN, ZERO_PFN + 1);
      for (int area = 0; area < 3; area++) {
        recycled.reset(recycled.areaStart(area), recycled.untouched[area]);
      }
      recycled.reset(nrFrames, recycled.deviceTouchedEnd);
    }
    deviceTouchedEnd = nrFrames;
    flags[ZERO_PFN] = PageFlags.PG_RESERVED;
    refcount[ZERO_PFN] = 1;
    untouched[AREA_NORMAL] = ZERO_PFN + 1;
    untouched[AREA_CMA] = cmaStart;
    untouched[AREA_MOVABLE] = normalEnd;
    areaEnd[AREA_NORMAL] = cmaStart;
    areaEnd[AREA_CMA] = normalEnd;
    areaEnd[AREA_MOVABLE] = nrFrames;
    for (int area = 0; area < 3; area++) {
      free[area] = areaEnd[area] - untouched[area];
    }
  }

  /** Frames [from, to) as a boot leaves them: free, unlinked, holding nothing. */
  private void reset(int from, int to) {
    fill(flags, from, to, PageFlags.PG_BUDDY);
    fill(refcount, from, to, 0);
    fill(mapping, from, to, 0);
    fill(index, from, to, 0);
    fill(mapcount, from, to, (short) 0);
    Arrays.fill(content, from, to, Content.ZERO);
  }

  int areaOf(int pfn) {
    return pfn >= normalEnd ? AREA_MOVABLE : pfn >= cmaStart ? AREA_CMA : AREA_NORMAL;
  }

  boolean isCma(int pfn) {
    return pfn >= cmaStart && pfn < normalEnd;
  }

  boolean isMovableZone(int pfn) {
    return pfn >= normalEnd;
  }

  /** is_device_private_page. */
  boolean isDevicePrivate(int pfn) {
    return pfn >= nrFrames;
  }

  /** Whether {@code pfn} names a page of this map: a frame of RAM or a device-private page. */
  boolean hasPage(int pfn) {
    return pfn >= 0 && pfn < devicePrivateEnd;
  }

  /**
   * zone_device_page_init: the driver takes a free device-private page for a migration's destination;
   * it holds the one reference, as a fresh allocation does.
   */
  void zoneDevicePageInit(int pfn) {
    prepNewPage(pfn);
    deviceTouchedEnd = Math.max(deviceTouchedEnd, pfn + 1);
  }

  /** free_zone_device_folio: the page is its driver's again, refcount 0 (6.1), holding nothing. */
  void freeDevicePage(int pfn) {
    flags[pfn] = PageFlags.PG_BUDDY;
    refcount[pfn] = 0;
    mapcount[pfn] = 0;
    mapping[pfn] = 0;
    index[pfn] = 0;
    content[pfn] = Content.ZERO;
  }

  boolean isFree(int pfn) {
    return (flags[pfn] & PageFlags.PG_BUDDY) != 0;
  }

  int freePages() {
    return free[AREA_NORMAL] + free[AREA_CMA] + free[AREA_MOVABLE];
  }

  int freePages(int area) {
    return free[area];
  }

  /** Whether the frame the last {@link #allocPage} handed out was one the run freed ({@link PageFlags#PG_WARM}). */
  boolean lastPageWarm;

  /** How many more of the frames new to the run are ones another process freed just before it (MachineConfig#recentlyFreedBytes). */
  private int recentFrames;

  /** Whether a frame new to the run that the caller just took is one another process freed just before the run; counts it. */
  boolean takeRecent() {
    if (recentFrames == 0) {
      return false;
    }
    recentFrames--;
    return true;
  }

  /** __alloc_pages for one order-0 page: the frame, or {@link #NONE} when no allowed list has one. */
  int allocPage(Gfp gfp) {
    int area = pickArea(gfp);
    if (area == NONE) {
      return NONE;
    }
    int pfn = head[area];
    if (pfn == NONE) {
      pfn = untouched[area];
      leaveUntouched(area, pfn + 1);
      free[area]--;
      lastPageWarm = false;
    } else {
      unlink(area, pfn);
      lastPageWarm = (flags[pfn] & PageFlags.PG_WARM) != 0;
    }
    prepNewPage(pfn);
    return pfn;
  }

  private int pickArea(Gfp gfp) {
    switch (gfp) {
      case KERNEL:
      case USER_NO_MOVABLE:
        return free[AREA_NORMAL] > 0 ? AREA_NORMAL : NONE;
      case HIGHUSER_MOVABLE:
      default:
        if (free[AREA_MOVABLE] > 0) {
          return AREA_MOVABLE;
        }
        boolean preferCma = cmaPolicy == KernelConfig.CmaPolicy.BALANCED
            && free[AREA_CMA] > (free[AREA_NORMAL] + free[AREA_CMA]) / 2;
        if (preferCma || free[AREA_NORMAL] == 0) {
          return free[AREA_CMA] > 0 ? AREA_CMA : NONE;
        }
        return AREA_NORMAL;
    }
  }

  /** Takes a specific free frame off its list (alloc_contig_range's isolation of a free page). */
  void take(int pfn) {
    int area = areaOf(pfn);
    if (pfn >= untouched[area]) {
      // Link the untouched frames below it behind the linked ones, keeping the allocation order.
      int from = untouched[area];
      leaveUntouched(area, pfn + 1);
      for (int p = from; p < pfn; p++) {
        append(area, p);
      }
      free[area]--;
    } else {
      unlink(area, pfn);
    }
    prepNewPage(pfn);
  }

  /**
   * Moves an area's cursor up to {@code to}, the frames below it handed out or linked. Each must be
   * as boot left it: nothing of the model writes a frame above the cursor, so the invariant checker
   * looks at those frames only at a run's end ({@link Machine#checkInvariants}), and here, as each
   * leaves them.
   */
  private void leaveUntouched(int area, int to) {
    for (int p = untouched[area]; p < to; p++) {
      if (!pristine(p)) {
        throw corrupt("untouched pfn %d was written before it was ever handed out (flags %s, refcount %d, mapcount %d, "
            + "mapping %d, index %d)", p, PageFlags.describe(flags[p]), refcount[p], mapcount[p], mapping[p], index[p]);
      }
    }
    untouched[area] = to;
  }

  /** Whether a frame holds what boot left in it: free, unlinked, nothing in it. */
  boolean pristine(int pfn) {
    return (flags[pfn] ^ PageFlags.PG_BUDDY | refcount[pfn] | mapcount[pfn] | mapping[pfn] | index[pfn]) == 0
        && content[pfn] == Content.ZERO;
  }

  private void prepNewPage(int pfn) {
    flags[pfn] = 0;
    refcount[pfn] = 1;
    mapcount[pfn] = 0;
    mapping[pfn] = 0;
    index[pfn] = 0;
    content[pfn] = Content.ZERO;
  }

  /**
   * __alloc_pages for a folio of {@code 1 << order} frames, naturally aligned, in an area the gfp
   * allows; the head's pfn, or {@link #NONE}. Untouched memory above an area's cursor is the buddy
   * allocator's free high-order blocks; below it, a free aligned run is looked for only when the
   * untouched memory cannot serve. The frames are prepared as a large folio (prep_compound_page).
   */
  int allocFolio(int order, Gfp gfp) {
    int nr = 1 << order;
    int[] order3 = gfp == Gfp.HIGHUSER_MOVABLE ? new int[] {AREA_MOVABLE, AREA_NORMAL, AREA_CMA} : new int[] {AREA_NORMAL};
    for (int area : order3) {
      int start = (untouched[area] + nr - 1) & -nr;
      if (start + nr <= areaEnd[area]) {
        int from = untouched[area];
        leaveUntouched(area, start + nr);
        for (int p = from; p < start; p++) {
          append(area, p);
        }
        free[area] -= nr;
        prepCompound(start, order);
        return start;
      }
    }
    for (int area : order3) {
      int lo = (areaStart(area) + nr - 1) & -nr;
      for (int start = lo; start + nr <= untouched[area]; start += nr) {
        int p = start;
        while (p < start + nr && isFree(p)) {
          p++;
        }
        if (p == start + nr) {
          for (p = start; p < start + nr; p++) {
            unlink(area, p);
          }
          prepCompound(start, order);
          return start;
        }
      }
    }
    return NONE;
  }

  /** prep_compound_page: the head holds the folio; each tail names it; the first tails hold the order, entire mapcount and pincount. */
  private void prepCompound(int head, int order) {
    int nr = 1 << order;
    for (int p = head; p < head + nr; p++) {
      prepNewPage(p);
      flags[p] = PageFlags.PG_TAIL;
      refcount[p] = 0;
      mapping[p] = head;
    }
    flags[head] = PageFlags.PG_HEAD;
    refcount[head] = 1;
    mapping[head] = 0;
    index[head + 1] = order;
  }

  // ---- large folios (include/linux/mm.h, page-flags.h) ----------------------------------------

  /** page_folio / compound_head: the pfn of the folio's head, {@code pfn} itself for a small folio. */
  int folio(int pfn) {
    return (flags[pfn] & PageFlags.PG_TAIL) == 0 ? pfn : mapping[pfn];
  }

  /** The flags of the folio {@code pfn} belongs to (a tail page keeps none of its own but PG_anon_exclusive). */
  short folioFlags(int pfn) {
    short f = flags[pfn];
    return (f & PageFlags.PG_TAIL) == 0 ? f : flags[mapping[pfn]];
  }

  /** folio_test_large, for the head. */
  boolean folioLarge(int head) {
    return (flags[head] & PageFlags.PG_HEAD) != 0;
  }

  /** folio_order of the folio {@code pfn} belongs to. */
  int folioOrder(int pfn) {
    int head = folio(pfn);
    return folioLarge(head) ? index[head + 1] : 0;
  }

  /** folio_nr_pages. */
  int folioNrPages(int pfn) {
    return 1 << folioOrder(pfn);
  }

  /** folio_entire_mapcount: how many PMDs map the whole folio (kept in the first tail's index, as _entire_mapcount in the first tail page). */
  int entireMapcount(int head) {
    return folioLarge(head) ? index[head + 2] : 0;
  }

  void addEntireMapcount(int head, int delta) {
    index[head + 2] += delta;
  }

  /** folio->_pincount of a large folio: FOLL_PIN pins, counted exactly (the refcount takes one per pin). */
  int pincount(int head) {
    return folioLarge(head) ? index[head + 3] : 0;
  }

  void addPincount(int head, int delta) {
    index[head + 3] += delta;
  }

  /** page_mapcount: the PTEs that map this page plus the PMDs that map its whole folio. */
  int pageMapcount(int pfn) {
    return mapcount[pfn] + entireMapcount(folio(pfn));
  }

  /** folio_mapcount: every PTE and PMD mapping of the folio. */
  int folioMapcount(int pfn) {
    int head = folio(pfn);
    if (!folioLarge(head)) {
      return mapcount[head];
    }
    int sum = entireMapcount(head);
    for (int p = head, end = head + folioNrPages(head); p < end; p++) {
      sum += mapcount[p];
    }
    return sum;
  }

  /** page_count: the folio's refcount, as every page of it reports. */
  int pageCount(int pfn) {
    return refcount[folio(pfn)];
  }

  /** The anon_vma or file a page's folio belongs to. */
  int pageMapping(int pfn) {
    return mapping[folio(pfn)];
  }

  /** page_pgoff / folio_page_idx: the page's offset in its anon_vma or file. */
  int pageIndex(int pfn) {
    int head = folio(pfn);
    return index[head] + (pfn - head);
  }

  /** Sets a folio flag (every flag but PG_anon_exclusive, which is per page) on the folio {@code pfn} belongs to. */
  void setFolioFlag(int pfn, short flag) {
    flags[folio(pfn)] |= flag;
  }

  void clearFolioFlag(int pfn, short flag) {
    flags[folio(pfn)] &= (short) ~flag;
  }

  /**
   * __split_huge_page: every page of the folio becomes a small folio of its own, with the head's
   * flags, anon_vma or file and its own index, holding one reference per PTE that maps it. The
   * caller has split every PMD mapping and checked that no one else holds a reference
   * (can_split_folio). Returns the pages no PTE maps, which the caller frees.
   */
  int[] splitFolio(int head) {
    int nr = folioNrPages(head);
    short folioFlags = (short) (flags[head] & ~(PageFlags.PG_HEAD | PageFlags.PG_ANON_EXCLUSIVE));
    int[] unmapped = new int[nr];
    int n = 0;
    for (int p = head; p < head + nr; p++) {
      short exclusive = (short) (flags[p] & PageFlags.PG_ANON_EXCLUSIVE);
      flags[p] = (short) (folioFlags | exclusive);
      mapping[p] = mapping[head];
      index[p] = index[head] + (p - head);
      refcount[p] = mapcount[p];
      if (mapcount[p] == 0) {
        refcount[p] = 1;
        unmapped[n++] = p;
      }
    }
    return Arrays.copyOf(unmapped, n);
  }

  /** free_unref_page: the caller has released the content token already. */
  void freePage(int pfn) {
    if (pfn >= untouched[areaOf(pfn)] || isFree(pfn)) {
      // free_page_is_bad: a frame never handed out, or one free already, is no caller's to free.
      throw corrupt("bad page: pfn %d freed while %s", pfn, pfn >= untouched[areaOf(pfn)] ? "never handed out" : "free already");
    }
    flags[pfn] = PageFlags.PG_BUDDY | PageFlags.PG_WARM;
    refcount[pfn] = 0;
    mapcount[pfn] = 0;
    content[pfn] = Content.ZERO;
    push(areaOf(pfn), pfn);
  }

  /**
   * Finds {@code nr} contiguous free frames in one area, lowest first, and takes them; the first
   * pfn, or {@link #NONE}. (alloc_contig_pages when nothing needs migrating.)
   */
  int allocContigFree(int area, int nr) {
    int lo = area == AREA_NORMAL ? ZERO_PFN + 1 : area == AREA_CMA ? cmaStart : normalEnd;
    int hi = area == AREA_NORMAL ? cmaStart : area == AREA_CMA ? normalEnd : nrFrames;
    int run = 0;
    for (int pfn = lo; pfn < hi; pfn++) {
      run = isFree(pfn) ? run + 1 : 0;
      if (run == nr) {
        int start = pfn - nr + 1;
        for (int p = start; p <= pfn; p++) {
          take(p);
        }
        return start;
      }
    }
    return NONE;
  }

  private void push(int area, int pfn) {
    int h = head[area];
    if (h == NONE ? tail[area] != NONE : !hasPage(h) || mapping[h] != NONE) {
      throw corrupt("list_add corruption: free list %d's head %d has a frame before it", area, h);
    }
    mapping[pfn] = NONE;
    index[pfn] = h;
    if (h != NONE) {
      mapping[h] = pfn;
    } else {
      tail[area] = pfn;
    }
    head[area] = pfn;
    free[area]++;
  }

  /** Links an untouched (already counted as free) frame at the tail of the list. */
  private void append(int area, int pfn) {
    int t = tail[area];
    if (t == NONE ? head[area] != NONE : !hasPage(t) || index[t] != NONE) {
      throw corrupt("list_add corruption: free list %d's tail %d has a frame after it", area, t);
    }
    mapping[pfn] = t;
    index[pfn] = NONE;
    if (t != NONE) {
      index[t] = pfn;
    } else {
      head[area] = pfn;
    }
    tail[area] = pfn;
  }

  private void unlink(int area, int pfn) {
    int prev = mapping[pfn];
    int next = index[pfn];
    listDelValid(area, pfn, prev, next);
    if (prev == NONE) {
      head[area] = next;
    } else {
      index[prev] = next;
    }
    if (next != NONE) {
      mapping[next] = prev;
    } else {
      tail[area] = prev;
    }
    free[area]--;
  }

  /**
   * __list_del_entry_valid (CONFIG_DEBUG_LIST) and check_new_page: a frame taken off a free list
   * is linked both ways to its neighbours, and holds nothing (no reference, no mapping, no bytes).
   * With these checked at every list operation, the invariant checker walks the lists whole only
   * at a run's end.
   */
  private void listDelValid(int area, int pfn, int prev, int next) {
    if (!isFree(pfn) || areaOf(pfn) != area || pfn >= untouched[area]) {
      throw corrupt("list_del corruption: pfn %d is not a frame of free list %d (flags %s)", pfn, area, PageFlags.describe(flags[pfn]));
    }
    if (prev == NONE ? head[area] != pfn : !hasPage(prev) || index[prev] != pfn) {
      throw corrupt("list_del corruption: prev->next should be %d, but was %d (free list %d)", pfn,
          prev == NONE ? head[area] : hasPage(prev) ? index[prev] : prev, area);
    }
    if (next == NONE ? tail[area] != pfn : !hasPage(next) || mapping[next] != pfn) {
      throw corrupt("list_del corruption: next->prev should be %d, but was %d (free list %d)", pfn,
          next == NONE ? tail[area] : hasPage(next) ? mapping[next] : next, area);
    }
    if ((refcount[pfn] | mapcount[pfn]) != 0 || content[pfn] != Content.ZERO) {
      throw corrupt("bad page: free pfn %d taken off its list holds something (refcount %d, mapcount %d, content %x)", pfn,
          refcount[pfn], mapcount[pfn], content[pfn]);
    }
  }

  private static IllegalStateException corrupt(String format, Object... args) {
    return new IllegalStateException("memory manager invariants violated:\n  " + String.format(format, args));
  }

  /**
   * Walks every free list, counting its frames and the untouched ones above its cursor; for the
   * invariant checker at a run's end. Element 3 is the first frame on a list that holds something
   * (a reference, a mapping or bytes: what free_pages_check refuses), or {@link #NONE}.
   */
  int[] countFreeLists() {
    int[] counts = {0, 0, 0, NONE};
    for (int area = 0; area < 3; area++) {
      int last = NONE;
      // A frame of this list lies in its area below the cursor: [areaStart, untouched).
      int from = areaStart(area);
      int to = untouched[area];
      int n = 0;
      for (int pfn = head[area]; pfn != NONE; pfn = index[pfn]) {
        if (pfn < from || pfn >= to || (flags[pfn] & PageFlags.PG_BUDDY) == 0 || mapping[pfn] != last || n++ > nrFrames) {
          throw new IllegalStateException("free list " + area + " is corrupt at pfn " + pfn);
        }
        if (((refcount[pfn] | mapcount[pfn]) != 0 || content[pfn] != Content.ZERO) && counts[3] == NONE) {
          counts[3] = pfn;
        }
        last = pfn;
      }
      counts[area] = n;
      if (last != tail[area]) {
        throw new IllegalStateException("free list " + area + " ends at pfn " + last + " but its tail says " + tail[area]);
      }
      counts[area] += areaEnd[area] - untouched[area];
    }
    return counts;
  }

  /** The first pfn of an area. */
  int areaStart(int area) {
    return area == AREA_NORMAL ? ZERO_PFN + 1 : area == AREA_CMA ? cmaStart : normalEnd;
  }

  /** The end of an area's frames that have been handed out at least once; the rest of it is untouched. */
  int touchedEnd(int area) {
    return untouched[area];
  }

  /** One past an area's last frame. */
  int areaEnd(int area) {
    return areaEnd[area];
  }

  int[] freeCounts() {
    return Arrays.copyOf(free, 3);
  }

  // ---- the page tests of include/linux/page-flags.h and mm.h, by the kernel's names ---------

  /** is_zero_pfn or a page of the huge zero folio: a zero page no one owns, mapped by special entries. */
  boolean isZeroPage(int pfn) {
    return pfn == ZERO_PFN || hugeZeroHead != NONE && pfn >= hugeZeroHead && pfn < hugeZeroHead + Thp.HPAGE_PMD_NR;
  }

  /** folio_test_anon. */
  boolean pageAnon(int pfn) {
    return (folioFlags(pfn) & PageFlags.PG_ANON) != 0;
  }

  /** PageAnonExclusive: only one process maps this anonymous page (5.19+). */
  boolean pageAnonExclusive(int pfn) {
    return (flags[pfn] & PageFlags.PG_ANON_EXCLUSIVE) != 0;
  }

  /** folio_test_mlocked. */
  boolean pageMlocked(int pfn) {
    return (folioFlags(pfn) & PageFlags.PG_MLOCKED) != 0;
  }

  /** folio_test_swapcache. */
  boolean pageSwapCache(int pfn) {
    return (folioFlags(pfn) & PageFlags.PG_SWAPCACHE) != 0;
  }

  /** folio_test_lru. */
  boolean pageLru(int pfn) {
    return (folioFlags(pfn) & PageFlags.PG_LRU) != 0;
  }

  /** folio_test_unevictable. */
  boolean pageUnevictable(int pfn) {
    return (folioFlags(pfn) & PageFlags.PG_UNEVICTABLE) != 0;
  }

  /** folio_test_dirty. */
  boolean pageDirty(int pfn) {
    return (folioFlags(pfn) & PageFlags.PG_DIRTY) != 0;
  }

  /** folio_test_referenced. */
  boolean pageReferenced(int pfn) {
    return (folioFlags(pfn) & PageFlags.PG_REFERENCED) != 0;
  }

  /** PageReserved. */
  boolean pageReserved(int pfn) {
    return (flags[pfn] & PageFlags.PG_RESERVED) != 0;
  }

  /**
   * folio_maybe_dma_pinned: a large folio's exact pincount; a small one's refcount holds at least
   * one GUP_PIN_COUNTING_BIAS (a pin, or very many references).
   */
  boolean folioMaybeDmaPinned(int pfn) {
    int head = folio(pfn);
    return folioLarge(head) ? pincount(head) > 0 : refcount[head] >= GUP_PIN_COUNTING_BIAS;
  }

  /**
   * Arrays.fill by doubling array copies: a machine is booted for every run, often by a process
   * whose JIT stops at C1, where the copy is a vectorized stub and the fill a loop.
   */
  static void fill(short[] a, int from, int to, short value) {
    if (from < to) {
      a[from] = value;
      spread(a, from, to);
    }
  }

  static void fill(int[] a, int from, int to, int value) {
    if (from < to) {
      a[from] = value;
      spread(a, from, to);
    }
  }

  /** Copies element {@code from} of an array over [from, to), doubling the run each time. */
  private static void spread(Object array, int from, int to) {
    for (int done = 1, n = to - from; done < n; done += done) {
      System.arraycopy(array, from, array, from + done, Math.min(done, n - done));
    }
  }
}
