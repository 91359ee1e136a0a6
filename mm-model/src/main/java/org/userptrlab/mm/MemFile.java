package org.userptrlab.mm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An in-memory file with a page cache: a regular file (its bytes live on a simulated disk and are
 * read into the page cache on a fault) or a shmem/tmpfs file (its page cache is all there is, as
 * for MAP_SHARED|MAP_ANONYMOUS memory). Its size is set when it is made and changed by truncate.
 */
public final class MemFile {
  /** Where a file lives, which decides whether its pages are written back and how it may be mapped and pinned. */
  public enum Kind {
    /** A regular file of a disk file system (ext4, xfs): dirty pages are written back to its blocks. */
    DISK,
    /** A file on tmpfs: shmem, its pages go to swap, never written back. */
    TMPFS,
    /** memfd_create(2): a shmem file that no directory names. */
    MEMFD,
    /** A shmem file of the kernel's own: shared anonymous memory (shmem_zero_setup) or a GEM object (shmem_file_setup). */
    SHMEM_INTERNAL,
    /** A hugetlbfs file: memfd_create with MFD_HUGETLB, or MAP_HUGETLB's own (hugetlb_file_setup); its pages are huge pages of a pool. */
    HUGETLBFS
  }

  final int id;
  final String name;
  final Kind kind;
  /** Whether the file is shmem (no writeback): every kind but {@link Kind#DISK}. */
  final boolean shmem;
  /** i_size in pages: a fault at or past it is SIGBUS. */
  long pages;
  /**
   * Page cache: the frame holding each file page, or {@link MemMap#NONE}; grown as pages come in,
   * so that a large sparse file (a 1 TiB GEM object) costs nothing until it is used.
   */
  private int[] cache = new int[0];
  /** The disk's content token of each page of a regular file written so far (shmem has no disk). */
  private long[] disk = new long[0];
  /** i_mmap: the VMAs that map this file. */
  final List<Vma> mmaps = new ArrayList<>(2);
  /** The order of a hugetlbfs file's huge pages (9 or 18), 0 for any other file; its page cache holds each at its first page. */
  int hugetlbOrder;
  /** The huge pages of a hugetlbfs file reserved by a shared mapping or allocated (the inode's resv_map), by huge page index. */
  final java.util.BitSet hugetlbResv = new java.util.BitSet();
  /** An anonymous shared mapping's file goes away with its last mapping. */
  final boolean anonymous;

  MemFile(int id, String name, long bytes, Kind kind, boolean anonymous) {
    this.id = id;
    this.name = name;
    this.kind = kind;
    this.shmem = kind != Kind.DISK;
    this.anonymous = anonymous;
    this.pages = Page.pages(bytes);
  }

  /** Checks a file size as shmem_file_setup does (MAX_LFS_FILESIZE), and the model's page index. */
  static void checkSize(String what, long bytes) {
    if (bytes < 0 || Page.pages(bytes) > Integer.MAX_VALUE) {
      throw MmException.of(Errno.EINVAL, "%s: size %d must be between 0 and 8 TiB (a page index is an int in the model)",
          what, bytes);
    }
  }

  /** The frame caching file page {@code page}, or {@link MemMap#NONE}. */
  int cached(int page) {
    return page < cache.length ? cache[page] : MemMap.NONE;
  }

  void setCached(int page, int pfn) {
    if (page >= cache.length) {
      int old = cache.length;
      // Doubling from 16 (or the file's size): a file read page by page does not grow its cache one page at a time.
      cache = Arrays.copyOf(cache, (int) Math.max(page + 1L, Math.min(pages, Math.max(16L, 2L * old))));
      Arrays.fill(cache, old, cache.length, MemMap.NONE);
    }
    cache[page] = pfn;
  }

  /** Pages below this may be cached; none at or above it is. */
  int cacheSpan() {
    return cache.length;
  }

  /** The disk's content token of page {@code page} (a page never written reads as zeros). */
  long diskToken(int page) {
    return page < disk.length ? disk[page] : Content.ZERO;
  }

  /** The file's disk blocks from page {@code from} on are gone (truncate, a punched hole): they read as zeros again. */
  void dropDiskTokens(Content content, int from, int to) {
    for (int page = from; page < Math.min(to, disk.length); page++) {
      content.release(disk[page]);
      disk[page] = Content.ZERO;
    }
  }

  void setDiskToken(int page, long token) {
    if (page >= disk.length) {
      disk = Arrays.copyOf(disk, (int) Math.max(page + 1L, Math.min(pages, 2L * disk.length)));
    }
    disk[page] = token;
  }

  /** Every disk token, for the checker's count of exact pages. */
  long[] diskTokens() {
    return disk;
  }

  /** A hash of what is cached and on disk, blind to how far the arrays have grown. */
  int contentHash() {
    int h = 0;
    for (int page = 0; page < cache.length; page++) {
      if (cache[page] != MemMap.NONE) {
        h = h * 31 + page * 17 + cache[page];
      }
    }
    for (int page = 0; page < disk.length; page++) {
      if (disk[page] != Content.ZERO) {
        h = h * 31 + page * 13 + Long.hashCode(disk[page]);
      }
    }
    return h;
  }

  public String name() {
    return name;
  }

  public long size() {
    return pages << Page.PAGE_SHIFT;
  }

  public boolean isShmem() {
    return shmem;
  }

  public Kind kind() {
    return kind;
  }

  /** Whether dirty pages of the file must be written back: what writable_file_mapping_allowed asks. */
  public boolean needsWriteback() {
    return kind == Kind.DISK;
  }

  /** Pages of this file now in the page cache. */
  public int cachedPages() {
    int n = 0;
    for (int pfn : cache) {
      if (pfn != MemMap.NONE) {
        n++;
      }
    }
    return n;
  }

  @Override
  public String toString() {
    return (kind == Kind.DISK ? "file:" : kind == Kind.MEMFD ? "memfd:" : kind == Kind.HUGETLBFS ? "hugetlbfs:" : "shmem:") + name;
  }
}
