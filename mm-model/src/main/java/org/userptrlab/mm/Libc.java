package org.userptrlab.mm;

import java.util.Map;
import java.util.TreeMap;

/**
 * A process's C library allocator, shaped like glibc's malloc so that malloc/free/reuse scenarios
 * behave as they do in C: chunks with a 16-byte header whose size word is written into the
 * process's memory before the pointer (and read back by free, which aborts if it was clobbered);
 * requests from M_MMAP_THRESHOLD (128 KiB, raised dynamically up to 32 MiB when an mmapped chunk
 * is freed) get their own mapping, so their pointer sits 16 bytes into a page; smaller ones come
 * from the brk heap, first fit, coalesced on free, grown by at least M_TOP_PAD and trimmed past
 * M_TRIM_THRESHOLD. Unlike glibc there is no fallback to mmap when brk cannot grow: malloc returns 0.
 */
public final class Libc {
  static final long SIZE_SZ = 8;
  static final long MALLOC_ALIGNMENT = 16;
  static final long MINSIZE = 32;
  static final long PREV_INUSE = 1;
  static final long IS_MMAPPED = 2;
  static final long DEFAULT_MMAP_THRESHOLD = 128 << 10;
  static final long DEFAULT_MMAP_THRESHOLD_MAX = 32L << 20;
  static final long DEFAULT_TOP_PAD = 128 << 10;
  /** tcache_perthread_struct of glibc 2.30+: 64 two-byte counts and 64 pointers, as a chunk. */
  static final long TCACHE_CHUNK = request2size(64 * 2 + 64 * 8);

  private final Process p;
  private long mmapThreshold = DEFAULT_MMAP_THRESHOLD;
  private long trimThreshold = DEFAULT_MMAP_THRESHOLD;
  private boolean dynamicThreshold = true;
  private long heapStart;
  private long top;
  private long heapEnd;
  /** Free heap chunks: start to size. */
  private final TreeMap<Long, Long> free = new TreeMap<>();
  /** Blocks handed out: user pointer to {chunk start, chunk size, mapping start or -1, mapping length}. */
  private final TreeMap<Long, long[]> used = new TreeMap<>();
  private long carved;
  private boolean tcache;

  Libc(Process p) {
    this.p = p;
  }

  Libc copyFor(Process child) {
    Libc c = new Libc(child);
    c.mmapThreshold = mmapThreshold;
    c.trimThreshold = trimThreshold;
    c.dynamicThreshold = dynamicThreshold;
    c.tcache = tcache;
    c.heapStart = heapStart;
    c.top = top;
    c.heapEnd = heapEnd;
    c.free.putAll(free);
    for (Map.Entry<Long, long[]> e : used.entrySet()) {
      c.used.put(e.getKey(), e.getValue().clone());
    }
    return c;
  }

  /** mallopt(M_MMAP_THRESHOLD, bytes): fixes the threshold and turns the dynamic adjustment off. */
  public void setMmapThreshold(long bytes) {
    if (bytes < 0 || bytes > DEFAULT_MMAP_THRESHOLD_MAX) {
      throw MmException.of(Errno.EINVAL, "M_MMAP_THRESHOLD must be 0..%d, got %d", DEFAULT_MMAP_THRESHOLD_MAX, bytes);
    }
    mmapThreshold = bytes;
    dynamicThreshold = false;
  }

  public long mmapThreshold() {
    return mmapThreshold;
  }

  /** Bytes of brk heap the allocator holds (mallinfo's arena). */
  public long heapBytes() {
    return heapEnd - heapStart;
  }

  /** Blocks allocated and not yet freed. */
  public int blocksInUse() {
    return used.size();
  }

  /** Whether {@code ptr}'s block lives in its own mapping. */
  public boolean isMmapped(long ptr) {
    long[] b = used.get(ptr);
    return b != null && b[2] >= 0;
  }

  /** The usable size of the block at {@code ptr} (malloc_usable_size). */
  public long usableSize(long ptr) {
    long[] b = used.get(ptr);
    if (b == null) {
      throw MmException.of(Errno.EINVAL, "0x%x is not a block this allocator handed out", ptr);
    }
    return b[1] - 2 * SIZE_SZ + (b[2] >= 0 ? 0 : SIZE_SZ);
  }

  /** request2size. */
  private static long request2size(long req) {
    long nb = (req + SIZE_SZ + MALLOC_ALIGNMENT - 1) & -MALLOC_ALIGNMENT;
    return Math.max(nb, MINSIZE);
  }

  long malloc(long size) {
    if (size < 0 || size > Mm.TASK_SIZE) {
      return 0;
    }
    if (!tcache) {
      // MAYBE_INIT_TCACHE in __libc_malloc: the first malloc of any size takes the thread's cache
      // from the brk heap (tcache_init), so the heap exists and its first chunk is the cache.
      tcache = true;
      long chunk = heapChunk(TCACHE_CHUNK);
      if (chunk >= 0) {
        p.storeLong(chunk + SIZE_SZ, carved | PREV_INUSE);
      }
    }
    long nb = request2size(size);
    if (nb >= mmapThreshold) {
      return mmapChunk(nb, MALLOC_ALIGNMENT);
    }
    long chunk = heapChunk(nb);
    return chunk < 0 ? 0 : handOut(chunk, carved, -1, 0);
  }

