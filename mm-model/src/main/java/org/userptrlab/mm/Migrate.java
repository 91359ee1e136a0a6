package org.userptrlab.mm;

import java.util.ArrayList;
import java.util.List;

/**
 * Page migration and compaction (mm/migrate.c, mm/compaction.c): a page moves to another frame
 * through the reverse map, its PTEs repointed, the TLBs flushed and the notifiers told. A page
 * with references beyond its mappings and caches (a get_user_pages holder, a pin) cannot move:
 * folio_migrate_mapping's refcount check fails with EAGAIN, which is what long-term pins do to
 * CMA and to compaction. A THP moves whole from 4.14 (migrate_pages_batch); before, it is split
 * and its pages move one by one.
 */
final class Migrate {
  private final Machine m;
  private final MemMap mem;

  Migrate(Machine m) {
    this.m = m;
    this.mem = m.mem;
  }

  /** Whether the page is one migration knows how to move: on an LRU list (anonymous or page cache). */
  boolean movable(int pfn) {
    return mem.pageLru(pfn) && !mem.pageReserved(pfn);
  }

  /** folio_expected_refs: the references migration can account for and move. */
  int expectedRefs(int pfn) {
    if (mem.folio(pfn) != pfn || mem.folioLarge(pfn)) {
      // A page of a large folio moves only once the folio is split (checkMovable).
      return -1;
    }
    int cache = !mem.pageAnon(pfn) && mem.mapping[pfn] != 0 ? 1 : 0;
    int swapcache = mem.pageSwapCache(pfn) ? 1 : 0;
    return mem.mapcount[pfn] + cache + swapcache;
  }

  /** PageCompound: a page of a large folio. */
  private boolean compound(int pfn) {
    return (mem.flags[pfn] & (PageFlags.PG_HEAD | PageFlags.PG_TAIL)) != 0;
  }

  /**
   * Migrates one page to a frame allocated with {@code gfp}; returns the page's new pfn. A THP
   * moves whole where the kernel can (4.14+) and a folio of its order is free for it.
   */
  int migratePage(int pfn, Gfp gfp) {
    int head = mem.folio(pfn);
    if (mem.folioLarge(head) && wholeFolioMovable(head)) {
      checkFolioRefs(head);
      int target = mem.allocFolio(mem.folioOrder(head), gfp);
      if (target != MemMap.NONE) {
        moveFolio(head, target);
        return target + (pfn - head);
      }
      // migrate_pages_batch: -ENOMEM for a large folio is retried on its pages once it is split.
      m.vmstat.count(VmEvent.THP_MIGRATION_SPLIT);
    }
    checkMovable(pfn);
    int target = mem.allocPage(gfp);
    if (target == MemMap.NONE) {
      m.vmstat.count(VmEvent.PGMIGRATE_FAIL);
      throw MmException.of(Errno.ENOMEM, "migrate_pages: no free frame for a %s target to move pfn %d to", gfp, pfn);
    }
    move(pfn, target);
    return target;
  }

  /**
   * Whether migrate_pages_batch takes the large folio as it is: a THP on a kernel with THP
   * migration (thp_migration_supported), anonymous, mapped whole (one on the deferred split
   * queue is split first), not in the swap cache. hugetlb has migrate_hugetlbs, not modelled.
   */
  private boolean wholeFolioMovable(int head) {
    return m.kernelConfig.has(KernelChange.THP_MIGRATION) && mem.pageAnon(head) && movable(head)
        && (mem.flags[head] & (PageFlags.PG_HUGETLB | PageFlags.PG_SWAPCACHE)) == 0 && head != mem.hugeZeroHead
        && !m.thp.onDeferredSplitQueue(head);
  }

  /** folio_migrate_mapping's refcount check for a large folio: its PTE and PMD mappings are all the references it may have. */
  private void checkFolioRefs(int head) {
    int expected = mem.folioMapcount(head);
    if (mem.refcount[head] != expected) {
      m.reached(ModelPath.MIGRATE_HELD);
      m.vmstat.count(VmEvent.PGMIGRATE_FAIL, mem.folioNrPages(head));
      m.vmstat.count(VmEvent.THP_MIGRATION_FAIL);
      throw MmException.of(Errno.EAGAIN, "migrate_pages: the large folio at pfn %d has %s but its mappings account for %d; "
          + "someone holds it (get_user_pages or a pin), so it cannot move", head, references(mem.refcount[head]), expected);
    }
  }

  /**
   * {@link #migrateTo} for a page compaction found movable: false (counted in PGMIGRATE_FAIL) when
   * someone holds it, as migrate_folio_move's refcount check, without an exception on compaction's hot path.
   */
  private boolean tryMigrateTo(int pfn, int target) {
    if (mem.refcount[pfn] != expectedRefs(pfn)) {
      m.reached(ModelPath.MIGRATE_HELD);
      m.vmstat.count(VmEvent.PGMIGRATE_FAIL);
      return false;
    }
    migrateTo(pfn, target);
    return true;
  }

