package org.userptrlab.mm;

import java.util.ArrayList;
import java.util.List;

/**
 * The invariant checker, in the spirit of CONFIG_DEBUG_VM (VM_BUG_ON_PAGE, the checks of
 * mm/debug.c and free_pages_check): recomputes from page tables, page caches, the swap cache and
 * the registered holders what every frame's counts must be, and compares.
 */
final class DebugVm {
  private static final int MAX_REPORTS = 20;
  private final Machine m;
  private final MemMap mem;
  private final List<String> problems = new ArrayList<>();
  /** The frames the walk found a VM_LOCKED VMA mapping (each once: its inLocked entry was set), for the tally. */
  private int[] lockedHeads = new int[64];
  private int nLocked;

  DebugVm(Machine m) {
    this.m = m;
    this.mem = m.mem;
  }

  private void report(String format, Object... args) {
    if (problems.size() < MAX_REPORTS) {
      problems.add(String.format(format, args));
    } else if (problems.size() == MAX_REPORTS) {
      problems.add("... (further problems not listed)");
    }
  }

  /**
   * Counts by pfn and by swap slot, recomputed by each check: the PTEs mapping each frame (of the
   * type of its mapcount), every reference it should have (those PTEs and every other holder, to
   * compare with its refcount), whether a VM_LOCKED VMA maps it, and the PTEs holding each swap
   * slot. Kept per thread across machines, and all zero between checks (each check clears what it
   * wrote), so that a check costs what the machine has touched, not its size.
   */
  private static final class Scratch {
    short[] maps = new short[0];
    int[] refs = new int[0];
    boolean[] inLocked = new boolean[0];
    int[] swapRefs = new int[0];
    /** False while a check runs: one that threw left counts behind. */
    boolean clean = true;
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
  private int[] swapRefs;

