package org.userptrlab.lab.scenarios;

import org.userptrlab.core.spi.ImportNote;
import org.userptrlab.core.harness.HazardKind;
import java.util.Set;
import org.userptrlab.core.spi.UserptrFlag;
import org.userptrlab.core.harness.ScenarioRun;
import org.userptrlab.gem.DrmDevice;
import org.userptrlab.gem.DrmFile;
import org.userptrlab.gem.Gpu;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.Process;
import org.userptrlab.mm.SignalException;

/**
 * A graphics program in a scenario: a process with the DRM device open, its main thread on CPU 0
 * and, unless {@link AppThreads} says otherwise, a render thread busy on CPU 1.
 */
final class App {
  final ScenarioRun run;
  final Machine m;
  final Process p;
  final DrmFile f;
  /** The processes whose file tables hold the DRM file: the opener, its children, those it was sent to. */
  private final java.util.List<Process> holders = new java.util.ArrayList<>();
  /** Holders whose descriptor exec closes (FD_CLOEXEC). */
  private final java.util.Set<Process> cloexec = new java.util.HashSet<>();
  /** Handles imported READ_ONLY: the GPU may only read them. */
  private final java.util.Set<Integer> readOnlyHandles = new java.util.HashSet<>();
  /** Every range imported, {address, size}: what the report lines about an object's pages are about. */
  private final java.util.List<long[]> imported = new java.util.ArrayList<>();
  /** Every object imported, closed or not: what a strategy notes while they live is read at the end. */
  private final java.util.List<org.userptrlab.gem.GemObject> objects = new java.util.ArrayList<>();
  final Gpu gpu;

  App(ScenarioRun run, String name) {
    this.run = run;
    this.m = run.machine();
    this.p = m.spawn(name);
    if (run.get(AppThreads.class).renderThread() && m.config().cpus() > 1) {
      p.runOn(0, 1);
    }
    // As GPU and RDMA users are set up (ulimit -l): RLIMIT_MEMLOCK is the rlimit-memlock scenario's subject only.
    // Raised to 1 GiB, never lowered: a --memlock above it stands.
    long limit = Math.max(1L << 30, p.memlockLimit());
    p.setCapability(org.userptrlab.mm.Capability.CAP_SYS_RESOURCE, true);
    p.setrlimitMemlock(limit, Math.max(limit, p.memlockHardLimit()));
    p.setCapability(org.userptrlab.mm.Capability.CAP_SYS_RESOURCE, false);
    DrmDevice dev = run.get(DrmDevice.class);
    this.f = dev.open(p);
    this.gpu = dev.gpu();
    holders.add(p);
  }

  /**
   * {@code q} now holds a descriptor of the file too (fork's dup of the file table, or one received by
   * SCM_RIGHTS: a second one is a second descriptor); close-on-exec is kept per process.
   */
  void hold(Process q, boolean closeOnExec) {
    holders.add(q);
    if (closeOnExec) {
      cloexec.add(q);
    }
  }

  boolean closeOnExec(Process q) {
    return cloexec.contains(q);
  }

  void setCloseOnExec(Process q) {
    cloexec.add(q);
  }

  /**
   * One of {@code q}'s descriptors goes (close), or all of them ({@code all}: exit, exec with
   * FD_CLOEXEC): fput each; the last reference releases the file (drm_release -> drm_gem_release), and
   * every object in it goes as a GEM close would. Whether {@code q} still holds a descriptor of it.
   */
  boolean drop(Process q, boolean all) {
    if (all) {
      holders.removeIf(h -> h == q);
    } else {
      holders.remove(q);
    }
    boolean still = holders.contains(q);
    if (!still) {
      cloexec.remove(q);
    }
    if (holders.isEmpty()) {
      closeFile();
    }
    return still;
  }

  /** The file released: every object in it goes; pages an object left mlocked are a hazard, as at a GEM close. */
  void closeFile() {
    f.close();
    reportStranded();
  }

  /** malloc(3) a buffer and fill it with the seed's stream, as a program reads data into it. */
  long mallocFilled(long size, long seed) {
    long buf = p.malloc(size);
    p.fill(buf, size, seed);
    return buf;
  }

