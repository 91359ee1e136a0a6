package org.userptrlab.lab.scenarios;

import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.harness.ScenarioRun;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.Process;

/**
 * What happens to the machine in a program, whoever the program made: reclaim, compaction, another
 * program's pressure, move_pages, a driver's cma_alloc, the OOM killer, and the leak check after
 * every user went. A page that would not move, an allocation that failed or memory the OOM reaper
 * could not take is a hazard of the run.
 */
final class MachineEvents {
  private final ScenarioRun run;
  private final Machine m;
  /** Whether the program has asked reclaim for memory (reclaim, or another program's pressure). */
  private boolean reclaimAsked;

  MachineEvents(ScenarioRun run) {
    this.run = run;
    this.m = run.machine();
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
      for (long a = Math.max(addr & -4096L, v.start()), end = Math.min(ProcessReports.end(addr, len), v.end()); a < end; a += 4096) {
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
    reclaimAsked = true;
    m.kernel().reclaim((int) m.totalPages());
  }

  /** Another program that needs {@code bytes} of memory now: what memory pressure looks like. */
  void pressure(long bytes) {
    if (bytes == 0) {
      // A program that needs nothing: no pressure.
      return;
    }
    reclaimAsked = true;
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
      run.hazard(HazardKind.PAGES_LEAKED, notFree + (notFree == 1 ? " page was" : " pages were") + " still not free at report_leaks "
          + "(a process still alive counts its own)");
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

  /** Whether reclaim has been asked for memory: by the program's reclaim or pressure, or by the kernel itself (it has scanned pages). */
  boolean reclaimAsked() {
    return reclaimAsked || m.vmstat().get(org.userptrlab.mm.VmEvent.PGSCAN) > 0;
  }
}
