package org.userptrlab.strategy.svm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.userptrlab.core.spi.GpuAccess;
import org.userptrlab.core.spi.GpuLease;
import org.userptrlab.core.support.MirrorLease;
import org.userptrlab.core.spi.ImportNote;
import org.userptrlab.core.spi.PendingPin;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.core.spi.UserptrRequest;
import org.userptrlab.core.time.SpanKind;
import org.userptrlab.core.time.LockWait;
import org.userptrlab.core.time.VirtualClock;
import org.userptrlab.mm.Errno;
import org.userptrlab.mm.HmmRange;
import org.userptrlab.mm.Kernel;
import org.userptrlab.mm.MigrateVma;
import org.userptrlab.mm.MmException;
import org.userptrlab.mm.MmuNotifierEvent;
import org.userptrlab.mm.MmuNotifierRange;
import org.userptrlab.mm.Process;
import org.userptrlab.mm.Vma;

/**
 * The GPU's view of a range of the process under drm_gpusvm: nothing is taken at import; a GPU job's
 * first touch of a page is a GPU fault (xe_svm_handle_pagefault), which finds or inserts the range
 * around it (drm_gpusvm_range_find_or_insert: the largest of 2 MiB, 64 KiB and 4 KiB that fits the
 * VMA and no other range), may migrate it into device memory, and gets its pages with
 * hmm_range_fault under the range's notifier (drm_gpusvm_range_get_pages). An invalidation only
 * drops the GPU's mapping; the next job faults again.
 */
final class SvmObject implements UserptrBacking {
  /** drm_gpusvm's chunk sizes as xe passes them (fault_chunk_sizes). */
  static final long[] CHUNK_SIZES = {2L << 20, 64L << 10, 4L << 10};
  /** A range migrated into device memory this many times, each after being pulled back, is ping-ponging. */
  static final int PING_PONG = 3;
  /** Stale rounds of get_pages in a row before the fault gives up (EBUSY), as HMM_RANGE_DEFAULT_TIMEOUT bounds the kernel's. */
  static final int MAX_RETRIES = 16;

  private final Kernel kernel;
  private final Vram vram;
  private final SvmPolicy policy;
  private final VirtualClock clock;
  private final UserptrRequest r;
  private final Process p;
  private final TreeMap<Long, SvmRange> ranges = new TreeMap<>();
  /** What happened, by kind: the first time in words, and how many times since. */
  private final java.util.Map<ImportNote.Kind, ImportNote> notes = new java.util.EnumMap<>(ImportNote.Kind.class);
  private final java.util.Map<ImportNote.Kind, Integer> again = new java.util.EnumMap<>(ImportNote.Kind.class);
  /** Where the device memory's events about this object's allocations are told: one sink, so that its allocations are known by it. */
  private final java.util.function.Consumer<ImportNote> noteSink = this::note;
  private boolean released;
  /** Whether hmm_range_fault has its pfn format (5.8); before, the bare frames of the model's older call stand for it. */
  private final boolean pfnApi;
  /** GPU faults serviced for the object's jobs (a range made valid is one). */
  private long gpuFaults;
  /** Pages the object's GPU faults moved into device memory (the copy engine's work the faulting job waits for). */
  private long migratedIn;
  /** The object's pages the last fault pass read from device memory. */
  private int devicePagesRead;

  SvmObject(Kernel kernel, Vram vram, SvmPolicy policy, VirtualClock clock, UserptrRequest r, boolean pfnApi) {
    this.kernel = kernel;
    this.pfnApi = pfnApi;
    this.vram = vram;
    this.policy = policy;
    this.clock = clock;
    this.r = r;
    this.p = r.process();
  }

  @Override
  public long size() {
    return r.size();
  }

  @Override
  public GpuLease pin(GpuAccess access) {
    return PendingPin.untilCommitted(() -> prepare(access));
  }