  /**
   * The userptr ioctl with no flags, called by {@code caller} (this program, or a child that shares
   * its DRM file after fork): the caller's memory is imported. What the strategy reported about the
   * import goes into the run's hazards.
   */
  int userptr(Process caller, long addr, long size, boolean readOnly) {
    int h = f.userptr(caller, addr, size, readOnly ? Set.of(UserptrFlag.READ_ONLY) : Set.<UserptrFlag>of());
    imported.add(new long[] {addr, size});
    objects.add(f.lookup(h));
    if (readOnly) {
      readOnlyHandles.add(h);
    }
    for (ImportNote note : f.lookup(h).notes()) {
      if (note.kind() == ImportNote.Kind.FELL_BACK_TO_COPY) {
        run.hazard(HazardKind.FELL_BACK_TO_COPY, note.detail());
      }
    }
    return h;
  }

  /** free(3), reporting whether it worked: an abort means the bytes before the block were lost. */
  boolean free(long ptr) {
    return free(p, ptr);
  }

  /** free(3) in {@code q} (the program or one of its children). */
  boolean free(Process q, long ptr) {
    try {
      q.free(ptr);
      return true;
    } catch (SignalException e) {
      run.hazard(HazardKind.FREE_ABORTED, "free() aborted: " + e.getMessage());
      return false;
    }
  }

  /**
   * A GPU job reading the object; a failed job (the strategy could not get the pages) is a hazard,
   * said to be of {@code where} (the program's line, or nothing at a run's end), and reads as false.
   */
  boolean gpuSees(int h, long seed, String where) {
    return gpuSees(h, 0, f.lookup(h).size(), seed, 0, where);
  }

  boolean gpuSees(int h, long from, long len, long seed, long streamPos, String where) {
    // A handle the file does not have is the ioctl's own ENOENT, and a range outside the object its EINVAL, before any
    // job: the call fails, as gpu.submit's does.
    org.userptrlab.gem.Gpu.checkSpan(f.lookup(h), from, len);
    int timeouts = run.clock().timeouts();
    try {
      return gpu.reads(f, h, from, len, seed, streamPos);
    } catch (org.userptrlab.mm.MmException e) {
      jobFailed(e, timeouts, where);
      return false;
    }
  }

  /** A job that could not get its pages: a livelock where the driver gave up retrying, any other failure otherwise. */
  void jobFailed(org.userptrlab.mm.MmException e, int timeoutsBefore, String where) {
    run.hazard(run.clock().timeouts() > timeoutsBefore ? HazardKind.RETRY_LIVELOCK : HazardKind.GPU_JOB_FAILED,
        where + "GPU job failed: " + e.getMessage());
  }

  /** A GPU job writing the object; false (and a hazard of {@code where}) if the job failed. */
  boolean gpuWrites(int h, long seed, String where) {
    f.lookup(h);
    if (writeRefused(h, where)) {
      return false;
    }
    int timeouts = run.clock().timeouts();
    try {
      gpu.writes(f, h, seed);
      return true;
    } catch (org.userptrlab.mm.MmException e) {
      jobFailed(e, timeouts, where);
      return false;
    }
  }

  /** How many pages of [addr, addr + len) of {@code q} are swapped out right now. */
  static int swappedPages(Process q, long addr, long len) {
    return countPages(q, addr, len, q::swappedOut);
  }

  /** The pages of [addr, addr + len) some VMA maps for which {@code page} holds, by their address. */
  private static int countPages(Process q, long addr, long len, java.util.function.LongPredicate page) {
    int n = 0;
    for (org.userptrlab.mm.Vma v : q.vmas()) {
      for (long a = Math.max(addr & -4096L, v.start()), end = Math.min(end(addr, len), v.end()); a < end; a += 4096) {
        n += page.test(a) ? 1 : 0;
      }
    }
    return n;
  }

  /** Pages of [addr, addr + len) that some VMA maps: only those can be in memory or swapped out. */
  static long mappedPages(Process q, long addr, long len) {
    long n = 0;
    for (org.userptrlab.mm.Vma v : q.vmas()) {
      long from = Math.max(addr & -4096L, v.start());
      long to = Math.min(end(addr, len), v.end());
      n += from < to ? (((to + 4095) & -4096L) - from) >>> 12 : 0;
    }
    return n;
  }

  /** The end of a range; a length that would wrap it around (a program may write any) runs to the top of the address space. */
  private static long end(long addr, long len) {
    long end = addr + len;
    return len >= 0 && end < addr ? Long.MAX_VALUE : end;
  }

  private static long pages(long addr, long len) {
    long last = Math.min(end(addr, len), Long.MAX_VALUE - 4095);
    return (((last + 4095) & -4096L) - (addr & -4096L)) >>> 12;
  }