  /**
   * The checks; {@code untouchedFrames}: that the frames above each area's cursor are as boot left
   * them too, or else only that nothing holds a reference to one (no step writes one: MemMap checks
   * each as its cursor passes it), so that a step's check costs what the machine touched, not its size.
   */
  List<String> check(boolean untouchedFrames) {
    problems.clear();
    nLocked = 0;
    int n = mem.devicePrivateEnd;
    Scratch s = SCRATCH.get();
    if (s.maps.length < n) {
      s.maps = new short[n];
      s.refs = new int[n];
      s.inLocked = new boolean[n];
    } else if (!s.clean) {
      java.util.Arrays.fill(s.maps, (short) 0);
      java.util.Arrays.fill(s.refs, 0);
      java.util.Arrays.fill(s.inLocked, false);
    }
    if (s.swapRefs.length < m.swap.slots()) {
      s.swapRefs = new int[m.swap.slots()];
    } else if (!s.clean) {
      java.util.Arrays.fill(s.swapRefs, 0);
    }
    s.clean = false;
    // Slots past the high-water mark were never handed out: a PTE naming one is reported by the walk.
    int touchedSlots = m.swap.touchedSlots();
    swapRefs = s.swapRefs;
    short[] maps = s.maps;
    int[] refs = s.refs;
    boolean[] inLocked = s.inLocked;
    for (Process p : m.processes()) {
      checkVmas(p);
      walkPageTables(p.mm, maps, refs, inLocked, touchedSlots);
    }
    for (MemFile f : m.files.all()) {
      for (int page = 0; page < f.cacheSpan(); page++) {
        int pfn = f.cached(page);
        if (pfn == MemMap.NONE) {
          continue;
        }
        refs[pfn]++;
        if (mem.isFree(pfn) || mem.mapping[pfn] != f.id || mem.index[pfn] != page) {
          report("page cache of %s page %d holds pfn %d whose mapping/index say %d/%d (free=%b)", f, page, pfn,
              mem.mapping[pfn], mem.index[pfn], mem.isFree(pfn));
        }
      }
    }
    long exact = 0;
    for (int slot = 0; slot < touchedSlots; slot++) {
      if (m.swap.count(slot) != swapRefs[slot]) {
        report("swap slot %d: swap_map says %d PTEs, page tables hold %d", slot, m.swap.count(slot), swapRefs[slot]);
      }
      int cached = m.swap.cached(slot);
      if (cached != MemMap.NONE) {
        refs[cached]++;
        if (!mem.pageSwapCache(cached)) {
          report("swap slot %d caches pfn %d, which lacks PG_swapcache", slot, cached);
        }
      }
      if (Content.isExact(m.swap.slotToken(slot))) {
        exact++;
      }
    }
    boolean heldFree = m.gup.addHeldReferences(refs);
    if (mem.hugeZeroHead != MemMap.NONE) {
      // The kernel's own reference to the huge zero folio (huge_zero_refcount).
      refs[mem.hugeZeroHead]++;
      heads.putIfAbsent(mem.hugeZeroHead, 0);
    }
    checkFolios();
    // A run's end walks the free lists whole; after a step their counters serve, as every list
    // operation checked the frame and its neighbours (MemMap.listDelValid, as CONFIG_DEBUG_LIST does).
    int[] listed = untouchedFrames ? countFreeLists() : mem.freeCounts();
    // A free frame has no reference where its refcount agrees with the references found (the tally
    // below), unless a holder names it; that it holds no bytes, the lists' walk checks at a run's
    // end, and the allocator as it hands the frame out.
    boolean freeFramesHoldNothing = listed != null && !heldFree && (!untouchedFrames || listed[3] == MemMap.NONE);
    // Each area's PageBuddy frames are what its list holds (its count includes the untouched frames above its cursor).
    long tallied = freeFramesHoldNothing ? 0 : -1;
    int untouched = 0;
    for (int area = 0; area < 3; area++) {
      int above = mem.areaEnd(area) - mem.touchedEnd(area);
      untouched += above;
      if (tallied >= 0) {
        long tally = tallyFrames(mem.areaStart(area), mem.touchedEnd(area), maps, refs);
        tallied = tally >= 0 && (int) tally + above == listed[area] ? tallied + tally : -1;
      }
    }
    int listedTotal = listed == null ? -1 : listed[0] + listed[1] + listed[2];
    int buddies = 0;
    if (tallied >= 0) {
      buddies = (int) tallied + untouched;
      exact += tallied >>> 32;
    } else {
      // Something is off: frame by frame, to name it.
      for (int area = 0; area < 3; area++) {
        for (int pfn = mem.areaStart(area), end = mem.touchedEnd(area); pfn < end; pfn++) {
          if (mem.isFree(pfn)) {
            buddies++;
            checkFreeFrame(pfn, maps, refs);
          } else {
            exact += checkFrame(pfn, maps, refs, inLocked);
          }
        }
      }
      buddies += untouched;
    }
    // After a step, something counted a reference to a frame never handed out only where a holder
    // names a free frame or a problem is reported already (a PTE, a folio's tail, the page cache or
    // the swap cache naming one): then the counts of those frames are looked at too.
    boolean pointedAt = heldFree || !problems.isEmpty();
    for (int area = 0; area < 3; area++) {
      // Never handed out since boot: each must still be a pristine free frame that nothing points at.
      // Compared a whole array range at a time (Arrays.mismatch is vectorized); frame by frame only
      // from the first that differs, to name what differs.
      int end = mem.areaEnd(area);
      int from = untouchedFrames ? firstUnlikePristine(mem.touchedEnd(area), end, refs)
          : pointedAt ? firstReferenced(mem.touchedEnd(area), end, refs) : end;
      for (int pfn = from; pfn < end; pfn++) {
        if ((mem.flags[pfn] ^ PageFlags.PG_BUDDY | mem.refcount[pfn] | mem.mapcount[pfn] | mem.mapping[pfn] | mem.index[pfn]
            | maps[pfn] | refs[pfn]) != 0 || mem.content[pfn] != Content.ZERO || inLocked[pfn]) {
          report("untouched pfn %d is not a pristine free frame nothing points at (flags %s, refcount %d, %d PTEs, %d other references)",
              pfn, PageFlags.describe(mem.flags[pfn]), mem.refcount[pfn], maps[pfn], refs[pfn] - maps[pfn]);
          maps[pfn] = 0;
          refs[pfn] = 0;
          inLocked[pfn] = false;
        }
      }
    }
    // The driver's device-private pages: a free one holds nothing; one in use is what its entries account for.
    for (int pfn = mem.nrFrames; pfn < mem.deviceTouchedEnd; pfn++) {
      if (mem.isFree(pfn)) {
        checkFreeFrame(pfn, maps, refs);
      } else {
        exact += checkFrame(pfn, maps, refs, inLocked);
      }
    }
    if (listed != null && buddies != listedTotal) {
      report("%d frames are PageBuddy but the free lists hold %d", buddies, listedTotal);
    }
    for (MemFile f : m.files.all()) {
      if (!f.shmem) {
        for (long t : f.diskTokens()) {
          if (Content.isExact(t)) {
            exact++;
          }
        }
      }
    }
    if (exact != m.content.liveExact()) {
      report("content: %d exact pages are owned but %d are allocated", exact, m.content.liveExact());
    }
    int stranded = m.mlock.countStranded();
    if (stranded != m.mlock.strandedPages()) {
      report("%d frames are marked stranded PG_mlocked but %d of them are PG_mlocked frames in use", m.mlock.strandedPages(), stranded);
    }
    for (int id = 1; id < m.rmap.anonVmaIdLimit(); id++) {
      AnonVma av = m.rmap.anonVma(id);
      if (av != null && av.vmas.isEmpty()) {
        report("anon_vma %d has no VMAs but was not freed", av.id);
      }
    }
    clear(maps, refs, inLocked, 0, mem.areaStart(0));
    for (int area = 0; area < 3; area++) {
      clear(maps, refs, inLocked, mem.areaStart(area), mem.touchedEnd(area));
    }
    clear(maps, refs, inLocked, mem.nrFrames, mem.deviceTouchedEnd);
    java.util.Arrays.fill(swapRefs, 0, touchedSlots, 0);
    s.clean = true;
    return List.copyOf(problems);
  }