  /** The GPU fault now; the commit is the check under the notifier lock that no invalidation ran since. */
  @Override
  public PendingPin prepare(GpuAccess access) {
    if (!p.alive()) {
      throw new MmException(Errno.EFAULT, "GPU fault: the process whose address space the GPU shares has exited");
    }
    long faults = gpuFaults;
    long moved = migratedIn;
    // The GPU faults as the job runs, serviced by the driver's fault handler: the job's time, not the submitting call's.
    VirtualClock.Handled<List<SvmRange>> faulted;
    try {
      faulted = clock.elsewhere(() -> fault(access));
    } catch (MmException e) {
      if (e.errno() != Errno.EFAULT) {
        throw e;
      }
      // Nothing is mapped where the job reaches (xe_svm_handle_pagefault finds no VMA): the exec ioctl looked at no
      // page and took the job, which ends at that fault, its queue killed.
      int taken = (int) (gpuFaults - faults) + 1;
      return () -> Optional.of(new FailedFaultLease(e, taken));
    }
    List<SvmRange> mine = faulted.value();
    long[] seqs = seqs(mine);
    int[] frames = frames();
    int taken = (int) (gpuFaults - faults);
    long bytes = (migratedIn - moved) << 12;
    return () -> {
      if (stale(mine, seqs)) {
        clock.retried();
        return Optional.empty();
      }
      return Optional.of(new SvmLease(access, frames, taken, bytes, faulted, deviceFraction(), mine, seqs));
    };
  }

  /**
   * The fault path for every page of the object: ranges found or inserted, each made valid as the
   * job reaches it; the object's ranges. A job touches its pages in order, so a range it has read
   * stays read when a later range's migration evicts it to make room in device memory (TTM's LRU):
   * an object larger than device memory streams through it, as xe's does. A range invalidated
   * where its pages are no longer there to read (reclaim in an allocation) is faulted again.
   */
  private List<SvmRange> fault(GpuAccess access) {
    collectGarbage();
    long end = pagesEnd();
    List<SvmRange> mine = new ArrayList<>();
    for (long a = r.firstPage(); a < end; ) {
      SvmRange rg = find(a);
      if (rg == null) {
        rg = insert(a);
      }
      mine.add(rg);
      a = rg.end;
    }
    int[] rounds = new int[mine.size()];
    int[] device = new int[mine.size()];
    for (int i = 0; i < mine.size(); i++) {
      makeValid(mine.get(i), access, rounds, i);
      device[i] = devicePages(mine.get(i));
    }
    for (int i = firstGone(mine); i >= 0; i = firstGone(mine)) {
      makeValid(mine.get(i), access, rounds, i);
      device[i] = devicePages(mine.get(i));
    }
    devicePagesRead = java.util.Arrays.stream(device).sum();
    return mine;
  }

  /** The object's pages of a valid range that the GPU maps in device memory. */
  private int devicePages(SvmRange rg) {
    if (!vram.present()) {
      return 0;
    }
    int n = 0;
    for (long a = Math.max(rg.start, r.firstPage()), to = Math.min(rg.end, pagesEnd()); a < to; a += 4096) {
      n += vram.pagemap().contains(HmmRange.pfn(rg.pfns[(int) ((a - rg.start) >>> 12)])) ? 1 : 0;
    }
    return n;
  }

  /** GPU faults on the range until one gets its pages with no invalidation meanwhile, up to MAX_RETRIES of them. */
  private void makeValid(SvmRange rg, GpuAccess access, int[] rounds, int i) {
    while (rg.pfns == null) {
      if (++rounds[i] > MAX_RETRIES) {
        clock.timedOut();
        throw new MmException(Errno.EBUSY, String.format("GPU fault: the range [0x%x, 0x%x) was invalidated on each of %d attempts "
            + "to get its pages (drm_gpusvm_get_pages gives up with -EBUSY after HMM_RANGE_DEFAULT_TIMEOUT)", rg.start, rg.end,
            rounds[i] - 1));
      }
      validate(rg, access);
    }
  }

  /** The first of the ranges that is invalid with a page of the object neither mapped nor in device memory; -1 if none. */
  private int firstGone(List<SvmRange> mine) {
    for (int i = 0; i < mine.size(); i++) {
      SvmRange rg = mine.get(i);
      if (rg.pfns == null) {
        long from = Math.max(rg.start, r.firstPage());
        long to = Math.min(rg.end, pagesEnd());
        for (long a = from; a < to; a += 4096) {
          if (frameNow(a) < 0) {
            return i;
          }
        }
      }
    }
    return -1;
  }

  /** The frame the process has at {@code addr} now, mapped or in device memory; -1 if neither. */
  private int frameNow(long a) {
    long mapped = p.pagemap(a);
    return (int) (mapped >= 0 ? mapped : p.devicePrivatePage(a));
  }