  long memalign(long alignment, long size) {
    if (alignment < SIZE_SZ || Long.bitCount(alignment) != 1) {
      throw MmException.of(Errno.EINVAL, "posix_memalign: alignment %d is not a power of two multiple of sizeof(void *)", alignment);
    }
    if (size < 0 || size > Mm.TASK_SIZE) {
      return 0;
    }
    if (alignment <= MALLOC_ALIGNMENT) {
      return malloc(size);
    }
    long nb = request2size(size);
    if (nb + alignment >= mmapThreshold) {
      return mmapChunk(nb, alignment);
    }
    long total = nb + alignment + MINSIZE;
    long chunk = heapChunk(total);
    if (chunk < 0) {
      return 0;
    }
    total = carved;
    long ptr = (chunk + 2 * SIZE_SZ + alignment - 1) & -alignment;
    if (ptr - 2 * SIZE_SZ - chunk > 0 && ptr - 2 * SIZE_SZ - chunk < MINSIZE) {
      ptr += alignment;
    }
    long lead = ptr - 2 * SIZE_SZ - chunk;
    if (lead > 0) {
      release(chunk, lead);
    }
    return handOut(ptr - 2 * SIZE_SZ, total - lead, -1, 0);
  }

  /** sysmalloc's mmap path: the chunk header at the start of its own mapping, or at an aligned spot in it. */
  private long mmapChunk(long nb, long alignment) {
    long mapLen = Page.align(nb + SIZE_SZ + (alignment > MALLOC_ALIGNMENT ? alignment : 0));
    long start;
    try {
      start = p.mmap(0, mapLen, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
    } catch (MmException e) {
      return 0;
    }
    long ptr = (start + 2 * SIZE_SZ + alignment - 1) & -alignment;
    long chunk = ptr - 2 * SIZE_SZ;
    p.storeLong(chunk, chunk - start);
    return handOut(chunk, start + mapLen - chunk, start, mapLen);
  }

  private long handOut(long chunk, long size, long mapStart, long mapLen) {
    long ptr = chunk + 2 * SIZE_SZ;
    p.storeLong(ptr - SIZE_SZ, size | (mapStart >= 0 ? IS_MMAPPED : PREV_INUSE));
    used.put(ptr, new long[] {chunk, size, mapStart, mapLen});
    return ptr;
  }

  /**
   * A heap chunk of at least {@code nb} bytes: first fit among free chunks, else carved from the
   * top, growing the heap with brk; its size is left in {@link #carved}. -1 when the heap cannot grow.
   */
  private long heapChunk(long nb) {
    for (Map.Entry<Long, Long> e : free.entrySet()) {
      if (e.getValue() >= nb) {
        long start = e.getKey();
        long size = e.getValue();
        free.remove(start);
        if (size - nb >= MINSIZE) {
          free.put(start + nb, size - nb);
          carved = nb;
        } else {
          carved = size;
        }
        return start;
      }
    }
    if (heapEnd == 0) {
      heapStart = top = heapEnd = (p.brk(0) + MALLOC_ALIGNMENT - 1) & -MALLOC_ALIGNMENT;
    }
    if (top + nb + MINSIZE > heapEnd) {
      long want = Page.align(top + nb + MINSIZE + DEFAULT_TOP_PAD);
      if (p.brk(want) != want) {
        return -1;
      }
      heapEnd = want;
    }
    long chunk = top;
    top += nb;
    carved = nb;
    // _int_malloc's use_top: set_head (remainder, remainder_size | PREV_INUSE), the new top's size
    // word just past the chunk, on a page of its own when the chunk ends near a page's end.
    p.storeLong(top + SIZE_SZ, (heapEnd - top) | PREV_INUSE);
    return chunk;
  }

  void free(long ptr) {
    if (ptr == 0) {
      return;
    }
    long[] b = used.get(ptr);
    if (b == null) {
      throw new SignalException(SignalException.Kind.ABORT, ptr, "free(): invalid pointer (not a block malloc handed out, or freed twice)");
    }
    long word = p.loadLong(ptr - SIZE_SZ);
    boolean mmapped = b[2] >= 0;
    if ((word & ~7L) != b[1] || ((word & IS_MMAPPED) != 0) != mmapped) {
      throw new SignalException(SignalException.Kind.ABORT, ptr,
          String.format("free(): invalid size: the chunk header before the block reads 0x%x, malloc wrote 0x%x; "
              + "something overwrote or unmapped the bytes just before the buffer", word, b[1] | (mmapped ? IS_MMAPPED : PREV_INUSE)));
    }
    used.remove(ptr);
    if (mmapped) {
      // munmap_chunk, then the dynamic threshold of _int_free: a freed mmapped chunk raises it.
      long offset = p.loadLong(b[0]);
      p.munmap(b[0] - offset, b[3]);
      if (dynamicThreshold && b[1] > mmapThreshold && b[1] <= DEFAULT_MMAP_THRESHOLD_MAX) {
        mmapThreshold = b[1];
        trimThreshold = 2 * mmapThreshold;
      }
      return;
    }
    release(b[0], b[1]);
  }

  /** Puts a heap chunk on the free list, coalescing with free neighbours and the top; trims the heap (systrim). */
  private void release(long chunk, long size) {
    Map.Entry<Long, Long> before = free.lowerEntry(chunk);
    if (before != null && before.getKey() + before.getValue() == chunk) {
      free.remove(before.getKey());
      chunk = before.getKey();
      size += before.getValue();
    }
    Long after = free.get(chunk + size);
    if (after != null) {
      free.remove(chunk + size);
      size += after;
    }
    if (chunk + size == top) {
      top = chunk;
      if (heapEnd - top >= trimThreshold + DEFAULT_TOP_PAD) {
        long want = Page.align(top + DEFAULT_TOP_PAD);
        if (want < heapEnd && p.brk(want) == want) {
          heapEnd = want;
        }
      }
      return;
    }
    free.put(chunk, size);
  }
}