  private static void clear(short[] maps, int[] refs, boolean[] inLocked, int from, int to) {
    java.util.Arrays.fill(maps, from, to, (short) 0);
    java.util.Arrays.fill(refs, from, to, 0);
    java.util.Arrays.fill(inLocked, from, to, false);
  }

  /** What an untouched frame's fields hold (all zero, PG_BUDDY alone), a chunk of frames long. */
  private static final int CHUNK = 4096;
  private static final int[] ZERO_INTS = new int[CHUNK];
  private static final short[] ZERO_SHORTS = new short[CHUNK];
  private static final long[] ZERO_LONGS = new long[CHUNK];
  private static final short[] BUDDY_FLAGS = new short[CHUNK];

  static {
    java.util.Arrays.fill(BUDDY_FLAGS, PageFlags.PG_BUDDY);
  }

  /**
   * The first frame in [from, to) that is not a pristine free frame nothing points at, or {@code
   * to}; a chunk at a time. (No PTE is counted against a frame that is PG_buddy, so a frame a PTE
   * maps already differs in its flags.)
   */
  private int firstUnlikePristine(int from, int to, int[] refs) {
    for (int a = from; a < to; a += CHUNK) {
      int b = Math.min(to, a + CHUNK);
      int k = b - a;
      int first = k;
      first = earlier(first, java.util.Arrays.mismatch(mem.flags, a, b, BUDDY_FLAGS, 0, k));
      first = earlier(first, java.util.Arrays.mismatch(mem.refcount, a, b, ZERO_INTS, 0, k));
      first = earlier(first, java.util.Arrays.mismatch(mem.mapcount, a, b, ZERO_SHORTS, 0, k));
      first = earlier(first, java.util.Arrays.mismatch(mem.mapping, a, b, ZERO_INTS, 0, k));
      first = earlier(first, java.util.Arrays.mismatch(mem.index, a, b, ZERO_INTS, 0, k));
      first = earlier(first, java.util.Arrays.mismatch(mem.content, a, b, ZERO_LONGS, 0, k));
      first = earlier(first, java.util.Arrays.mismatch(refs, a, b, ZERO_INTS, 0, k));
      if (first < k) {
        return a + first;
      }
    }
    return to;
  }