  /** Pages of the range the process has in memory ({@link Process#resident}): a page never faulted in is not one. */
  static int residentPages(Process q, long addr, long len) {
    return countPages(q, addr, len, q::resident);
  }

  /** Pages of the range still in memory after reclaim: more than 16 is a hazard. */
  void reportResident(Process q, long addr, long len) {
    long pages = mappedPages(q, addr, len);
    long stayed = residentPages(q, addr, len);
    if (stayed > 16) {
      run.hazard(HazardKind.PAGES_UNRECLAIMABLE, stayed + " of the " + pages + " pages of the range could not be reclaimed");
    }
  }

  /** For an import of [addr, addr + len): more pages VM_LOCKED than it holds means a whole VMA was locked for it. */
  void reportVmaLocked(Process q, long addr, long len) {
    long locked = lockedVmaPages(q);
    if (locked > pages(addr, len)) {
      run.hazard(HazardKind.WHOLE_VMA_LOCKED, String.format("%d pages are VM_LOCKED for a %d-page import", locked, pages(addr, len)));
    }
  }

  /** RLIMIT_MEMLOCK as mlock and a pinning driver should have applied it to a process without CAP_IPC_LOCK. */
  void reportMemlock(Process q) {
    if (q.capable(org.userptrlab.mm.Capability.CAP_IPC_LOCK)) {
      return;
    }
    long limit = q.memlockLimit() >>> 12;
    long locked = lockedVmaPages(q);
    if (locked > limit) {
      run.hazard(HazardKind.RLIMIT_MEMLOCK_BYPASS, String.format("%d pages are VM_LOCKED past RLIMIT_MEMLOCK of %d pages, "
          + "%d of them charged to locked_vm", locked, limit, q.lockedVm()));
    }
    if (q.pinnedVm() > limit) {
      run.hazard(HazardKind.PINNED_VM_OVER_LIMIT, "pinned_vm of " + q.pinnedVm() + " pages is over RLIMIT_MEMLOCK of " + limit);
    }
  }

  /**
   * locked_vm below zero: mlock_fixup subtracted pages a driver locked without charging them. The
   * process then asks do_mlock for more than RLIMIT_MEMLOCK: locked_vm is compared unsigned, so a
   * request of at least the wrapped amount comes back around, up to the limit on top of it.
   */
  void reportLockedVm(Process q) {
    long lockedVm = q.lockedVm();
    if (lockedVm >= 0) {
      return;
    }
    long limit = q.memlockLimit() >>> 12;
    long over = (limit - lockedVm) << 12;
    // The probe observes: where its mapping cannot be had (more than RAM and swap, as with a high
    // RLIMIT_MEMLOCK), the wrap is reported without trying the mlock, and nothing changes.
    String outcome;
    long extra;
    try {
      extra = q.mmap(0, over, org.userptrlab.mm.Mman.PROT_READ | org.userptrlab.mm.Mman.PROT_WRITE,
          org.userptrlab.mm.Mman.MAP_PRIVATE | org.userptrlab.mm.Mman.MAP_ANONYMOUS);
    } catch (org.userptrlab.mm.MmException e) {
      run.hazard(HazardKind.LOCKED_VM_WRAPPED, String.format("locked_vm is %s pages (%d below zero, wrapped); an mlock of %d pages, "
          + "over RLIMIT_MEMLOCK of %d, was not tried: a mapping that large is refused here (%s)", Long.toUnsignedString(lockedVm),
          -lockedVm, limit - lockedVm, limit, e.errno()));
      return;
    }
    try {
      q.mlock(extra, over);
      outcome = "succeeds";
    } catch (org.userptrlab.mm.MmException e) {
      outcome = "fails (" + e.getMessage() + ")";
    }
    run.hazard(HazardKind.LOCKED_VM_WRAPPED, String.format("locked_vm is %s pages (%d below zero, wrapped); an mlock of %d pages, "
        + "over RLIMIT_MEMLOCK of %d, then %s", Long.toUnsignedString(lockedVm), -lockedVm, limit - lockedVm, limit, outcome));
    q.munmap(extra, over);
  }

  /** The VMAs of the brk heap. */
  static int heapVmas(Process q) {
    int n = 0;
    for (org.userptrlab.mm.Vma v : q.vmas()) {
      if (v.start() >= q.heapStart() && v.end() <= ((q.currentBrk() + 4095) & -4096L) && v.isAnonymous()) {
        n++;
      }
    }
    return n;
  }

