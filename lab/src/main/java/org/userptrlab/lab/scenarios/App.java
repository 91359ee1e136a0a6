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
  /** The harness's observations of this program's processes, which know what it imported. */
  final ProcessReports reports;
  /** Every object imported, closed or not: what a strategy notes while they live is read at the end. */
  private final java.util.List<org.userptrlab.gem.GemObject> objects = new java.util.ArrayList<>();
  final Gpu gpu;

  App(ScenarioRun run, String name) {
    this.run = run;
    this.m = run.machine();
    this.p = m.spawn(name);
    this.reports = new ProcessReports(run, imported);
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
    return reports.free(p, ptr);
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

  /** MADV_DONTNEED of every other page of the range from its third: free memory scattered for compaction to gather. */
  static void fragment(Process q, long addr, long len) {
    long base = addr & -4096L;
    for (long off = 8192; off < len - 8192; off += 8192) {
      q.madvise(base + off, 4096, org.userptrlab.mm.Mman.MADV_DONTNEED);
    }
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