  /** The first frame in [from, to) that something holds a reference to, or {@code to}. */
  private static int firstReferenced(int from, int to, int[] refs) {
    for (int a = from; a < to; a += CHUNK) {
      int b = Math.min(to, a + CHUNK);
      int k = java.util.Arrays.mismatch(refs, a, b, ZERO_INTS, 0, b - a);
      if (k >= 0) {
        return a + k;
      }
    }
    return to;
  }

  /** The earlier of an index and what Arrays.mismatch found (-1: nothing). */
  private static int earlier(int index, int mismatch) {
    return mismatch < 0 ? index : Math.min(index, mismatch);
  }

  private static final int BUDDY_BIT = Integer.numberOfTrailingZeros(PageFlags.PG_BUDDY);
  private static final int MLOCKED_BIT = Integer.numberOfTrailingZeros(PageFlags.PG_MLOCKED);

  /**
   * The checks of {@link #checkFrame} over frames [from, to), a whole array at a time: the free
   * frames in the low half and the exact pages in the high half, or -1 if any frame fails one (or
   * is a stranded PG_mlocked frame), for the frame-by-frame checks to name. A frame passes when
   * its mapcount is its PTEs, its refcount its PTEs and holders, and PG_mlocked says whether a
   * VM_LOCKED VMA maps it. (That a free frame holds no bytes is checked as the allocator hands it out, and at a run's end.)
   */
  private long tallyFrames(int from, int to, short[] maps, int[] refs) {
    if (java.util.Arrays.mismatch(mem.mapcount, from, to, maps, from, to) >= 0
        || java.util.Arrays.mismatch(mem.refcount, from, to, refs, from, to) >= 0) {
      return -1;
    }
    short[] flagsOf = mem.flags;
    int free = 0;
    int mlocked = 0;
    for (int pfn = from; pfn < to; pfn++) {
      int flags = flagsOf[pfn];
      free += (flags >>> BUDDY_BIT) & 1;
      mlocked += (flags >>> MLOCKED_BIT) & 1;
    }
    // PG_mlocked on exactly the frames a VM_LOCKED VMA maps: as many, and each of those has it.
    int locked = 0;
    int bad = 0;
    for (int k = 0; k < nLocked; k++) {
      int pfn = lockedHeads[k];
      if (pfn >= from && pfn < to) {
        locked++;
        bad |= ~(flagsOf[pfn] >>> MLOCKED_BIT) & 1;
      }
    }
    bad |= mlocked != locked ? 1 : 0;
    // Apart from the loop above, which the JIT would not vectorize with it.
    long[] contentOf = mem.content;
    long exact = 0;
    for (int pfn = from; pfn < to; pfn++) {
      exact += contentOf[pfn] >>> 63;
    }
    return bad != 0 ? -1 : exact << 32 | free;
  }

  /** free_pages_check: a frame on a free list holds nothing and nothing points at it. */
  private void checkFreeFrame(int pfn, short[] maps, int[] refs) {
    if (refs[pfn] != 0) {
      report("pfn %d is free but %d PTEs and %d other references point at it", pfn, maps[pfn], refs[pfn] - maps[pfn]);
    }
    if (mem.refcount[pfn] != 0 || mem.mapcount[pfn] != 0 || mem.content[pfn] != Content.ZERO) {
      report("free pfn %d has refcount %d, mapcount %d, content %x", pfn, mem.refcount[pfn], mem.mapcount[pfn], mem.content[pfn]);
    }
  }