  /** The end of the object's last page. */
  private long pagesEnd() {
    return (r.end() + 4095) & -4096L;
  }

  private SvmRange find(long addr) {
    var e = ranges.floorEntry(addr);
    return e != null && e.getValue().contains(addr) ? e.getValue() : null;
  }

  /** drm_gpusvm_range_chunk_size and drm_gpusvm_range_insert: the largest aligned chunk in the VMA that overlaps no range. */
  private SvmRange insert(long addr) {
    Vma v = p.vma(addr);
    if (v == null) {
      throw new MmException(Errno.EFAULT, String.format("GPU fault at 0x%x: no VMA (the range was unmapped, or the process exited or was killed and its memory went)", addr));
    }
    for (long c : CHUNK_SIZES) {
      long s = addr & -c;
      long e = s + c;
      if (s >= v.start() && e <= v.end() && (c == 4096 || free(s, e))) {
        SvmRange rg = new SvmRange(s, e);
        rg.notifier = kernel.mmuIntervalNotifierInsert(p, s, e - s, (sub, range, seq) -> invalidate(rg, range, seq));
        ranges.put(s, rg);
        return rg;
      }
    }
    throw new IllegalStateException("a 4 KiB chunk always fits");
  }

  private boolean free(long s, long e) {
    var below = ranges.lowerEntry(e);
    return below == null || below.getValue().end <= s;
  }

  /**
   * One GPU fault on a range: a migration to device memory where the policy wants one, then
   * get_pages (hmm_range_fault with the GPU as dev_private_owner) unless an invalidation ran meanwhile.
   */
  private void validate(SvmRange rg, GpuAccess access) {
    Vma v = p.vma(rg.start);
    if (v == null) {
      throw new MmException(Errno.EFAULT, String.format("GPU fault: [0x%x, 0x%x) is no longer mapped", rg.start, rg.end));
    }
    gpuFaults++;
    clock.mark(SpanKind.GPU_FAULT, "GPU fault on [0x" + Long.toHexString(rg.start) + ", 0x" + Long.toHexString(rg.end) + ")");
    // drm_pagemap_migrate_to_devmem refuses a range that no longer lies in one VMA (-EINVAL; a VMA split under it):
    // the fault maps system pages.
    boolean oneVma = v.start() <= rg.start && rg.end <= v.end();
    if (policy.migrates() && vram.present() && rg.size() >= SvmPolicy.MIGRATE_MIN && v.isAnonymous() && oneVma && !inDeviceMemory(rg)) {
      migrateToDevice(rg);
    }
    boolean write = policy.asksWrite(r, v);
    long[] before = access == GpuAccess.READ && write ? residentReadOnly(rg) : null;
    long seq = rg.notifier.readBegin();
    long[] pfns = getPages(rg, write);
    if (mixed(pfns)) {
      // drm_gpusvm_get_pages: -EOPNOTSUPP for device pages mixed with others; xe evicts the range and faults again.
      evictRange(rg);
      return;
    }
    if (before != null) {
      noteCowBroken(rg, before);
    }
    if (!rg.notifier.readRetry(seq)) {
      rg.pfns = pfns;
    }
  }

  /** hmm_range_fault over the range with the GPU as dev_private_owner, in 5.8's pfn format whatever the kernel. */
  private long[] getPages(SvmRange rg, boolean write) {
    if (pfnApi) {
      return kernel.hmmRangeFault(new HmmRange(p, rg.start, rg.end,
          HmmRange.HMM_PFN_REQ_FAULT | (write ? HmmRange.HMM_PFN_REQ_WRITE : 0), vram.owner()));
    }
    int[] frames = kernel.hmmRangeFault(p, rg.start, rg.npages(), write);
    long[] pfns = new long[frames.length];
    for (int i = 0; i < frames.length; i++) {
      pfns[i] = frames[i] | HmmRange.HMM_PFN_VALID | (write ? HmmRange.HMM_PFN_WRITE : 0);
    }
    return pfns;
  }

