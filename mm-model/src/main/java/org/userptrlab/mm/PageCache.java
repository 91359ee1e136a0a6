package org.userptrlab.mm;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** The files of a machine and their page caches: mm/filemap.c and mm/shmem.c, reduced to what mappings need. */
final class PageCache {
  private final MemMap mem;
  private final Content content;
  private final PageAlloc pageAlloc;
  private final VmStat vmstat;
  private final Map<Integer, MemFile> files = new TreeMap<>();
  private int nextId = 1;
  /** hugetlb_unreserve_pages when a hugetlbfs file goes: what it reserved and never allocated goes back to the pool. */
  private final java.util.function.Consumer<MemFile> hugetlbRelease;

  PageCache(MemMap mem, Content content, PageAlloc pageAlloc, VmStat vmstat, java.util.function.Consumer<MemFile> hugetlbRelease) {
    this.hugetlbRelease = hugetlbRelease;
    this.mem = mem;
    this.content = content;
    this.pageAlloc = pageAlloc;
    this.vmstat = vmstat;
  }

  MemFile create(String name, long bytes, MemFile.Kind kind, boolean anonymous) {
    String call = kind == MemFile.Kind.DISK ? "create file" : kind == MemFile.Kind.MEMFD ? "ftruncate" : "shmem_file_setup";
    MemFile.checkSize(call, bytes);
    MemFile f = new MemFile(nextId++, name, bytes, kind, anonymous);
    files.put(f.id, f);
    return f;
  }

  MemFile get(int id) {
    return files.get(id);
  }

  Collection<MemFile> all() {
    return files.values();
  }

  /** filemap_fault / shmem_fault: the page-cache frame of file page {@code page}, read in if absent. */
  int filemapFault(MemFile f, int page) {
    int pfn = f.cached(page);
    if (pfn != MemMap.NONE) {
      return pfn;
    }
    pfn = readIn(f, page);
    if (!f.shmem) {
      vmstat.count(VmEvent.PGMAJFAULT);
    }
    return pfn;
  }

  /** page_cache_ra_unbounded for one page of a disk file: read into the page cache if it is not there, mapped by no one. */
  void readahead(MemFile f, int page) {
    if (f.cached(page) == MemMap.NONE) {
      readIn(f, page);
    }
  }

  /** A new page-cache frame for file page {@code page}: a shmem page cleared, a disk file's read from the disk. */
  private int readIn(MemFile f, int page) {
    int pfn = pageAlloc.allocUserPage(Gfp.HIGHUSER_MOVABLE);
    if (f.shmem) {
      // shmem_get_folio: a new shmem page is cleared (clear_highpage).
      mem.flags[pfn] = (short) (PageFlags.PG_LRU | PageFlags.PG_SWAPBACKED);
      vmstat.count(VmEvent.ZERO_FILL);
    } else {
      mem.flags[pfn] = PageFlags.PG_LRU;
      mem.content[pfn] = content.duplicate(f.diskToken(page));
    }
    mem.mapping[pfn] = f.id;
    mem.index[pfn] = page;
    f.setCached(page, pfn);
    vmstat.count(VmEvent.PAGECACHE_ADDED);
    return pfn;
  }

  /** The page leaves the page cache (truncate, eviction): written back if dirty, the cache's reference dropped. */
  void deleteFromPageCache(MemFile f, int page) {
    int pfn = f.cached(page);
    if (!f.shmem && mem.pageDirty(pfn)) {
      content.release(f.diskToken(page));
      f.setDiskToken(page, content.duplicate(mem.content[pfn]));
    }
    f.setCached(page, MemMap.NONE);
    vmstat.count(VmEvent.PAGECACHE_REMOVED);
    mem.mapping[pfn] = 0;
    mem.flags[pfn] &= ~(PageFlags.PG_DIRTY | PageFlags.PG_LRU);
    pageAlloc.putPage(pfn);
  }

  /**
   * read_mapping_page for every page of {@code f}: each page cached (read in if need be) and one
   * reference taken on it; a failure part way gives back the references taken (the pages stay cached).
   */
  int[] readMappingPages(MemFile f) {
    int[] pfns = new int[(int) f.pages];
    int taken = 0;
    try {
      for (; taken < pfns.length; taken++) {
        pfns[taken] = filemapFault(f, taken);
        mem.refcount[pfns[taken]]++;
      }
    } catch (MmException e) {
      for (int i = 0; i < taken; i++) {
        pageAlloc.putPage(pfns[i]);
      }
      throw e;
    }
    return pfns;
  }

  /** The file is closed for good: its page cache is dropped (pages someone holds live on), and it leaves the table. */
  void release(MemFile f) {
    if (!f.mmaps.isEmpty()) {
      throw MmException.of(Errno.EBUSY, "%s is still mapped by %d VMAs", f, f.mmaps.size());
    }
    dropAll(f);
  }

  /** The last mapping of an anonymous shared mapping's shmem file is gone: the file goes with it. */
  void unmapped(MemFile f) {
    if (f.anonymous && f.mmaps.isEmpty()) {
      dropAll(f);
    }
  }

  /** The file goes: its page cache dropped (pages someone holds live on), a hugetlbfs file's reservations returned. */
  private void dropAll(MemFile f) {
    if (f.hugetlbOrder != 0) {
      hugetlbRelease.accept(f);
    }
    for (int page = 0; page < f.cacheSpan(); page++) {
      if (f.cached(page) != MemMap.NONE) {
        deleteFromPageCache(f, page);
      }
    }
    files.remove(f.id);
  }
}
