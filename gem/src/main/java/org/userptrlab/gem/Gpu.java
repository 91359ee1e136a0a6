package org.userptrlab.gem;

import org.userptrlab.core.cost.Parameter;
import org.userptrlab.core.spi.GpuAccess;
import org.userptrlab.core.spi.GpuLease;
import org.userptrlab.core.time.Actor;
import org.userptrlab.core.time.DmaResv;
import org.userptrlab.core.time.LockWait;
import org.userptrlab.core.time.SpanKind;
import org.userptrlab.core.time.VirtualClock;
import org.userptrlab.mm.Errno;
import org.userptrlab.mm.Kernel;
import org.userptrlab.mm.MmException;

/**
 * The device's GPU: engines, each running its jobs one after the other. A job is submitted by the
 * calling thread (execbuf): the strategy makes the object's pages ready and hands them over for the
 * job (its pin, or its mirror's pages), the job waits for its engine, runs for its duration, and
 * at its end its DMA lands and the pages are given back; its fence, in the object's dma_resv,
 * signals then. The synchronous calls submit a job sized by its bytes and wait for it.
 */
public final class Gpu {
  /** The engine a job runs on when none is named (i915's render engine). */
  public static final String DEFAULT_ENGINE = "rcs0";

  private final Kernel kernel;
  private final VirtualClock clock;
  private long jobs;

  Gpu(Kernel kernel, VirtualClock clock) {
    this.kernel = kernel;
    this.clock = clock;
  }

  /** Whether the object's bytes [from, from + len) hold the seed's stream from {@code streamPos}: a read job, waited for. */
  public boolean reads(DrmFile f, int handle, long from, long len, long seed, long streamPos) {
    GpuJob job = complete(prepareSized(f, handle, GpuAccess.READ, from, len, seed, streamPos, len, DEFAULT_ENGINE));
    await(job);
    throwFailedFault(job);
    return job.sawStream();
  }

  /** Whether the whole object holds the seed's stream from position 0. */
  public boolean reads(DrmFile f, int handle, long seed) {
    return reads(f, handle, 0, f.lookup(handle).size(), seed, 0);
  }

  /** A job that writes the seed's stream over the whole object (render to it), waited for. */
  public void writes(DrmFile f, int handle, long seed) {
    long size = f.lookup(handle).size();
    GpuJob job = complete(prepareSized(f, handle, GpuAccess.WRITE, 0, size, seed, 0, size, DEFAULT_ENGINE));
    await(job);
    throwFailedFault(job);
  }

  /** A job the caller waited for that ended at a fault that failed: the caller learns its errno, as from a failed submission. */
  private static void throwFailedFault(GpuJob job) {
    if (job.failedFault != null) {
      throw job.failedFault;
    }
  }

  /**
   * Submits a job that reads (checking for the seed's stream from {@code streamPos}) or writes (the
   * seed's stream) bytes [from, from + len) of the object and takes {@code ns} on {@code engine}; the
   * job runs on while the caller goes on. Fails, changing nothing, with the strategy's errno when the
   * pages cannot be had, or EINVAL for a span outside the object.
   */
  public GpuJob submit(DrmFile f, int handle, GpuAccess access, long from, long len, long seed, long streamPos, long ns,
      String engine) {
    return complete(prepare(f, handle, access, from, len, seed, streamPos, ns, engine));
  }

  /** The second half of a submission, the first again as often as the commit finds the pages stale (the strategy bounds it). */
  public GpuJob complete(Submission s) {
    while (true) {
      java.util.Optional<GpuJob> job = commit(s);
      if (job.isPresent()) {
        return job.get();
      }
      s = s.again();
    }
  }

  /**
   * The first half of a submission: the pages looked up by the strategy ({@link
   * org.userptrlab.core.spi.UserptrBacking#prepare}); other threads may act before {@link #commit}.
   */
  public Submission prepare(DrmFile f, int handle, GpuAccess access, long from, long len, long seed, long streamPos, long ns,
      String engine) {
    return prepare(f, handle, access, from, len, seed, streamPos, ns, -1, engine);
  }

