package org.userptrlab.examples.scenarios;

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

/** A graphics program in a scenario: a process with two threads (CPUs 0 and 1) and the DRM device open. */
final class App {
  final ScenarioRun run;
  final Machine m;
  final Process p;
  final DrmFile f;
  final Gpu gpu;

  App(ScenarioRun run, String name) {
    this.run = run;
    this.m = run.machine();
    this.p = m.spawn(name);
    p.runOn(0, 1);
    // As GPU and RDMA users are set up (ulimit -l): RLIMIT_MEMLOCK is the rlimit-memlock scenario's subject only.
    p.setCapability(org.userptrlab.mm.Capability.CAP_SYS_RESOURCE, true);
    p.setrlimitMemlock(1L << 30, 1L << 30);
    p.setCapability(org.userptrlab.mm.Capability.CAP_SYS_RESOURCE, false);
    DrmDevice dev = run.get(DrmDevice.class);
    this.f = dev.open(p);
    this.gpu = dev.gpu();
  }

  /** malloc(3) a buffer and fill it with the seed's stream, as a program reads data into it. */
  long mallocFilled(long size, long seed) {
    long buf = p.malloc(size);
    p.fill(buf, size, seed);
    return buf;
  }

  /** The userptr ioctl with no flags; what the strategy reported about the import goes into the run's hazards. */
  int userptr(long addr, long size) {
    int h = f.userptr(addr, size, Set.<UserptrFlag>of());
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

  /** A GPU job reading the object; a failed job (the strategy could not get the pages) is a hazard and reads as false. */
  boolean gpuSees(int h, long seed) {
    return gpuSees(h, 0, f.lookup(h).size(), seed, 0);
  }

  boolean gpuSees(int h, long from, long len, long seed, long streamPos) {
    try {
      return gpu.reads(f, h, from, len, seed, streamPos);
    } catch (org.userptrlab.mm.MmException e) {
      run.hazard(HazardKind.GPU_JOB_FAILED, "GPU job failed: " + e.getMessage());
      return false;
    }
  }

  /** A GPU job writing the object; false (and a hazard) if the job failed. */
  boolean gpuWrites(int h, long seed) {
    try {
      gpu.writes(f, h, seed);
      return true;
    } catch (org.userptrlab.mm.MmException e) {
      run.hazard(HazardKind.GPU_JOB_FAILED, "GPU job failed: " + e.getMessage());
      return false;
    }
  }

  /** How many pages of [addr, addr + len) are swapped out right now. */
  int swappedPages(long addr, long len) {
    int n = 0;
    for (long a = addr & -4096L; a < addr + len; a += 4096) {
      n += p.swappedOut(a) ? 1 : 0;
    }
    return n;
  }

  /** Pages of the program's VMAs that carry VM_LOCKED. */
  long lockedVmaPages() {
    return lockedVmaPages(p);
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
    org.userptrlab.mm.Process hog = m.spawn("hog");
    long a = hog.mmap(0, bytes, org.userptrlab.mm.Mman.PROT_READ | org.userptrlab.mm.Mman.PROT_WRITE,
        org.userptrlab.mm.Mman.MAP_PRIVATE | org.userptrlab.mm.Mman.MAP_ANONYMOUS);
    hog.fill(a, bytes, 77);
    hog.exit();
  }

  /**
   * GEM close. A strategy that cleared VM_LOCKED behind munlock's back on release (the Exynos patch)
   * leaves its pages mlocked and unevictable: a hazard.
   */
  void gemClose(int h) {
    f.gemClose(h);
    int stranded = m.strandedMlockedPages();
    if (stranded > 0) {
      run.hazard(HazardKind.UNEVICTABLE_AFTER_RELEASE, String.format("%d pages stayed PG_mlocked and unevictable after the object "
          + "cleared VM_LOCKED without munlocking them; reclaim skips them until they are freed", stranded));
    }
  }

  /**
   * How many pages of the imported range left the program for swap while the object lived: a
   * hazard only for a strategy whose object is the program's own memory (COHERENT).
   */
  void reportSwapped(long buf, long size) {
    if (!run.strategy().contract().promises(org.userptrlab.core.spi.Promise.GPU_SEES_LATER_CPU_WRITES)) {
      return;
    }
    int out = swappedPages(buf, size);
    long pages = (((buf + size + 4095) & -4096L) - (buf & -4096L)) >>> 12;
    if (out > 0) {
      run.hazard(HazardKind.SWAPPED_WHILE_HELD, out + " of the " + pages + " pages the object shares with the program were swapped out while it lived");
    }
  }

  /** A driver's cma_alloc of {@code bytes}, given back at once; a failure is a hazard. Returns whether it succeeded. */
  boolean cmaAlloc(long bytes) {
    try {
      m.kernel().cmaAlloc((int) (bytes >>> 12)).release();
      return true;
    } catch (org.userptrlab.mm.MmException e) {
      run.hazard(HazardKind.CMA_ALLOC_FAILED, "cma_alloc of " + org.userptrlab.examples.lab.Sizes.format(bytes)
          + " failed while the object lived: " + e.getMessage());
      return false;
    }
  }

  /** Frames still allocated (but the zero page) after every user went: a hazard. */
  void reportLeaks() {
    if (m.freePages() != m.totalPages() - 1) {
      run.hazard(HazardKind.PAGES_LEAKED, "after the object went, " + (m.totalPages() - 1 - m.freePages()) + " pages were still not free");
    }
  }

  /** Compaction of the whole machine; pages that would not move are a hazard. */
  void compact() {
    long[] result = m.kernel().compactMemory();
    if (result[1] > 0) {
      run.hazard(HazardKind.COMPACTION_BLOCKED, "compaction could not move " + result[1] + " pages (moved " + result[0] + ")");
    }
  }

  void end() {
    f.close();
    if (p.alive()) {
      p.exit();
    }
  }
}