  /** The heap spans more VMAs than {@code before}: brk could not extend the VMA below the break. */
  void reportHeapSplit(Process q, long before) {
    int after = heapVmas(q);
    if (after > before) {
      run.hazard(HazardKind.HEAP_SPLIT, "the heap grew as " + after + " VMAs instead of " + before
          + ": brk could not extend the imported buffer's VMA");
    }
  }

  /** MADV_DONTNEED of every other page of the range from its third: free memory scattered for compaction to gather. */
  static void fragment(Process q, long addr, long len) {
    long base = addr & -4096L;
    for (long off = 8192; off < len - 8192; off += 8192) {
      q.madvise(base + off, 4096, org.userptrlab.mm.Mman.MADV_DONTNEED);
    }
  }

  /** move_pages(2) of the present pages of q's range; pages that would not move are a hazard. */
  void migrate(Process q, long addr, long len) {
    if (!q.alive()) {
      throw new org.userptrlab.mm.MmException(org.userptrlab.mm.Errno.ESRCH, "move_pages: " + q.name() + " has exited");
    }
    // do_pages_move: each folio the range maps is isolated once and moved whole (a THP from 4.14), whatever
    // number of its pages the range covers.
    java.util.LinkedHashSet<Integer> folios = new java.util.LinkedHashSet<>();
    for (org.userptrlab.mm.Vma v : q.vmas()) {
      for (long a = Math.max(addr & -4096L, v.start()), end = Math.min(end(addr, len), v.end()); a < end; a += 4096) {
        long pfn = q.pagemap(a);
        if (pfn >= 0) {
          folios.add(m.folio((int) pfn));
        }
      }
    }
    int moved = 0;
    int stuck = 0;
    String why = "";
    for (int head : folios) {
      int pages = m.folioNrPages(head);
      try {
        m.kernel().migratePage(head);
        moved += pages;
      } catch (org.userptrlab.mm.MmException e) {
        stuck += pages;
        why = e.getMessage();
      }
    }
    if (stuck > 0) {
      run.hazard(HazardKind.MIGRATION_BLOCKED, stuck + " pages would not move (moved " + moved + "): " + why);
    }
  }

  /** Reclaim of everything it can take. */
  void reclaim() {
    m.kernel().reclaim((int) m.totalPages());
  }

  /** Pages of {@code q}'s VMAs that carry VM_LOCKED, charged to locked_vm or not. */
  static long lockedVmaPages(Process q) {
    long n = 0;
    for (org.userptrlab.mm.Vma v : q.vmas()) {
      if (v.has(org.userptrlab.mm.VmFlags.VM_LOCKED)) {
        n += v.size() >>> 12;
      }
    }
    return n;
  }

  /** Another program that needs {@code bytes} of memory now: what memory pressure looks like. */
  void pressure(long bytes) {
    if (bytes == 0) {
      // A program that needs nothing: no pressure.
      return;
    }
    org.userptrlab.mm.Process hog = m.spawn("hog");
    long a;
    try {
      a = hog.mmap(0, bytes, org.userptrlab.mm.Mman.PROT_READ | org.userptrlab.mm.Mman.PROT_WRITE,
          org.userptrlab.mm.Mman.MAP_PRIVATE | org.userptrlab.mm.Mman.MAP_ANONYMOUS);
    } catch (org.userptrlab.mm.MmException e) {
      hog.exit();
      throw new org.userptrlab.mm.MmException(e.errno(), "pressure: the other program's mapping of its " + bytes + " bytes was refused ("
          + e.getMessage() + ")");
    }
    hog.fill(a, bytes, 77);
    hog.exit();
  }

  /**
   * GEM close. A strategy that cleared VM_LOCKED behind munlock's back on release (the Exynos patch)
   * leaves its pages mlocked and unevictable: a hazard.
   */
  void gemClose(int h) {
    f.gemClose(h);
    reportStranded();
  }

  private void reportStranded() {
    int stranded = m.strandedMlockedPages();
    if (stranded > 0) {
      run.hazard(HazardKind.UNEVICTABLE_AFTER_RELEASE, stranded + " pages stayed PG_mlocked and unevictable after the object "
          + "cleared VM_LOCKED without munlocking them; reclaim skips them until they are freed");
    }
  }

  /**
   * How many pages of the imported range left the program for swap while the object lived: a
   * hazard only for a strategy whose object is the program's own memory (COHERENT) and holds it
   * (a notifier's mirror holds nothing: swap-out only invalidates it).
   */
  /** Whether an import (live or not) covered part of [addr, addr + size): a range no object shared has no object's hazard. */
  private boolean imported(long addr, long size) {
    for (long[] r : imported) {
      if (addr < r[0] + r[1] && r[0] < addr + size) {
        return true;
      }
    }
    return false;
  }