  /**
   * {@link #prepare} of a job whose time is that of moving {@code bytes}, taken once the pages are
   * known ({@link #bytesNs(long, GpuLease, GpuAccess)}: those in the GPU's own memory at its memory's bandwidth).
   */
  public Submission prepareSized(DrmFile f, int handle, GpuAccess access, long from, long len, long seed, long streamPos, long bytes,
      String engine) {
    if (bytes < 0) {
      throw new MmException(Errno.EINVAL, "GPU job: a size of " + bytes + " bytes");
    }
    return prepare(f, handle, access, from, len, seed, streamPos, 0, bytes, engine);
  }

  private Submission prepare(DrmFile f, int handle, GpuAccess access, long from, long len, long seed, long streamPos, long ns,
      long bytes, String engine) {
    // The submission is an ioctl of its own (i915's execbuf, xe's exec), whatever the strategy does for its pages.
    f.ioctl();
    GemObject o = f.lookup(handle);
    String ban = f.dev.stats.vmBan(f.process());
    if (ban != null) {
      // xe_exec_ioctl: xe_vm_is_closed_or_banned, "Trying to schedule after vm is closed or banned", whatever the object.
      throw new MmException(Errno.ECANCELED, "GPU job: the VM is banned: " + ban + "; xe_exec_ioctl refuses every job on it");
    }
    checkSpan(o, from, len);
    if (ns < 0) {
      throw new MmException(Errno.EINVAL, "GPU job: a duration of " + ns + " ns");
    }
    org.userptrlab.core.spi.PendingPin pin = o.backing.prepare(access);
    o.submissions++;
    return new Submission(o, access, from, len, seed, streamPos, ns, bytes, engine, pin);
  }

  /** A submission between its two halves. */
  public final class Submission {
    private final GemObject o;
    private final GpuAccess access;
    private final long from;
    private final long len;
    private final long seed;
    private final long streamPos;
    private final long ns;
    /** The bytes the job's time is taken from, or -1 when {@link #ns} was given. */
    private final long bytes;
    private final String engine;
    private final org.userptrlab.core.spi.PendingPin pin;

    Submission(GemObject o, GpuAccess access, long from, long len, long seed, long streamPos, long ns, long bytes, String engine,
        org.userptrlab.core.spi.PendingPin pin) {
      this.o = o;
      this.access = access;
      this.from = from;
      this.len = len;
      this.seed = seed;
      this.streamPos = streamPos;
      this.ns = ns;
      this.bytes = bytes;
      this.engine = engine;
      this.pin = pin;
    }

    /** The first half again, after a commit found the pages stale. */
    public Submission again() {
      try {
        return new Submission(o, access, from, len, seed, streamPos, ns, bytes, engine, o.backing.prepare(access));
      } catch (RuntimeException e) {
        done();
        throw e;
      }
    }

    /** The submission no longer holds the object. */
    private void done() {
      o.submissions--;
      o.releaseIfIdle();
    }
  }

  /**
   * The second half: the strategy commits the pages (mmu_interval_read_retry under its lock) and the
   * job is queued on its engine; empty when an invalidation ran since the first half (start over with
   * {@link Submission#again}).
   */
  public java.util.Optional<GpuJob> commit(Submission s) {
    java.util.Optional<GpuLease> lease;
    try {
      lease = s.pin.commit();
    } catch (RuntimeException e) {
      s.done();
      throw e;
    }
    if (lease.isEmpty()) {
      return java.util.Optional.empty();
    }
    Actor eng = clock.actor("gpu/" + s.engine, Actor.Kind.GPU, "gpu");
    GpuLease l = lease.get();
    // The GPU faults the job took stall it, whatever its own work: their latency, the kernel's work of servicing them and the
    // bytes they moved into its memory.
    // A job whose fault cannot be serviced runs until that fault, and no further.
    long ns = l.failedFault() != null
        ? Math.round(Math.max(1, l.gpuFaults()) * clock.profile().get(Parameter.GPU_FAULT) + l.faultHandlingNs())
        : Math.min(MAX_JOB_NS, (s.bytes >= 0 ? bytesNs(s.bytes, l, s.access) : s.ns)
            + Math.round(l.gpuFaults() * clock.profile().get(Parameter.GPU_FAULT) + l.migratedBytes() / clock.profile().get(Parameter.GPU_DMA))
            + l.faultHandlingNs());
    long start = clock.occupy(eng, clock.now(), ns, SpanKind.JOB,
        (s.access == GpuAccess.WRITE ? "write" : "read") + " object " + s.o.handle() + (l.failedFault() != null ? " (its fault fails)" : ""));
    GpuJob job = new GpuJob(s.o.handle(), s.access, s.engine, start);
    jobs++;
    clock.jobRan(ns);
    job.failedFault = l.failedFault();
    job.fence = clock.fence(eng.name(), start + ns, () -> end(job, l, s.from, s.len, s.seed, s.streamPos));
    LockWait locked = l.faultLockWait();
    long serviced = start;
    if (locked != null && locked.until() > start) {
      // Its first fault's handler waits for mmap_lock before it can service any (xe_svm_handle_pagefault).
      clock.stall(job.fence, start, locked.until() - start, SpanKind.GPU_FAULT, "GPU fault waits for " + locked.what());
      serviced = locked.until();
    }
    for (VirtualClock.Mark m : l.faultMarks()) {
      clock.markAt(eng, serviced, m);
    }
    s.o.resv.add(job.fence, s.access == GpuAccess.WRITE ? DmaResv.Usage.WRITE : DmaResv.Usage.READ, clock);
    s.done();
    return java.util.Optional.of(job);
  }