  /** The checks of one allocated frame; 1 if it owns an exact page. */
  private int checkFrame(int pfn, short[] maps, int[] refs, boolean[] inLocked) {
    if (mem.mapcount[pfn] != maps[pfn]) {
      report("pfn %d: mapcount %d but %d PTEs map it", pfn, mem.mapcount[pfn], maps[pfn]);
    }
    int expected = refs[pfn];
    if (mem.refcount[pfn] != expected) {
      report("pfn %d (%s): refcount %d but mappings and known holders account for %d (%s)", pfn,
          PageFlags.describe(mem.flags[pfn]), mem.refcount[pfn], expected,
          mem.refcount[pfn] > expected ? "a reference leaked" : "a reference is missing");
    }
    if (mem.pageCount(pfn) < mem.mapcount[pfn]) {
      report("pfn %d: refcount %d below mapcount %d", pfn, mem.pageCount(pfn), mem.mapcount[pfn]);
    }
    boolean mlocked = (mem.flags[pfn] & PageFlags.PG_MLOCKED) != 0;
    if (mlocked != inLocked[pfn] && !(mlocked && m.mlock.isStranded(pfn))) {
      report("pfn %d: PG_mlocked is %b but %s VM_LOCKED VMA maps it", pfn, mlocked, inLocked[pfn] ? "a" : "no");
    }
    return Content.isExact(mem.content[pfn]) ? 1 : 0;
  }

  /** Walks the free lists against their counts; what each holds and the first frame on them holding something, or null when one is corrupt (reported). */
  private int[] countFreeLists() {
    int[] counted;
    try {
      counted = mem.countFreeLists();
    } catch (IllegalStateException e) {
      report("%s", e.getMessage());
      return null;
    }
    int[] expected = mem.freeCounts();
    for (int area = 0; area < 3; area++) {
      if (counted[area] != expected[area]) {
        report("free list %d holds %d frames, its count says %d", area, counted[area], expected[area]);
      }
    }
    return counted;
  }

  private void checkVmas(Process p) {
    Mm mm = p.mm;
    long prevEnd = 0;
    long total = 0;
    long locked = 0;
    Vma prev = null;
    for (Vma v : mm.vmas.values()) {
      if (prev != null && !prev.forkCopy && !v.forkCopy && Mm.canMerge(prev, v)) {
        report("%s: VMAs %s and %s touch and match: vma_merge would have made them one", p, prev, v);
      }
      prev = v;
      if (v.start >= v.end || !Page.aligned(v.start) || !Page.aligned(v.end) || v.start < prevEnd || v.end > Mm.TASK_SIZE) {
        report("%s: VMA %s is empty, misaligned, overlapping or out of range", p, v);
      }
      prevEnd = v.end;
      total += v.pages();
      if (v.has(VmFlags.VM_LOCKED)) {
        locked += v.pages();
      }
      if ((v.anonVma == null) != v.chain.isEmpty() || (v.anonVma != null && !v.chain.contains(v.anonVma))) {
        report("%s: VMA %s: anon_vma and anon_vma_chain disagree", p, v);
      }
      for (AnonVma av : v.chain) {
        if (!av.vmas.contains(v) || m.rmap.anonVma(av.id) != av) {
          report("%s: VMA %s is not on anon_vma %d's list, or that anon_vma was freed", p, v, av.id);
        }
      }
      if (v.file != null && !v.file.mmaps.contains(v)) {
        report("%s: VMA %s is missing from its file's i_mmap", p, v);
      }
    }
    if (total != mm.totalVm) {
      report("%s: total_vm is %d pages but its VMAs span %d", p, mm.totalVm, total);
    }
    long[] charged = m.gup.charged(mm);
    if (locked + charged[1] != mm.lockedVm + mm.unaccountedLocked) {
      report("%s: locked_vm is %d pages (+%d locked unaccounted by a driver) but its VM_LOCKED VMAs span %d and "
          + "drivers charged %d", p, mm.lockedVm, mm.unaccountedLocked, locked, charged[1]);
    }
    if (charged[0] != mm.pinnedVm) {
      report("%s: pinned_vm is %d pages but live pins charged to it hold %d", p, mm.pinnedVm, charged[0]);
    }
  }