  void reportSwapped(Process q, long buf, long size) {
    if (!run.strategy().contract().promises(org.userptrlab.core.spi.Promise.GPU_SEES_LATER_CPU_WRITES) || !run.strategy().holdsPages()
        || !imported(buf, size)) {
      return;
    }
    int out = swappedPages(q, buf, size);
    long pages = pages(buf, size);
    if (out > 0) {
      run.hazard(HazardKind.SWAPPED_WHILE_HELD, out + " of the " + pages + " pages the object shares with the program were swapped out while it lived");
    }
  }

  /**
   * For a strategy that shares the program's pages: a reference or a pin of a page holds its whole folio
   * (the refcount is the folio's), which can then be neither split nor migrated nor reclaimed. Where the
   * folios the range's pages belong to hold more pages than the range, that is a hazard, with what was
   * charged (pinned_vm and locked_vm count the range's pages).
   */
  void reportHeld(Process q, long buf, long size) {
    if (!run.strategy().holdsPages() || !imported(buf, size)) {
      return;
    }
    // Before 4.5 (53f9263baba6) split_huge_page could not fail: the references on a THP's pages went to the pages, so a
    // held page kept only itself; a hugetlb page is held whole on every kernel.
    boolean thpHeldWhole = m.kernelConfig().has(org.userptrlab.mm.KernelChange.THP_PTE_MAPPED);
    java.util.Set<Integer> folios = new java.util.HashSet<>();
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    long held = 0;
    long large = 0;
    long last = Math.min(end(buf, size), Long.MAX_VALUE - 4095);
    for (long page = buf & -4096L; page < last; page += 4096) {
      long pfn = q.pagemap(page);
      if (pfn <= 0 || pfn >= m.totalPages()) {
        continue;
      }
      // Each folio once: what is asked of it is the folio's (its count, its mappings, its flags).
      int folio = m.folio((int) pfn);
      if (!seen.add(folio)) {
        continue;
      }
      // The huge zeropage is no one's to hold (reserved); a folio with no reference beyond its mappings is held by no one.
      if (m.folioHeld(folio) && (thpHeldWhole || m.folioHugetlb(folio)) && folios.add(folio)) {
        int nr = m.folioNrPages(folio);
        held += nr;
        large += nr > 1 ? 1 : 0;
      }
    }
    long pages = pages(buf, size);
    if (large > 0 && held > pages) {
      run.hazard(HazardKind.LARGE_FOLIO_HELD, String.format("the import of %d page%s at 0x%x holds %d pages: %d large folio%s, none of which "
          + "can be split, migrated or reclaimed while the object lives (%d pages charged to pinned_vm, %d to locked_vm)", pages,
          pages == 1 ? "" : "s", buf, held,
          large, large == 1 ? "" : "s", q.pinnedVm(), q.lockedVm()));
    }
  }

  /** A driver's cma_alloc of {@code bytes}, given back at once; a failure is a hazard. Returns whether it succeeded. */
  boolean cmaAlloc(long bytes) {
    try {
      m.kernel().cmaAlloc((int) (bytes >>> 12)).release();
      return true;
    } catch (org.userptrlab.mm.MmException e) {
      run.hazard(HazardKind.CMA_ALLOC_FAILED, "cma_alloc of " + org.userptrlab.lab.Sizes.format(bytes)
          + " failed while the object lived: " + e.getMessage());
      return false;
    }
  }

  /** Frames still allocated (but the zero page) after every user went: a hazard. */
  void reportLeaks() {
    // A hugetlb pool's free huge pages were set aside at boot: they are the pool's, not anyone's leak.
    long pooled = 0;
    for (long bytes : new long[] {2L << 20, 1L << 30}) {
      org.userptrlab.mm.HugetlbPool pool = m.hugetlbPool(bytes);
      pooled += pool == null ? 0 : (long) pool.freeHugepages() * (bytes >>> 12);
    }
    long notFree = m.totalPages() - 1 - m.freePages() - pooled;
    if (notFree != 0) {
      run.hazard(HazardKind.PAGES_LEAKED, "after the object went, " + notFree + " pages were still not free");
    }
  }