  /** The job's end: its DMA over the frames the strategy handed over, then the pages given back. */
  private void end(GpuJob job, GpuLease lease, long from, long len, long seed, long streamPos) {
    try {
      int freed = kernel.framesFreed(lease.frames());
      job.usedFreed = freed > 0;
      if (freed > 0) {
        // No reference and no wait kept the frames: the DMA went to memory the allocator had back.
        job.failure = freed + " of the frames the job addressed were freed while it ran";
        job.sawStream = false;
        return;
      }
      if (job.access() == GpuAccess.WRITE) {
        kernel.dmaFill(lease.frames(), lease.offset() + from, len, seed);
        lease.markDirty();
      } else {
        job.sawStream = kernel.dmaMatches(lease.frames(), lease.offset() + from, len, seed, streamPos);
      }
    } catch (MmException e) {
      // A preempted job whose pages the rebind could not fault in again, or a fault that failed: the job ends with the errno.
      job.failure = "the job ended with " + e.getMessage();
      job.sawStream = false;
      job.fence.setError(-e.errno().value());
    } finally {
      lease.close();
    }
  }

  /** The calling thread waits for the job to end (the program's own wait: not a stall of the kernel's). */
  public void await(GpuJob job) {
    clock.await(job.fence, "job on " + job.engine());
  }

  /**
   * The longest a job runs, a day, whatever a profile's bandwidth makes of its bytes: the clock adds
   * jobs' times, and the drivers' job timeouts (drm_sched's, i915's hangcheck) end one far sooner.
   */
  static final long MAX_JOB_NS = 86_400_000_000_000L;

  /**
   * A job's time from the bytes it moves, and the fixed cost of any job: the share of the lease's pages in the GPU's own
   * memory at its memory's bandwidth, the rest at the GPU's DMA bandwidth, reading system memory (GPU_DMA) or writing it
   * (GPU_DMA_WRITE).
   */
  public long bytesNs(long bytes, GpuLease lease, GpuAccess access) {
    double device = lease.deviceFraction();
    return Math.min(MAX_JOB_NS, Math.round(clock.profile().get(Parameter.GPU_JOB)
        + bytes * (1 - device) / dma(access) + bytes * device / clock.profile().get(Parameter.GPU_VRAM)));
  }

  private double dma(GpuAccess access) {
    return clock.profile().get(access == GpuAccess.WRITE ? Parameter.GPU_DMA_WRITE : Parameter.GPU_DMA);
  }

  public long jobs() {
    return jobs;
  }

  /** A job's bytes of the object: EINVAL for a length that is not positive or a range past the object. */
  public static void checkSpan(GemObject o, long from, long len) {
    if (len <= 0) {
      throw new MmException(Errno.EINVAL, String.format("GPU job: a length of %d bytes; a job reads at least one", len));
    }
    if (from < 0 || from > o.size() || len > o.size() - from) {
      throw new MmException(Errno.EINVAL, String.format("GPU job: [%d, +%d) reaches outside the %d-byte object", from, len, o.size()));
    }
  }
}