  /** Migrates the page into the free frame {@code target}, as compaction's free scanner hands it over. */
  void migrateTo(int pfn, int target) {
    checkMovable(pfn);
    mem.take(target);
    move(pfn, target);
  }

  private void checkMovable(int pfn) {
    if (mem.isFree(pfn)) {
      throw MmException.of(Errno.EINVAL, "migrate_pages: pfn %d is free; there is nothing to move", pfn);
    }
    int head = mem.folio(pfn);
    // migrate_pages_batch: a large folio the model cannot move whole is split first, as when no THP fits the target.
    if (mem.folioLarge(head) && !m.thp.splitFolio(head, false)) {
      m.vmstat.count(VmEvent.PGMIGRATE_FAIL);
      throw MmException.of(Errno.EBUSY, "migrate_pages: pfn %d lies in a large folio (pfn %d) that someone holds, so it cannot be split "
          + "to be moved", pfn, head);
    }
    if (!movable(pfn)) {
      m.reached(ModelPath.MIGRATE_UNMOVABLE);
      m.vmstat.count(VmEvent.PGMIGRATE_FAIL);
      throw MmException.of(Errno.EBUSY, "migrate_pages: pfn %d (%s) is not a movable page", pfn, PageFlags.describe(mem.flags[pfn]));
    }
    int expected = expectedRefs(pfn);
    if (mem.refcount[pfn] != expected) {
      m.reached(ModelPath.MIGRATE_HELD);
      m.vmstat.count(VmEvent.PGMIGRATE_FAIL);
      throw MmException.of(Errno.EAGAIN, "migrate_pages: pfn %d has %s but its mappings and caches account for %d; "
          + "someone holds it (get_user_pages or a pin), so it cannot move", pfn, references(mem.refcount[pfn]), expected);
    }
  }

  /**
   * try_to_migrate and remove_migration_ptes in one step: every PTE mapping {@code pfn} is told
   * to the notifiers, repointed at {@code target} with the same bits, and flushed; the page's
   * content, flags and rmap identity move with it, and the old frame is freed.
   */
  private void move(int pfn, int target) {
    List<long[]> ptes = new ArrayList<>();
    List<Vma> vmas = new ArrayList<>();
    m.rmap.walk(pfn, (v, vpn) -> {
      vmas.add(v);
      ptes.add(new long[] {vpn});
      return true;
    });
    for (int i = 0; i < vmas.size(); i++) {
      Vma v = vmas.get(i);
      long vpn = ptes.get(i)[0];
      m.notifiers.invalidate(v.mm, vpn, vpn + 1, MmuNotifierEvent.MIGRATE);
      long pte = v.mm.pgtable.get(vpn);
      v.mm.pgtable.set(vpn, Pte.make(target, pte & ((1L << Pte.PFN_SHIFT) - 1)));
      m.tlb.flush(v.mm, vpn, vpn + 1);
    }
    mem.content[target] = mem.content[pfn];
    mem.flags[target] = mem.flags[pfn];
    m.mlock.moveStranded(pfn, target);
    mem.mapping[target] = mem.mapping[pfn];
    mem.index[target] = mem.index[pfn];
    mem.mapcount[target] = mem.mapcount[pfn];
    mem.refcount[target] = mem.refcount[pfn];
    if (!mem.pageAnon(pfn) && mem.mapping[pfn] != 0) {
      m.files.get(mem.mapping[pfn]).setCached(mem.index[pfn], target);
    }
    if (mem.pageSwapCache(pfn)) {
      m.swap.moveCached(pfn, target);
    }
    mem.content[pfn] = Content.ZERO;
    mem.flags[pfn] = 0;
    mem.mapping[pfn] = 0;
    mem.mapcount[pfn] = 0;
    mem.refcount[pfn] = 1;
    m.pageAlloc.putPage(pfn);
    m.vmstat.count(VmEvent.PGMIGRATE_SUCCESS);
  }