  /** Compaction of the whole machine; pages that would not move are a hazard. */
  void compact() {
    long[] result = m.kernel().compactMemory();
    if (result[1] > 0) {
      run.hazard(HazardKind.COMPACTION_BLOCKED, "compaction could not move " + result[1] + " pages (moved " + result[0] + ")");
    }
  }

  /**
   * Whether a GPU write to the object fails (a hazard, its detail led by {@code where}): the driver binds
   * an object imported READ_ONLY read-only in the GPU's page tables (i915_gem_object_set_readonly).
   */
  boolean writeRefused(int h, String where) {
    if (!readOnlyHandles.contains(h)) {
      return false;
    }
    run.hazard(HazardKind.GPU_JOB_FAILED, where + "GPU job failed: object " + h + " was imported READ_ONLY; the GPU's page table maps it read-only");
    return true;
  }

  /**
   * The OOM killer picks {@code victim} (oom_kill_process, wake_oom_reaper). The OOM reaper's first
   * attempt comes at once; the victim, killed, exits meanwhile, and its exit_mmap may wait (a
   * notifier that waits for a GPU job). The reaper tries again HZ/10 apart, up to
   * MAX_OOM_REAP_RETRIES in all, and stops once exit_mmap is done (MMF_OOM_SKIP, which
   * oom_reap_task_mm checks first). Memory still unreaped after the last attempt, because a
   * notifier would block, is a hazard.
   */
  void oomKill(Process victim, org.userptrlab.core.time.VirtualClock clock) {
    org.userptrlab.core.time.Actor reaper = clock.actor("oom_reaper", org.userptrlab.core.time.Actor.Kind.KERNEL, "oom_reaper");
    long at = clock.now();
    long[] attempt = m.kernel().oomReapTaskMm(victim);
    long reaped = attempt[0];
    clock.occupy(reaper, at, 0, org.userptrlab.core.time.SpanKind.WORK, "oom_reap_task_mm: " + attempt[0] + " pages, "
        + attempt[1] + " VMAs skipped");
    victim.exit();
    long exited = clock.now();
    int attempts = 1;
    while (attempt[1] > 0 && attempts < MAX_OOM_REAP_RETRIES) {
      at = reaper.time() + OOM_REAP_RETRY_NS;
      if (at >= exited) {
        clock.occupy(reaper, at, 0, org.userptrlab.core.time.SpanKind.WORK, "oom_reap_task_mm: MMF_OOM_SKIP (the victim has exited)");
        return;
      }
      attempts++;
      // exit_mmap still waits with the VMAs in place: the same notifiers refuse to block again.
      clock.occupy(reaper, at, 0, org.userptrlab.core.time.SpanKind.WORK, "oom_reap_task_mm: 0 pages, " + attempt[1]
          + " VMAs skipped");
    }
    if (attempt[1] > 0) {
      run.hazard(HazardKind.OOM_REAPER_SKIPPED, String.format("oom_reaper: unable to reap pid:%d (%s) after %d attempts: %d VMA(s) "
          + "skipped because a notifier would block (%d pages reaped); their memory stays until the victim's exit, which waits "
          + "for its notifiers, is done", victim.pid(), victim.name(), MAX_OOM_REAP_RETRIES, attempt[1], reaped));
    }
  }

  /** MAX_OOM_REAP_RETRIES and the HZ/10 between attempts (mm/oom_kill.c). */
  static final int MAX_OOM_REAP_RETRIES = 10;
  static final long OOM_REAP_RETRY_NS = 100_000_000L;

  /** The run's end: the process exits as do_exit does it, its address space (exit_mm) before its files (exit_files). */
  void end() {
    if (p.alive()) {
      p.exit();
    }
    f.close();
    reportLaterNotes();
  }

  /** The facts a strategy noted after the import (GPU faults, CPU touches, release), each a hazard of its own kind. */
  private void reportLaterNotes() {
    for (org.userptrlab.gem.GemObject o : objects) {
      for (ImportNote note : o.notes()) {
        HazardKind kind = switch (note.kind()) {
          case CHUNK_PULLED_BACK -> HazardKind.CHUNK_PULLED_BACK;
          case MIGRATION_PING_PONG -> HazardKind.MIGRATION_PING_PONG;
          case COW_BROKEN_BY_GPU_READ -> HazardKind.COW_BROKEN_BY_GPU_READ;
          case DEVICE_MEMORY_HELD -> HazardKind.DEVICE_MEMORY_HELD;
          default -> null;
        };
        if (kind != null) {
          run.hazard(kind, note.detail());
        }
      }
    }
  }
}