  /** The large folios the page-table walk met, with the PMDs that map each whole (their entire mapcount). */
  private final java.util.TreeMap<Integer, Integer> heads = new java.util.TreeMap<>();

  /**
   * The folio checks: a head's tails name it and hold no reference of their own, its entire mapcount
   * is the PMDs that map it, its pincount the pins live holders took, and the deferred split queue
   * holds only large anonymous folios mapped in part and by no PMD.
   */
  private void checkFolios() {
    for (int head : m.thp.deferredQueue()) {
      heads.putIfAbsent(head, 0);
    }
    for (java.util.Map.Entry<Integer, Integer> e : heads.entrySet()) {
      int head = e.getKey();
      if (!mem.folioLarge(head) || mem.isFree(head)) {
        report("pfn %d is on the deferred split queue or mapped by a PMD but is not the head of a large folio (%s)", head,
            PageFlags.describe(mem.flags[head]));
        continue;
      }
      int nr = mem.folioNrPages(head);
      for (int p = head + 1; p < head + nr; p++) {
        if ((mem.flags[p] & PageFlags.PG_TAIL) == 0 || mem.mapping[p] != head || mem.refcount[p] != 0) {
          report("pfn %d of the folio at %d is not a tail of it (flags %s, head %d, refcount %d)", p, head,
              PageFlags.describe(mem.flags[p]), mem.mapping[p], mem.refcount[p]);
        }
      }
      if (head != mem.hugeZeroHead && mem.entireMapcount(head) != e.getValue()) {
        report("folio %d: entire mapcount %d but %d PMDs map it", head, mem.entireMapcount(head), e.getValue());
      }
      int pins = m.gup.pinsOn(head);
      if (mem.pincount(head) != pins) {
        report("folio %d: pincount %d but live pins hold %d", head, mem.pincount(head), pins);
      }
    }
    for (int head : m.thp.deferredQueue()) {
      if (!mem.folioLarge(head) || !mem.pageAnon(head) || mem.entireMapcount(head) != 0) {
        report("folio %d is on the deferred split queue but is not a large anonymous folio mapped by PTEs only", head);
      }
    }
    heads.clear();
  }

  private void walkPageTables(Mm mm, short[] maps, int[] refs, boolean[] inLocked, int touchedSlots) {
    long[] rss = new long[mm.rss.length];
    walkPageTables(mm, maps, refs, inLocked, touchedSlots, rss);
    // get_mm_rss: the counters kept at every map and unmap must equal what the page tables map.
    if (!java.util.Arrays.equals(rss, mm.rss)) {
      report("mm %d: rss_stat (file, anon, shmem) is %s but the page tables map %s", mm.id, java.util.Arrays.toString(mm.rss),
          java.util.Arrays.toString(rss));
    }
  }

