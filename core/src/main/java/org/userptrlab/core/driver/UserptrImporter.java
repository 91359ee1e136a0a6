package org.userptrlab.core.driver;

import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.core.spi.UserptrRequest;
import org.userptrlab.core.spi.UserptrStrategy;

import com.google.inject.Inject;
import org.userptrlab.mm.Capability;
import org.userptrlab.mm.Errno;
import org.userptrlab.mm.MmException;
import org.userptrlab.mm.Page;
import org.userptrlab.mm.Process;
import org.userptrlab.mm.Vma;
import org.userptrlab.mm.VmFlags;

/**
 * The one place a userptr import is checked before the strategy sees it, in the order a DRM
 * driver's ioctl checks (and with its errnos): a refused import has changed nothing.
 */
public final class UserptrImporter {
  /** x86-64's TASK_SIZE_MAX with 4-level paging: the end of user space. */
  static final long TASK_SIZE = 0x7fff_ffff_f000L;

  private final UserptrStrategy strategy;
  private final DriverLimits limits;
  private final DriverStats stats;

  @Inject
  public UserptrImporter(UserptrStrategy strategy, DriverLimits limits, DriverStats stats) {
    this.strategy = strategy;
    this.limits = limits;
    this.stats = stats;
  }

  public UserptrStrategy strategy() {
    return strategy;
  }

  /** Checks and imports the range; a refusal is recorded in {@link DriverStats} and thrown. */
  public UserptrBacking importRange(UserptrRequest request) {
    try {
      validate(request);
      return strategy.importRange(request);
    } catch (MmException e) {
      stats.refused(e);
      throw e;
    }
  }

  void validate(UserptrRequest r) {
    Process p = r.process();
    if (r.size() <= 0) {
      throw fail(Errno.EINVAL, "userptr: size %d; the range must not be empty", r.size());
    }
    if (r.address() < 0 || r.address() + r.size() < r.address() || r.address() + r.size() > TASK_SIZE) {
      throw fail(Errno.EINVAL, "userptr: [0x%x, +0x%x) overflows or runs past the end of user space", r.address(), r.size());
    }
    if (strategy.requiresPageAlignment() && (!Page.aligned(r.address()) || !Page.aligned(r.size()))) {
      throw fail(Errno.EINVAL, "userptr: strategy %s needs a page-aligned range; 0x%x + 0x%x is not (use posix_memalign)",
          strategy.name(), r.address(), r.size());
    }
    if (r.size() > limits.maxBytes()) {
      throw fail(Errno.EINVAL, "userptr: %d bytes is over this driver's limit of %d", r.size(), limits.maxBytes());
    }
    if (limits.privilegedOnly() && !p.capable(Capability.CAP_SYS_ADMIN)) {
      throw fail(Errno.EPERM, "userptr: this driver allows userptr to privileged (CAP_SYS_ADMIN) callers only");
    }
    long next = Page.down(r.address());
    long end = r.end();
    while (next < end) {
      Vma v = p.vma(next);
      if (v == null) {
        throw fail(Errno.EFAULT, "userptr: 0x%x, inside the range, is not mapped", next);
      }
      if (v.has(VmFlags.VM_IO | VmFlags.VM_PFNMAP)) {
        throw fail(Errno.EFAULT, "userptr: 0x%x lies in device memory (VM_IO|VM_PFNMAP), which has no pages to import", next);
      }
      if (!v.has(VmFlags.VM_READ)) {
        throw fail(Errno.EFAULT, "userptr: 0x%x is not readable", next);
      }
      if (!r.readOnly() && !strategy.onlyReadsRange() && !v.has(VmFlags.VM_WRITE)) {
        throw fail(Errno.EFAULT, "userptr: 0x%x is read-only but the import lets the GPU write; pass READ_ONLY", next);
      }
      next = v.end();
    }
  }

  private static MmException fail(Errno errno, String format, Object... args) {
    return new MmException(errno, String.format(format, args));
  }
}
