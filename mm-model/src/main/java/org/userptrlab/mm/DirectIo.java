package org.userptrlab.mm;

/**
 * read(2) of a file opened O_DIRECT (fs/iomap/direct-io.c: iomap_dio_rw; block/bio.c:
 * bio_iov_iter_get_pages): the block layer takes the user pages for the device to write into
 * (FOLL_WRITE, short-term), the disk's bytes land in them by DMA, and the pages are let go, marked
 * dirty, when the I/O completes. Since 6.3 it pins them (FOLL_PIN); before, it took plain references.
 */
final class DirectIo {
  /** The logical block size the model's disk has: buffer, length and file offset must be multiples of it. */
  static final int BLOCK = 512;
  private final Machine m;

  DirectIo(Machine m) {
    this.m = m;
  }

  /** Reads up to {@code len} bytes from the start of {@code f} into [addr, addr + len); the bytes read (fewer at its end). */
  long read(Process p, MemFile f, long addr, long len) {
    if (!f.needsWriteback()) {
      return readShmem(p, f, addr, len);
    }
    if (len < 0 || addr % BLOCK != 0 || len % BLOCK != 0) {
      // iomap_dio_bio_iter: a position, length or buffer not aligned to the logical block size is EINVAL.
      throw MmException.of(Errno.EINVAL, "read(O_DIRECT): buffer 0x%x and length %d must be multiples of the %d-byte logical block",
          addr, len, BLOCK);
    }
    long n = Math.min(len, f.size());
    if (n == 0) {
      return 0;
    }
    writeBack(f, Page.pages(n));
    long first = Page.down(addr);
    int pages = (int) ((Page.align(addr + n) - first) >>> Page.PAGE_SHIFT);
    int flags = Foll.FOLL_WRITE | (m.kernelConfig.has(KernelChange.DIO_PIN) ? Foll.FOLL_PIN : Foll.FOLL_GET);
    PageRefs refs = m.gup.get(p, first, pages, flags, true);
    // A short count from get_user_pages is a short read: the bio carries what was taken.
    long done = Math.min(n, ((long) refs.size() << Page.PAGE_SHIFT) - (addr - first));
    for (long at = 0; at < done; ) {
      long d = addr + at;
      int dOff = Page.offset(d);
      int sOff = Page.offset(at);
      int chunk = (int) Math.min(done - at, Math.min(Page.PAGE_SIZE - dOff, Page.PAGE_SIZE - sOff));
      int pfn = refs.pfns[(int) ((d - first) >>> Page.PAGE_SHIFT)];
      m.mem.content[pfn] = m.content.copyBytes(m.mem.content[pfn], dOff, f.diskToken((int) (at >>> Page.PAGE_SHIFT)), sOff, chunk);
      at += chunk;
    }
    // bio_release_pages(bio, true) for a read: each page dirtied, then unpinned (or put).
    refs.releaseDirty();
    return done;
  }

  /**
   * O_DIRECT on tmpfs: refused at open before 6.6; from 6.6 (e88e0d366f9c, "tmpfs: trivial support for
   * direct IO") shmem_file_read_iter copies from the page cache as a buffered read does, at any alignment,
   * and takes no page of the program's for the I/O.
   */
  private long readShmem(Process p, MemFile f, long addr, long len) {
    if (!m.kernelConfig.has(KernelChange.TMPFS_DIRECT_IO)) {
      throw MmException.of(Errno.EINVAL, "open(O_DIRECT): %s is on tmpfs, which takes direct I/O from 6.6", f);
    }
    if (len < 0) {
      throw MmException.of(Errno.EINVAL, "read(O_DIRECT): a length of %d", len);
    }
    long n = Math.min(len, f.size());
    if (n == 0) {
      return 0;
    }
    PageRefs pages = m.kernel().shmemGetPages(f);
    try {
      m.kernel().copyToUser(p, addr, pages.pfns(), 0, n);
    } finally {
      pages.release();
    }
    return n;
  }

  /** filemap_write_and_wait_range: dirty page-cache pages of the range reach the disk before the device reads it. */
  private void writeBack(MemFile f, long pages) {
    int end = (int) Math.min(pages, f.cacheSpan());
    for (int page = 0; page < end; page++) {
      int pfn = f.cached(page);
      if (pfn != MemMap.NONE && m.mem.pageDirty(pfn)) {
        m.content.release(f.diskToken(page));
        f.setDiskToken(page, m.content.duplicate(m.mem.content[pfn]));
        m.mem.flags[pfn] &= ~PageFlags.PG_DIRTY;
      }
    }
  }
}
