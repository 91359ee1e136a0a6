package org.userptrlab.strategy.backed;

import org.userptrlab.mm.KernelConfig;
import org.userptrlab.core.spi.ImportNote;
import com.google.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.userptrlab.mm.KernelChange;
import org.userptrlab.core.spi.Contract;
import org.userptrlab.core.driver.DriverStats;
import org.userptrlab.core.spi.GpuAccess;
import org.userptrlab.core.spi.GpuLease;
import org.userptrlab.core.support.KernelStrategy;
import org.userptrlab.core.support.MirrorLease;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.core.spi.UserptrRequest;
import org.userptrlab.mm.Errno;
import org.userptrlab.mm.Kernel;
import org.userptrlab.mm.MmException;
import org.userptrlab.mm.MmuIntervalNotifier;
import org.userptrlab.mm.MmuNotifierRange;
import org.userptrlab.mm.Process;
import org.userptrlab.core.cost.Parameter;
import org.userptrlab.core.spi.PendingPin;
import org.userptrlab.core.time.DmaFence;
import org.userptrlab.core.time.DmaResv;
import org.userptrlab.core.time.SpanKind;
import org.userptrlab.core.time.VirtualClock;

/**
 * No long-term pin at all: the object mirrors the range through an MMU interval notifier, as
 * i915, amdgpu (HMM) and xe do. Each GPU job takes the range's pages with the sequence-count
 * retry loop (mmu_interval_read_begin, hmm_range_fault, mmu_interval_read_retry); an
 * invalidation drops the GPU's mapping, and what it does about a job still running on the pages is
 * the {@link NotifierPolicy}: wait for it (i915, amdgpu graphics) or preempt it (xe long-running).
 */
public final class BackedNotifierStrategy extends KernelStrategy {
  public static final String NAME = "backed-notifier";
  /**
   * How many times in a row the model lets a commit find the pages stale before it gives up (EBUSY):
   * the kernel's drivers retry for HMM_RANGE_DEFAULT_TIMEOUT, which the model's attempts, each taking
   * microseconds, would take hundreds of thousands of to reach.
   */
  static final int MAX_RETRIES = 16;
  /** The lock the invalidate callback and the commit take (i915->mm.notifier_lock), as lockdep names its class. */
  static final String NOTIFIER_LOCK = "&i915->mm.notifier_lock";
  /** HMM_RANGE_DEFAULT_TIMEOUT (include/linux/hmm.h): 1000 ms of retries before a driver gives up with -EBUSY. */
  static final long HMM_RANGE_DEFAULT_TIMEOUT_NS = 1_000_000_000L;

  private final VirtualClock clock;
  private final NotifierPolicy policy;
  private final DriverStats stats;

  @Inject
  BackedNotifierStrategy(Kernel kernel, KernelConfig kernelConfig, VirtualClock clock, NotifierPolicy policy, DriverStats stats) {
    super(NAME, Contract.COHERENT, kernel, kernelConfig);
    this.clock = clock;
    this.policy = policy;
    this.stats = stats;
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
    return new Mirror(kernel, clock, policy, r, stats);
  }

  /** The object: the mirror's state and its notifier subscription. */
  static final class Mirror implements UserptrBacking {
    private final Kernel kernel;
    private final VirtualClock clock;
    private final NotifierPolicy policy;
    private final DriverStats stats;
    private final Process p;
    private final UserptrRequest r;
    private final MmuIntervalNotifier sub;
    private int[] pfns;
    private long invalidations;
    /** Commits in a row that found the pages stale: past {@link #MAX_RETRIES} the driver gives up. */
    private int stale;
    /** When the first of those attempts began. */
    private long retryingSince;
    /** When the last invalidation's callback returned: mmu_interval_read_begin before then waits for it. */
    private long invalidatingUntil;

    Mirror(Kernel kernel, VirtualClock clock, NotifierPolicy policy, UserptrRequest r, DriverStats stats) {
      this.kernel = kernel;
      this.clock = clock;
      this.stats = stats;
      this.policy = policy;
      this.p = r.process();
      this.r = r;
      this.sub = kernel.mmuIntervalNotifierInsert(p, r.firstPage(), (long) r.pageCount() << 12, this::invalidate);
    }

    /**
     * The invalidate callback (i915_gem_userptr_invalidate, xe's vma_userptr_invalidate): false when it
     * may not sleep; else the sequence set under the notifier lock, the GPU's mapping gone until the
     * next job rebuilds it, and the running jobs waited for or preempted.
     */
    private boolean invalidate(MmuIntervalNotifier s, MmuNotifierRange range, long curSeq) {
      if (!range.blockable()) {
        return false;
      }
      kernel.lockdep().acquire(NOTIFIER_LOCK, "invalidate: mmu_interval_set_seq");
      s.setSeq(curSeq);
      kernel.lockdep().release(NOTIFIER_LOCK);
      pfns = null;
      invalidations++;
      clock.mark(SpanKind.INVALIDATE, range.event().name().toLowerCase(java.util.Locale.ROOT) + " of object's range");
      switch (policy) {
        case I915_GEM_USERPTR_INVALIDATE -> {
          // Every blockable invalidation waits, exit_mmap's (mn_itree_release) too, as amdgpu_hmm_invalidate_gfx does.
          // i915_gem_userptr_invalidate returns at once for an exiting process (PF_EXITING), safe there only because
          // i915 keeps the pages pinned while the object has them ("still have userptr pins"); a mirror holds none.
          r.resv().waitTimeout(clock, DmaResv.Usage.BOOKKEEP, "i915_gem_userptr_invalidate: dma_resv_wait_timeout");
        }
        case XE_VMA_USERPTR_INVALIDATE_LR -> {
          List<DmaFence> running = r.resv().running(clock, DmaResv.Usage.BOOKKEEP);
          if (!running.isEmpty()) {
            // dma_fence_enable_sw_signaling on the preempt fence: the queue comes off its engine, and the wait is for that.
            long preempt = Math.round(clock.profile().get(Parameter.GPU_PREEMPT));
            long stopped = clock.now();
            clock.waitUntil(stopped + preempt, "vma_userptr_invalidate: preempt fence");
            for (DmaFence f : running) {
              long left = f.at() - stopped;
              clock.preempted();
              clock.postpone(f, stopped, preempt);
              // preempt_rebind_work_func once the invalidation is over: the userptr faulted in again, or the VM killed (xe_vm_kill).
              clock.fence("xe-rebind", stopped + preempt, () -> rebind(f, stopped, stopped + preempt, left));
            }
          }
        }
      }
      invalidatingUntil = Math.max(invalidatingUntil, clock.now());
      return true;
    }

