package org.userptrlab.lab.scenarios;

import org.userptrlab.mm.Errno;
import org.userptrlab.mm.Foll;
import org.userptrlab.mm.Kernel;
import org.userptrlab.mm.KernelChange;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MmException;
import org.userptrlab.mm.Page;
import org.userptrlab.mm.PageRefs;
import org.userptrlab.mm.Process;

/**
 * Pages another kernel user holds, as the mm selftests take them: a pin through gup_test or io_uring
 * ({@code pin_user_pages}, {@code pin_user_pages_fast}) or a pipe that vmsplice filled with
 * references ({@code iov_iter_get_pages2}). What the holder reads through them is what the device or
 * the pipe's reader would.
 */
final class Pin {
  private final Kernel kernel;
  private final PageRefs refs;
  /** Where the range starts in its first page, and how long it is. */
  private final long offset;
  private final long len;

  private Pin(Kernel kernel, PageRefs refs, long offset, long len) {
    this.kernel = kernel;
    this.refs = refs;
    this.offset = offset;
    this.len = len;
  }

  /**
   * gup_test's PIN_LONGTERM_TEST_START (mm/gup_test.c: pin_longterm_test_start): every page of the
   * range pinned with the flags, through the slow path or GUP-fast, or none (EFAULT) if one fails.
   * The caller's FOLL_PIN is the pin itself, not a flag it passes (pin_user_pages sets it).
   */
  static Pin pin(Kernel kernel, Process p, long addr, long len, int flags, boolean fast) {
    int nr = pages(addr, len);
    int foll = flags & ~Foll.FOLL_PIN;
    PageRefs refs = fast ? kernel.pinUserPagesFast(p, addr & ~(Page.PAGE_SIZE - 1), nr, foll)
        : kernel.pinUserPages(p, addr & ~(Page.PAGE_SIZE - 1), nr, foll);
    return whole(kernel, refs, addr, len, nr, fast ? "pin_user_pages_fast" : "pin_user_pages");
  }

  /**
   * io_uring_register_buffers (io_uring/rsrc.c: io_sqe_buffer_register): the range pinned through
   * GUP-fast for writing, long-term, then charged to pinned_vm (io_buffer_account_pin), or unpinned
   * again if that is over RLIMIT_MEMLOCK; ENOSYS before io_uring (5.1).
   */
  static Pin iouring(Kernel kernel, KernelConfig config, Process p, long addr, long len) {
    iouringSetup(config);
    Pin pin = pin(kernel, p, addr, len, Foll.FOLL_WRITE | Foll.FOLL_LONGTERM, true);
    // io_pin_pages before 6.5: "don't support file backed memory", checked on the VMAs once the pages are pinned.
    if (!config.has(KernelChange.IO_URING_GUP_FILE_CHECK)) {
      for (long at = addr & ~(Page.PAGE_SIZE - 1); at < addr + len; at += Page.PAGE_SIZE) {
        org.userptrlab.mm.Vma v = p.vma(at);
        if (v != null && v.file() != null && v.file().needsWriteback()) {
          pin.refs.release();
          throw new MmException(Errno.EOPNOTSUPP, "io_uring_register: the buffer at 0x" + Long.toHexString(at)
              + " is in a mapping of " + v.file().name() + ", and io_uring takes no file-backed buffer but shmem's");
        }
      }
    }
    try {
      kernel.accountPinnedVmByFolio(p, pin.refs);
    } catch (MmException e) {
      pin.refs.release();
      throw e;
    }
    return pin;
  }

  /** io_uring_setup(2): a ring, or ENOSYS on a kernel before io_uring. The ring itself holds nothing the model follows. */
  static void iouringSetup(KernelConfig config) {
    if (!config.has(KernelChange.IO_URING)) {
      throw new MmException(Errno.ENOSYS, "io_uring_setup: this kernel has no io_uring (5.1)");
    }
  }

  /**
   * vmsplice(2) of the range into a pipe (fs/splice.c: vmsplice_to_pipe -> iter_to_pipe): plain
   * references through GUP-fast without FOLL_WRITE, so a page shared after fork is taken as it is,
   * not unshared first. A pipe takes the whole range here or fails.
   */
  static Pin vmsplice(Kernel kernel, Process p, long addr, long len) {
    int nr = pages(addr, len);
    return whole(kernel, kernel.getUserPagesFast(p, addr & ~(Page.PAGE_SIZE - 1), nr, 0), addr, len, nr, "vmsplice");
  }

  private static int pages(long addr, long len) {
    if (len <= 0) {
      throw new MmException(Errno.EINVAL, "a pin of " + len + " bytes: the range must hold at least one byte");
    }
    long first = addr >>> Page.PAGE_SHIFT;
    long last = (addr + len - 1) >>> Page.PAGE_SHIFT;
    if (last - first + 1 > Integer.MAX_VALUE) {
      throw new MmException(Errno.EINVAL, "a pin of " + len + " bytes: more pages than one call takes");
    }
    return (int) (last - first + 1);
  }

  private static Pin whole(Kernel kernel, PageRefs refs, long addr, long len, int nr, String call) {
    if (refs.size() != nr) {
      refs.release();
      throw new MmException(Errno.EFAULT, String.format("%s took %d of the %d pages from 0x%x; page %d could not be taken",
          call, refs.size(), nr, addr, refs.size()));
    }
    return new Pin(kernel, refs, addr & (Page.PAGE_SIZE - 1), len);
  }

  /** Whether the held pages carry the seed's stream over the range (gup_test's PIN_LONGTERM_TEST_READ, a read of the pipe). */
  boolean sees(long seed) {
    if (refs.released()) {
      throw new MmException(Errno.EINVAL, "the pin was released; nothing is held to read");
    }
    return kernel.dmaMatches(refs.pfns(), offset, len, seed, 0);
  }

  /** unpin_user_pages, or the pipe's buffers released when it is closed; once. */
  void release() {
    if (refs.released()) {
      throw new MmException(Errno.EINVAL, "the pin was released already");
    }
    refs.release();
  }
}