  /**
   * move_to_new_folio and remove_migration_ptes for a whole large folio: every PTE and PMD entry
   * mapping one of its pages is repointed at the same page of the new folio (a PMD mapping stays a
   * PMD mapping, remove_migration_pmd), each mapping told once and flushed; the per-page state
   * (content, PG_anon_exclusive, mapcounts) and the folio's (anon_vma, index, order, entire
   * mapcount, pincount, refcount) move, and the old folio is freed whole.
   */
  private void moveFolio(int head, int target) {
    int nr = mem.folioNrPages(head);
    List<Vma> vmas = new ArrayList<>();
    List<long[]> leaves = new ArrayList<>();
    List<long[]> at = new ArrayList<>();
    for (int p = head; p < head + nr; p++) {
      int page = p;
      m.rmap.walkPtes(p, (v, vpn, leaf, slot) -> {
        vmas.add(v);
        leaves.add(leaf);
        at.add(new long[] {vpn, page});
        return true;
      });
    }
    for (int i = 0; i < vmas.size(); i++) {
      Vma v = vmas.get(i);
      long[] leaf = leaves.get(i);
      long vpn = at.get(i)[0];
      int slot = PageTable.slot(vpn);
      boolean pmd = PageTable.isPmd(leaf);
      long from = pmd ? PageTable.leafStart(vpn) : vpn;
      long to = pmd ? from + PageTable.PTRS_PER_TABLE : vpn + 1;
      if (!pmd || slot == 0) {
        m.notifiers.invalidate(v.mm, from, to, MmuNotifierEvent.MIGRATE);
      }
      long pte = leaf[slot];
      leaf[slot] = Pte.make(target + (int) (at.get(i)[1] - head), pte & ((1L << Pte.PFN_SHIFT) - 1));
      if (!pmd || slot == PageTable.PTRS_PER_TABLE - 1) {
        m.tlb.flush(v.mm, from, to);
      }
    }
    for (int i = 0; i < nr; i++) {
      int from = head + i;
      int to = target + i;
      mem.content[to] = mem.content[from];
      mem.content[from] = Content.ZERO;
      mem.mapcount[to] = mem.mapcount[from];
      mem.mapcount[from] = 0;
      mem.index[to] = mem.index[from];
      mem.flags[to] = mem.flags[from];
      mem.flags[from] &= PageFlags.PG_HEAD | PageFlags.PG_TAIL;
      m.mlock.moveStranded(from, to);
    }
    mem.mapping[target] = mem.mapping[head];
    mem.mapping[head] = 0;
    mem.refcount[target] = mem.refcount[head];
    mem.index[head + 2] = 0;
    mem.index[head + 3] = 0;
    mem.refcount[head] = 1;
    m.pageAlloc.putPage(head);
    m.vmstat.count(VmEvent.PGMIGRATE_SUCCESS, nr);
    m.vmstat.count(VmEvent.THP_MIGRATION_SUCCESS);
  }

  /** compact_node: {@link #compact} of every area; {migrated, failed}. */
  long[] compactNode() {
    long[] total = new long[2];
    for (int area = 0; area < 3; area++) {
      long[] r = compact(area);
      total[0] += r[0];
      total[1] += r[1];
    }
    return total;
  }

  /**
   * compact_zone over one free area: the migrate scanner walks up from the bottom, the free
   * scanner down from the top, and movable pages move up into free frames until they meet, so
   * that free memory gathers at the bottom in one run. Returns {migrated, failed}.
   */
  long[] compact(int area) {
    int lo = area == MemMap.AREA_NORMAL ? MemMap.ZERO_PFN + 1 : area == MemMap.AREA_CMA ? mem.cmaStart : mem.normalEnd;
    int hi = area == MemMap.AREA_NORMAL ? mem.cmaStart : area == MemMap.AREA_CMA ? mem.normalEnd : mem.nrFrames;
    int migrateScan = lo;
    int freeScan = hi - 1;
    long migrated = 0;
    long failed = 0;
    while (true) {
      while (migrateScan < freeScan && (mem.isFree(migrateScan) || !movable(migrateScan) || compound(migrateScan))) {
        // isolate_migratepages_block: a compound page (a THP, a hugetlb page) is skipped whole, neither moved nor failed;
        // compaction is for allocations of less than a huge page, which it already is.
        migrateScan = compound(migrateScan) ? mem.folio(migrateScan) + mem.folioNrPages(migrateScan) : migrateScan + 1;
      }
      while (freeScan > migrateScan && !mem.isFree(freeScan)) {
        freeScan--;
      }
      if (migrateScan >= freeScan) {
        break;
      }
      m.vmstat.count(VmEvent.COMPACT_MIGRATE_SCANNED);
      m.vmstat.count(VmEvent.COMPACT_FREE_SCANNED);
      if (tryMigrateTo(migrateScan, freeScan)) {
        m.vmstat.count(VmEvent.COMPACT_ISOLATED);
        migrated++;
        freeScan--;
      } else {
        failed++;
      }
      migrateScan++;
    }
    return new long[] {migrated, failed};
  }

  /** A page's reference count as a refusal says it: "1 reference", "3 references". */
  private static String references(int count) {
    return count == 1 ? "1 reference" : count + " references";
  }
}
