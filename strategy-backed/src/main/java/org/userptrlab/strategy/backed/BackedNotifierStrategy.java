package org.userptrlab.strategy.backed;

import org.userptrlab.mm.KernelConfig;
import org.userptrlab.core.spi.ImportNote;
import com.google.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.userptrlab.mm.KernelChange;
import org.userptrlab.core.spi.Contract;
import org.userptrlab.core.support.FixedLease;
import org.userptrlab.core.spi.GpuAccess;
import org.userptrlab.core.spi.GpuLease;
import org.userptrlab.core.support.KernelStrategy;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.core.spi.UserptrRequest;
import org.userptrlab.mm.Errno;
import org.userptrlab.mm.Kernel;
import org.userptrlab.mm.MmException;
import org.userptrlab.mm.MmuIntervalNotifier;
import org.userptrlab.mm.MmuNotifierRange;
import org.userptrlab.mm.Process;

/**
 * No long-term pin at all: the object mirrors the range through an MMU interval notifier, as
 * i915, amdgpu (HMM) and xe do. Each GPU job takes the range's pages with the sequence-count
 * retry loop (mmu_interval_read_begin, hmm_range_fault, mmu_interval_read_retry); an
 * invalidation drops the GPU's mapping and the next job faults the pages in again. Jobs here run
 * to completion inside one call, so an invalidation never has to wait for one.
 */
public final class BackedNotifierStrategy extends KernelStrategy {
  public static final String NAME = "backed-notifier";
  static final int MAX_RETRIES = 16;

  @Inject
  BackedNotifierStrategy(Kernel kernel, KernelConfig kernelConfig) {
    super(NAME, Contract.COHERENT, kernel, kernelConfig);
  }

  /** A mirror takes no reference: swap-out invalidates it (mmu_interval_notifier), nothing is held. */
  @Override
  public boolean holdsPages() {
    return false;
  }

  @Override
  public Optional<String> standsFor() {
    if (kernelConfig.has(KernelChange.INTERVAL_NOTIFIER)) {
      return Optional.empty();
    }
    return Optional.of(String.format("no mmu_interval_notifier before %s (%s) nor hmm_range_fault: backed-notifier stands for "
        + "what i915 userptr did then, a whole-mm mmu_notifier whose invalidate_range_start walks the driver's own interval "
        + "tree, and get_user_pages for each job", KernelChange.INTERVAL_NOTIFIER.release(), KernelChange.INTERVAL_NOTIFIER.commit()));
  }

  @Override
  public UserptrBacking importRange(UserptrRequest r) {
    return new Mirror(kernel, r);
  }

  /** The object: the mirror's state and its notifier subscription. */
  static final class Mirror implements UserptrBacking {
    private final Kernel kernel;
    private final Process p;
    private final UserptrRequest r;
    private final MmuIntervalNotifier sub;
    private int[] pfns;
    private long invalidations;

    Mirror(Kernel kernel, UserptrRequest r) {
      this.kernel = kernel;
      this.p = r.process();
      this.r = r;
      this.sub = kernel.mmuIntervalNotifierInsert(p, r.firstPage(), (long) r.pageCount() << 12, this::invalidate);
    }

    /** The invalidate callback: the GPU's mapping of the range is gone until the next job rebuilds it. */
    private boolean invalidate(MmuIntervalNotifier s, MmuNotifierRange range, long curSeq) {
      s.setSeq(curSeq);
      pfns = null;
      invalidations++;
      return true;
    }

    @Override
    public long size() {
      return r.size();
    }

    @Override
    public GpuLease pin(GpuAccess access) {
      if (!p.alive()) {
        throw new MmException(Errno.EFAULT, "GPU job: the process that owned the mirrored range has exited");
      }
      for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
        if (pfns != null) {
          break;
        }
        long seq = sub.readBegin();
        int[] got = kernel.hmmRangeFault(p, r.firstPage(), r.pageCount(), !r.readOnly());
        if (!sub.readRetry(seq)) {
          pfns = got;
        }
      }
      if (pfns == null) {
        throw new MmException(Errno.EAGAIN, "GPU job: the range kept being invalidated while it was faulted in");
      }
      int[] job = pfns;
      return new FixedLease(job, r.offsetInPage(), r.size(), wrote -> {
        if (wrote) {
          kernel.setPagesDirty(job);
        }
      });
    }

    @Override
    public void release() {
      sub.remove();
    }

    @Override
    public List<ImportNote> notes() {
      return invalidations == 0 ? List.of() : List.of(new ImportNote(ImportNote.Kind.MIRROR_INVALIDATED, invalidations + " invalidations of the mirror"));
    }
  }
}
