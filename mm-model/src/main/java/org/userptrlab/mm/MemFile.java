package org.userptrlab.mm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An in-memory file with a page cache: a regular file (its bytes live on a simulated disk and are
 * read into the page cache on a fault) or a shmem/tmpfs file (its page cache is all there is, as
 * for MAP_SHARED|MAP_ANONYMOUS memory). Its size is fixed when it is made.
 */
public final class MemFile {
  final int id;
  final String name;
  final boolean shmem;
  final long pages;
  /** Page cache: the frame holding each file page, or {@link MemMap#NONE}. */
  final int[] cache;
  /** The disk's content of each page of a regular file (null for shmem). */
  final long[] disk;
  /** i_mmap: the VMAs that map this file. */
  final List<Vma> mmaps = new ArrayList<>(2);
  /** An anonymous shared mapping's file goes away with its last mapping. */
  final boolean anonymous;

  MemFile(int id, String name, long bytes, boolean shmem, boolean anonymous) {
    this.id = id;
    this.name = name;
    this.shmem = shmem;
    this.anonymous = anonymous;
    this.pages = Page.pages(bytes);
    if (pages > Integer.MAX_VALUE) {
      throw new MmException(Errno.EINVAL, "file of " + bytes + " bytes is larger than the model's 8 TiB limit");
    }
    this.cache = new int[(int) pages];
    Arrays.fill(cache, MemMap.NONE);
    this.disk = shmem ? null : new long[(int) pages];
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
    return (shmem ? "shmem:" : "file:") + name;
  }
}