    /**
     * The rebind worker's hmm_range_fault after a preemption (xe_vma_userptr_pin_pages): the
     * mirror valid again, or, where the range can no longer be faulted in (unmapped, the process
     * gone), the queue killed and the job ended then with the errno. The worker's faults are no
     * thread's time: preempt_rebind_work_func resumes the queue once they are done, so the job stays
     * off its engine for them.
     */
    private void rebind(DmaFence job, long stopped, long at, long left) {
      if (job.signaled() || pfns != null) {
        return;
      }
      try {
        if (!p.alive()) {
          throw new MmException(Errno.EFAULT, "the process that owned the mirrored range has exited");
        }
        VirtualClock.Handled<int[]> faulted = clock.elsewhere(() -> kernel.hmmRangeFault(p, r.firstPage(), r.pageCount(), !r.readOnly()));
        pfns = faulted.value();
        clock.refaulted();
        // The worker takes mmap_lock first: another thread's writer holds it up, and the job with it.
        long locked = faulted.lockWait() == null ? 0 : Math.max(0, faulted.lockWait().until() - at);
        clock.stall(job, at, locked + faulted.ns(), SpanKind.PREEMPTED, "preempted: the rebind worker faults the range in"
            + (locked > 0 ? " after it waits for " + faulted.lockWait().what() : ""));
      } catch (MmException e) {
        // xe_vm_kill: the queue killed, and the whole VM banned from now on.
        stats.banVm(p, "xe_vm_kill killed it when a userptr of it could not be faulted in again");
        clock.cutShort(job, stopped, at, left, -e.errno().value());
      }
    }

    @Override
    public long size() {
      return r.size();
    }

    @Override
    public GpuLease pin(GpuAccess access) {
      return PendingPin.untilCommitted(() -> prepare(access));
    }

    /**
     * mmu_interval_read_begin (waiting for an invalidation in progress) and hmm_range_fault now; the
     * commit is mmu_interval_read_retry under the notifier lock. Retries for longer than
     * HMM_RANGE_DEFAULT_TIMEOUT give up with EBUSY, as amdgpu_hmm_range_get_pages does, and so do
     * {@link #MAX_RETRIES} stale commits in a row.
     */
    @Override
    public PendingPin prepare(GpuAccess access) {
      if (!p.alive()) {
        throw new MmException(Errno.EFAULT, "GPU job: the process that owned the mirrored range has exited");
      }
      long began = clock.now();
      if (stale == 0) {
        retryingSince = began;
      }
      if (began < invalidatingUntil) {
        clock.waitUntil(invalidatingUntil, "mmu_interval_read_begin: invalidation in progress");
      }
      long seq = sub.readBegin();
      // The GPU's mapping from the last job stands until an invalidation drops it (pfns null): no fault then.
      int[] got = pfns != null ? pfns : kernel.hmmRangeFault(p, r.firstPage(), r.pageCount(), !r.readOnly());
      return () -> {
        // mmu_interval_read_retry under the lock the invalidate callback takes (Documentation/mm/hmm.rst).
        kernel.lockdep().touch(NOTIFIER_LOCK, "submit: mmu_interval_read_retry");
        if (sub.readRetry(seq)) {
          clock.retried();
          if (++stale >= MAX_RETRIES || clock.now() - retryingSince > HMM_RANGE_DEFAULT_TIMEOUT_NS) {
            stale = 0;
            clock.timedOut();
            throw new MmException(Errno.EBUSY, "GPU job: the range was invalidated again on each of " + MAX_RETRIES
                + " attempts in a row to fault it in (a livelock: the kernel's drivers give up with -EBUSY after "
                + "HMM_RANGE_DEFAULT_TIMEOUT, 1000 ms)");
          }
          return Optional.empty();
        }
        stale = 0;
        pfns = got;
        return Optional.of(lease(got));
      };
    }

    private GpuLease lease(int[] at) {
      return new JobLease(at, sub.readBegin());
    }

    /**
     * One job's pages: the ones it started with, unless an invalidation preempted it meanwhile; then
     * the rebind worker faults them in again before it resumes (EFAULT where the range is gone).
     */
    private final class JobLease extends MirrorLease {
      private final long seq;

      JobLease(int[] frames, long seq) {
        super(kernel, frames, r.offsetInPage(), r.size());
        this.seq = seq;
      }

      @Override
      protected int[] refaulted() {
        if (policy != NotifierPolicy.XE_VMA_USERPTR_INVALIDATE_LR || !sub.readRetry(seq)) {
          return null;
        }
        if (pfns == null) {
          pfns = kernel.hmmRangeFault(p, r.firstPage(), r.pageCount(), !r.readOnly());
          clock.refaulted();
        }
        return pfns;
      }
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