  private void walkPageTables(Mm mm, short[] maps, int[] refs, boolean[] inLocked, int touchedSlots, long[] rss) {
    // The VMA of the last PTE looked at, and the anon_vma checked against it: a VMA's PTEs come
    // one after another, across PTE pages too, and mostly share one anon_vma.
    Vma v = null;
    boolean huge = false;
    boolean locked = false;
    boolean writeOk = false;
    int lastHead = -1;
    int lastMapping = -1;
    Vma lastVma = null;
    AnonVma lastAnonVma = null;
    short[] flagsOf = mem.flags;
    int[] mappingOf = mem.mapping;
    int[] indexOf = mem.index;
    // The PTE pages come in address order, so the VMAs are met in theirs: a cursor, not a lookup each.
    java.util.Iterator<Vma> vmas = mm.vmas.values().iterator();
    Vma cursor = vmas.hasNext() ? vmas.next() : null;
    for (int t = 0, tables = mm.pgtable.ptePages(); t < tables; t++) {
      long[] leaf = mm.pgtable.leafAt(t);
      long base = mm.pgtable.leafBase(t);
      // From one present or swap entry to the next; Arrays.mismatch skips the runs of none a vector at a time.
      for (int i = nextEntry(leaf, 0); i < leaf.length; i = nextEntry(leaf, i + 1)) {
        long pte = leaf[i];
        long vpn = base + i;
        long addr = Page.addr(vpn);
        if (v == null || !v.contains(addr)) {
          while (cursor != null && cursor.end <= addr) {
            cursor = vmas.hasNext() ? vmas.next() : null;
          }
          v = cursor != null && cursor.start <= addr ? cursor : null;
          // What each PTE asks of its VMA, once per VMA.
          if (v != null) {
            huge = Hugetlb.isHugetlb(v);
            locked = v.has(VmFlags.VM_LOCKED) && !huge;
            writeOk = v.has(VmFlags.VM_WRITE);
          }
        }
        if (v == null) {
          report("mm %d: PTE %x at 0x%x lies outside every VMA", mm.id, pte, addr);
          continue;
        }
        if (Pte.devicePrivate(pte)) {
          int page = Pte.pfn(pte);
          if (!mem.hasPage(page) || !mem.isDevicePrivate(page) || mem.isFree(page) || !v.isAnonymous() || Pte.writable(pte) && !writeOk) {
            report("mm %d: device-private entry at 0x%x names page %d, which is not an allocated device page mapped in a %s VMA",
                mm.id, addr, page, Pte.writable(pte) ? "writable anonymous" : "anonymous");
          } else {
            maps[page]++;
            refs[page]++;
            rss[Rmap.MM_ANONPAGES]++;
          }
          continue;
        }
        if (Pte.swap(pte)) {
          int slot = Pte.pfn(pte);
          if (slot >= touchedSlots) {
            report("mm %d: swap entry at 0x%x names slot %d, but only %d were ever handed out", mm.id, addr, slot, touchedSlots);
          } else {
            swapRefs[slot]++;
          }
          continue;
        }
        int pfn = Pte.pfn(pte);
        boolean pmd = (pte & Pte.PMD) != 0;
        if (pmd != PageTable.isPmd(leaf) || pmd && (i == 0 ? v.start > addr || v.end < addr + Thp.HPAGE_PMD_NR * Page.PAGE_SIZE
            : Pte.pfn(leaf[0]) + i != pfn || (leaf[0] & (Pte.WRITE | Pte.SPECIAL)) != (pte & (Pte.WRITE | Pte.SPECIAL)))) {
          report("mm %d: the PMD mapping at 0x%x is not one folio mapped in order, with one protection, inside its VMA", mm.id,
              Page.addr(base));
        }
        if (Pte.special(pte)) {
          if (!mem.isZeroPage(pfn) && !v.has(VmFlags.VM_PFNMAP) || pmd && pfn - i != mem.hugeZeroHead) {
            report("mm %d: special PTE at 0x%x maps pfn %d outside a PFN map", mm.id, addr, pfn);
          }
          continue;
        }
        if (pfn <= MemMap.ZERO_PFN || pfn >= mem.nrFrames || mem.isFree(pfn)) {
          report("mm %d: PTE at 0x%x maps pfn %d, which is not an allocated frame", mm.id, addr, pfn);
          continue;
        }
        // The folio's fields, read once: the counts below are stores the JIT cannot prove leave them alone.
        int head = mem.folio(pfn);
        int folioFlags = flagsOf[head];
        int folioMapping = mappingOf[head];
        int pageIndex = indexOf[head] + (pfn - head);
        boolean anon = (folioFlags & PageFlags.PG_ANON) != 0;
        if (huge) {
          // A hugetlb entry maps its whole huge page, counted once in the entire mapcount and never in RSS.
          long hvpn = vpn & -(1L << Hugetlb.order(v));
          long first = hvpn == vpn ? pte : mm.pgtable.get(hvpn);
          if (Pte.pfn(first) + (vpn - hvpn) != pfn || (first & (Pte.WRITE | Pte.SPECIAL)) != (pte & (Pte.WRITE | Pte.SPECIAL))
              || mem.folioOrder(head) != Hugetlb.order(v) || (folioFlags & PageFlags.PG_HUGETLB) == 0) {
            report("mm %d: the hugetlb mapping at 0x%x is not one huge page of its pool mapped in order, with one protection",
                mm.id, Page.addr(hvpn));
          }
          if (vpn == hvpn) {
            heads.merge(head, 1, Integer::sum);
            refs[head]++;
          }
        } else if (!pmd) {
          maps[pfn]++;
          refs[head]++;
        } else if (i == 0) {
          heads.merge(head, 1, Integer::sum);
          refs[head]++;
        }
        // The PTEs of one large folio come one after another: it is noted once, not once a page.
        if (head != lastHead && (head != pfn || (folioFlags & PageFlags.PG_HEAD) != 0)) {
          heads.putIfAbsent(head, 0);
          lastHead = head;
        }
        // Rmap.mmCounter.
        int counter = anon ? Rmap.MM_ANONPAGES : (folioFlags & PageFlags.PG_SWAPBACKED) != 0 ? Rmap.MM_SHMEMPAGES : Rmap.MM_FILEPAGES;
        if (!huge) {
          rss[counter]++;
        }
        // A hugetlb page is on no LRU list: VM_LOCKED never mlocks it.
        if (locked && !inLocked[head]) {
          inLocked[head] = true;
          if (nLocked == lockedHeads.length) {
            lockedHeads = java.util.Arrays.copyOf(lockedHeads, 2 * nLocked);
          }
          lockedHeads[nLocked++] = head;
        }
        if (Pte.writable(pte) && !writeOk) {
          report("mm %d: writable PTE at 0x%x in a VMA without VM_WRITE (%s)", mm.id, addr, v);
        }
        // The page's own rmap fields must lead back to this PTE (page_vma_mapped_walk would find it).
        if (anon) {
          if (folioMapping != lastMapping || v != lastVma) {
            AnonVma av = m.rmap.anonVma(folioMapping);
            lastMapping = folioMapping;
            lastVma = v;
            lastAnonVma = av != null && av.vmas.contains(v) ? av : null;
          }
          if (lastAnonVma == null || lastAnonVma.base + pageIndex != v.filePage(vpn)) {
            report("mm %d: anonymous pfn %d at 0x%x: its anon_vma %d / index %d do not lead back here", mm.id, pfn, addr,
                folioMapping, pageIndex);
          }
        } else if (v.file == null || folioMapping != v.file.id || v.filePage(vpn) != pageIndex) {
          report("mm %d: file pfn %d at 0x%x: mapping %d / index %d do not match %s", mm.id, pfn, addr, folioMapping,
              pageIndex, v);
        }
        // A PMD maps its folio whole: where its other entries are its pages in order, each with the first
        // entry's bits, what was checked of the first holds for them (their rmap index follows theirs).
        if (pmd && i == 0 && !huge && head == pfn && mem.folioNrPages(head) == leaf.length && restInOrder(leaf)) {
          rss[counter] += leaf.length - 1;
          i = leaf.length - 1;
        }
      }
    }
  }

  /** Whether every entry of {@code leaf} after the first maps the next page with the first's bits. */
  private static boolean restInOrder(long[] leaf) {
    long first = leaf[0];
    for (int k = 1; k < leaf.length; k++) {
      if (leaf[k] != first + ((long) k << Pte.PFN_SHIFT)) {
        return false;
      }
    }
    return true;
  }

  /** The index of the first entry of {@code leaf} from {@code from} on that is not pte_none, or the leaf's length. */
  private static int nextEntry(long[] leaf, int from) {
    if (from >= leaf.length || leaf[from] != 0) {
      // A VMA's PTEs mostly follow one another: a call of Arrays.mismatch costs more than one look.
      return from;
    }
    int k = java.util.Arrays.mismatch(leaf, from, leaf.length, ZERO_LONGS, 0, leaf.length - from);
    return k < 0 ? leaf.length : from + k;
  }
}