  private boolean inDeviceMemory(SvmRange rg) {
    for (long a = rg.start; a < rg.end; a += 4096) {
      if (p.devicePrivatePage(a) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether some of the pages are in device memory and some are not. */
  private boolean mixed(long[] pfns) {
    int device = 0;
    for (long e : pfns) {
      device += vram.present() && vram.pagemap().contains(HmmRange.pfn(e)) ? 1 : 0;
    }
    return device != 0 && device != pfns.length;
  }

  /** drm_gpusvm_range_evict: hmm_range_fault with no owner faults every device page of the range back to RAM. */
  private void evictRange(SvmRange rg) {
    kernel.hmmRangeFault(new HmmRange(p, rg.start, rg.end, HmmRange.HMM_PFN_REQ_FAULT, null));
  }

  /**
   * xe_svm_alloc_vram and drm_pagemap_migrate_to_devmem: all of the range or nothing (-EBUSY when a
   * page cannot be collected, such as a pinned one); a fault that cannot migrate maps system pages.
   */
  private void migrateToDevice(SvmRange rg) {
    Vram.Allocation a = vram.allocate(rg.start, rg.npages(), noteSink);
    if (a == null) {
      return;
    }
    MigrateVma m = new MigrateVma(p, rg.start, rg.end, MigrateVma.SELECT_SYSTEM, vram.owner(), -1);
    kernel.migrateVmaSetup(m);
    int used = 0;
    try {
      try {
        for (int i = 0; m.cpages() == m.npages() && i < m.npages(); i++) {
          int dst = a.pfns[i];
          kernel.zoneDevicePageInit(vram.pagemap(), dst);
          m.dst[i] = MigrateVma.migratePfn(dst);
          used++;
          int src = MigrateVma.page(m.src[i]);
          if (src >= 0) {
            kernel.dmaCopyPages(new int[] {dst}, new int[] {src});
          }
        }
      } finally {
        // The pages the migration holds are the allocation's from now on: the kernel gives back what it does not keep.
        for (int i = used; i < a.pfns.length; i++) {
          vram.unused(a, a.pfns[i]);
        }
        vram.used(a, used);
      }
      if (used > 0) {
        kernel.migrateVmaPages(m);
      }
    } finally {
      kernel.migrateVmaFinalize(m);
    }
    migratedIn += used;
    // Back in after an eviction made room with it is device memory's pressure, not the CPU taking turns.
    boolean afterEviction = rg.allocation != null && rg.allocation.evicted;
    if (used > 0) {
      rg.allocation = a;
    }
    if (used > 0 && !afterEviction && ++rg.toDevice == PING_PONG) {
      note(new ImportNote(ImportNote.Kind.MIGRATION_PING_PONG, String.format("the range [0x%x, 0x%x) went into device memory "
          + "%d times, pulled back by the CPU between GPU faults: CPU and GPU take turns moving the same pages", rg.start, rg.end,
          rg.toDevice)));
    }
  }

  /** The range's pages mapped present and read-only (shared copy-on-write, or the zero page), with their frames; -1 elsewhere. */
  private long[] residentReadOnly(SvmRange rg) {
    long[] out = new long[rg.npages()];
    for (int i = 0; i < out.length; i++) {
      long a = rg.start + ((long) i << 12);
      out[i] = p.pagemap(a) > 0 && !p.pteWritable(a) ? p.pagemap(a) : -1;
    }
    return out;
  }

  private void noteCowBroken(SvmRange rg, long[] before) {
    int copied = 0;
    for (int i = 0; i < before.length; i++) {
      long now = p.pagemap(rg.start + ((long) i << 12));
      copied += before[i] > 0 && now != before[i] ? 1 : 0;
    }
    if (copied > 0) {
      note(new ImportNote(ImportNote.Kind.COW_BROKEN_BY_GPU_READ, String.format("a GPU read of [0x%x, 0x%x) asked "
          + "hmm_range_fault for write and copied %d shared page%s: the process no longer shares them with the process it forked",
          rg.start, rg.end, copied, copied == 1 ? "" : "s")));
    }
  }

  /**
   * The notifier callback (drm_gpusvm_notifier_invalidate, xe_svm_invalidate): the GPU's mapping of
   * the range goes; an unmap marks it for the garbage collector. It may not sleep for the OOM reaper.
   */
  private boolean invalidate(SvmRange rg, MmuNotifierRange range, long seq) {
    if (!range.blockable()) {
      return false;
    }
    rg.notifier.setSeq(seq);
    boolean wasValid = rg.pfns != null;
    rg.pfns = null;
    // munmap, and the address space's end (exit_mmap's release): the range goes away.
    boolean gone = range.event() == MmuNotifierEvent.UNMAP || range.event() == MmuNotifierEvent.RELEASE;
    if (!gone && wasValid) {
      // A job still running touches the range again and faults on it: it waits for the fault, and for the range's
      // migration back into device memory where the policy moves it (the pages follow when the job reads them).
      double refault = clock.profile().get(org.userptrlab.core.cost.Parameter.GPU_FAULT)
          + (policy.migrates() && vram.present() && rg.size() >= SvmPolicy.MIGRATE_MIN
              ? rg.size() / clock.profile().get(org.userptrlab.core.cost.Parameter.GPU_DMA) : 0);
      for (org.userptrlab.core.time.DmaFence f : r.resv().running(clock, org.userptrlab.core.time.DmaResv.Usage.BOOKKEEP)) {
        clock.stall(f, clock.now(), Math.round(refault), SpanKind.GPU_FAULT,
            String.format("faults on [0x%x, 0x%x) again", rg.start, rg.end));
      }
    }
    if (gone) {
      rg.unmapped = true;
      rg.partialUnmap |= range.start() > rg.start || range.end() < rg.end;
      // A job still running touches the range again at once and faults (xe_svm_handle_pagefault): with no VMA
      // there by then, the fault fails and the queue is killed, the job ending with it.
      long stopped = clock.now();
      long at = stopped + Math.round(clock.profile().get(org.userptrlab.core.cost.Parameter.GPU_FAULT));
      for (org.userptrlab.core.time.DmaFence f : r.resv().running(clock, org.userptrlab.core.time.DmaResv.Usage.BOOKKEEP)) {
        long left = f.at() - stopped;
        clock.fence("gpu-fault", at, () -> {
          if (!mapped(rg)) {
            clock.cutShort(f, stopped, at, left, -Errno.EFAULT.value(),
                String.format("faults on [0x%x, 0x%x): no VMA, the queue is killed", rg.start, rg.end));
          }
        });
      }
    }
    return true;
  }

  /** Whether a VMA maps every page the object has of the range (the GPU's fault would find them). */
  private boolean mapped(SvmRange rg) {
    long from = Math.max(rg.start, r.firstPage());
    long to = Math.min(rg.end, pagesEnd());
    for (long a = from; a < to; a += 4096) {
      if (!p.alive() || p.vma(a) == null) {
        return false;
      }
    }
    return true;
  }

  /**
   * The garbage collector of drm_gpusvm's documentation: a range partly unmapped is evicted (what
   * remains of it comes back to RAM) and removed; one unmapped whole is removed.
   */
  private void collectGarbage() {
    for (SvmRange rg : new ArrayList<>(ranges.values())) {
      if (rg.unmapped) {
        if (rg.partialUnmap && p.alive()) {
          evictRemains(rg);
        }
        rg.notifier.remove();
        ranges.remove(rg.start);
      }
    }
  }

  private void evictRemains(SvmRange rg) {
    for (long a = rg.start; a < rg.end; a += 4096) {
      Vma v = p.vma(a);
      if (v != null && p.devicePrivatePage(a) >= 0) {
        long e = Math.min(rg.end, v.end());
        long from = a;
        vram.collecting(() -> kernel.hmmRangeFault(new HmmRange(p, from, e, HmmRange.HMM_PFN_REQ_FAULT, null)));
        a = e - 4096;
      }
    }
  }

  private long[] seqs(List<SvmRange> mine) {
    long[] seqs = new long[mine.size()];
    for (int i = 0; i < seqs.length; i++) {
      seqs[i] = mine.get(i).notifier.readBegin();
    }
    return seqs;
  }

  private static boolean stale(List<SvmRange> mine, long[] seqs) {
    for (int i = 0; i < seqs.length; i++) {
      if (mine.get(i).notifier.readRetry(seqs[i])) {
        return true;
      }
    }
    return false;
  }

  /**
   * The frames the job read for each page of the object: those the GPU maps now, and where a later
   * range's migration evicted a range the job had read, the frames its pages went to (the same bytes).
   */
  private int[] frames() {
    int[] frames = new int[r.pageCount()];
    for (int i = 0; i < frames.length; i++) {
      long a = r.firstPage() + ((long) i << 12);
      SvmRange rg = find(a);
      frames[i] = rg.pfns != null ? HmmRange.pfn(rg.pfns[(int) ((a - rg.start) >>> 12)]) : frameNow(a);
    }
    return frames;
  }

  /** The share of the object's pages the last fault pass found in device memory as it read each range. */
  private double deviceFraction() {
    return r.pageCount() == 0 ? 0 : devicePagesRead / (double) r.pageCount();
  }

  /** The pages of a job whose GPU fault found no VMA: none; the job ends at that fault with its errno. */
  private final class FailedFaultLease implements GpuLease {
    private final MmException fault;
    private final int gpuFaults;

    FailedFaultLease(MmException fault, int gpuFaults) {
      this.fault = fault;
      this.gpuFaults = gpuFaults;
    }

    @Override
    public int[] frames() {
      throw fault;
    }

    @Override
    public long offset() {
      return r.offsetInPage();
    }

    @Override
    public long size() {
      return r.size();
    }

    @Override
    public int gpuFaults() {
      return gpuFaults;
    }

    @Override
    public MmException failedFault() {
      return fault;
    }

    @Override
    public void markDirty() {
    }

    @Override
    public void close() {
    }
  }

  /** One job's pages: the GPU faults again, as a fault-mode GPU does, when an invalidation dropped them while it ran. */
  private final class SvmLease extends MirrorLease {
    private final GpuAccess access;
    private final int gpuFaults;
    private final long migratedBytes;
    /** The faults' servicing: its time, its wait for mmap_lock, its instants of the chart. */
    private final VirtualClock.Handled<List<SvmRange>> faulted;
    private final double deviceFraction;
    /** The ranges the job read and their notifier sequences when it had: an invalidation since is one the job missed. */
    private List<SvmRange> read;
    private long[] seqs;

    SvmLease(GpuAccess access, int[] frames, int gpuFaults, long migratedBytes, VirtualClock.Handled<List<SvmRange>> faulted,
        double deviceFraction, List<SvmRange> read, long[] seqs) {
      super(kernel, frames, r.offsetInPage(), r.size());
      this.access = access;
      this.gpuFaults = gpuFaults;
      this.migratedBytes = migratedBytes;
      this.faulted = faulted;
      this.deviceFraction = deviceFraction;
      this.read = read;
      this.seqs = seqs;
    }

    @Override
    protected int[] refaulted() {
      if (released || !stale(read, seqs)) {
        return null;
      }
      // The job's wait for these faults was added when the invalidation reached it.
      read = clock.elsewhere(() -> fault(access)).value();
      seqs = seqs(read);
      clock.refaulted();
      return SvmObject.this.frames();
    }

    @Override
    public int gpuFaults() {
      return gpuFaults;
    }

    @Override
    public long migratedBytes() {
      return migratedBytes;
    }

    @Override
    public long faultHandlingNs() {
      return faulted.ns();
    }

    @Override
    public LockWait faultLockWait() {
      return faulted.lockWait();
    }

    @Override
    public List<VirtualClock.Mark> faultMarks() {
      return faulted.marks();
    }

    @Override
    public double deviceFraction() {
      return deviceFraction;
    }
  }

  /**
   * The GPU mapping goes (drm_gpusvm_range_remove for each range); pages in device memory stay there,
   * the process's, until the CPU touches them or it exits: a note says how many.
   */
  @Override
  public void release() {
    released = true;
    for (SvmRange rg : ranges.values()) {
      rg.notifier.remove();
    }
    ranges.clear();
    int held = vram.present() ? vram.livePages(noteSink) : 0;
    if (held > 0) {
      note(new ImportNote(ImportNote.Kind.DEVICE_MEMORY_HELD, String.format("%d pages (%d KiB) of device memory stay in use "
          + "after the object's release: the process maps them until it touches them or exits, and the GPU cannot have them back",
          held, held * 4)));
    }
  }

  private void note(ImportNote n) {
    if (notes.putIfAbsent(n.kind(), n) != null) {
      again.merge(n.kind(), 1, Integer::sum);
    }
  }

  /** One note of each kind that happened: its first time, and how many more there were. */
  @Override
  public List<ImportNote> notes() {
    List<ImportNote> out = new ArrayList<>();
    notes.forEach((kind, first) -> {
      int more = again.getOrDefault(kind, 0);
      out.add(more == 0 ? first : new ImportNote(kind, first.detail() + String.format("; %d more time%s", more, more == 1 ? "" : "s")));
    });
    return out;
  }
}
