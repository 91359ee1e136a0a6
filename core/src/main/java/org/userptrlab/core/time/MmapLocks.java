package org.userptrlab.core.time;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.userptrlab.mm.MmapLockContention;

/**
 * Each address space's mmap_lock in virtual time, a reader-writer semaphore: a call that takes it
 * while another thread's call holds it in a conflicting mode waits until that call returns (a
 * munmap waiting in its notifier for a GPU job holds up another thread's mprotect, a fork's
 * dup_mmap every other call). The model runs one call at a time, in the order the calls start, so a
 * hold is known whole by the time a later call asks. As rwsem does, a writer that waits shuts out
 * the readers that come after it. A page fault waits for a writer, of the lock or (from 6.4) of its
 * VMA, and holds no one up.
 */
final class MmapLocks implements MmapLockContention {
  /** One call's hold of one address space's lock: whose, the thread, since when it asked and held it, until when, how. */
  private static final class Hold {
    final int mm;
    final Actor actor;
    final String call;
    final long requested;
    final long acquired;
    final boolean write;
    long end = Long.MAX_VALUE;
    /** The VMAs a write hold write-locked (vma_start_write), as [start, end) pairs; null while it names none: every VMA. */
    long[] vmas;

    Hold(int mm, Actor actor, String call, long requested, long acquired, boolean write) {
      this.mm = mm;
      this.actor = actor;
      this.call = call;
      this.requested = requested;
      this.acquired = acquired;
      this.write = write;
    }
  }

  private final VirtualClock clock;
  private final Map<Integer, List<Hold>> holds = new HashMap<>();
  /**
   * By address space, when the last write hold that has ended ended: a fault at or after it finds
   * no writer (every other write hold has ended by the time the call in progress runs), which a
   * fault, taken a page at a time, asks first.
   */
  private final Map<Integer, long[]> writtenUntil = new HashMap<>();
  /** The address space the last fault was in, and its entry in {@link #writtenUntil}: a fill faults page after page. */
  private int lastMm = -1;
  private long[] lastUntil;
  /** The holds of the call in progress, which end when it returns. */
  private final List<Hold> open = new ArrayList<>();

  MmapLocks(VirtualClock clock) {
    this.clock = clock;
  }

  @Override
  public void lock(int mm, boolean write, String call) {
    if (!clock.inCall() || held(mm) >= 0) {
      // Outside a timed call nothing waits; a call that holds the lock already (a walk retried) holds it still.
      return;
    }
    List<Hold> of = holds.computeIfAbsent(mm, k -> new ArrayList<>());
    Actor me = clock.current();
    // No call starts before the schedule's frontier, except a submission's commit on its thread's own time
    // (the ioctl starting over), which may still meet a hold that ended before the frontier.
    long frontier = Math.min(clock.frontier(), me.time());
    of.removeIf(h -> h.end <= frontier);
    if (clock.servicingElsewhere()) {
      // A GPU fault's handler (xe_svm_handle_pagefault, in its worker) takes the lock, not the submitting thread:
      // the job waits for another thread's writer until it lets go, and the thread goes on. The handler's
      // hold is short and holds up no later call here.
      long t = me.time();
      for (Hold h = blocker(of, me, t, write); h != null; h = blocker(of, me, t, write)) {
        t = h.end;
        clock.blockedElsewhere(t, "mmap_lock, which " + h.call + (h.acquired > me.time() ? " waits for first" : " holds"));
      }
      return;
    }
    long requested = me.time();
    for (Hold h = blocker(of, me, me.time(), write); h != null; h = blocker(of, me, me.time(), write)) {
      clock.waitUntil(h.end, "waits for mmap_lock, which " + h.call + (h.acquired > me.time() ? " waits for first" : " holds"));
    }
    Hold mine = new Hold(mm, me, call, requested, me.time(), write);
    of.add(mine);
    open.add(mine);
  }

  @Override
  public void downgrade(int mm) {
    int i = held(mm);
    if (i < 0 || !open.get(i).write) {
      return;
    }
    Hold w = open.get(i);
    long now = clock.current().time();
    ended(w, now);
    Hold r = new Hold(mm, w.actor, w.call, now, now, false);
    holds.get(mm).add(r);
    open.set(i, r);
  }

  @Override
  public void vmaStartWrite(int mm, long start, long end) {
    int i = held(mm);
    if (i < 0 || !open.get(i).write) {
      return;
    }
    Hold h = open.get(i);
    long[] had = h.vmas == null ? new long[0] : h.vmas;
    long[] vmas = java.util.Arrays.copyOf(had, had.length + 2);
    vmas[had.length] = start;
    vmas[had.length + 1] = end;
    h.vmas = vmas;
  }

  @Override
  public void fault(int mm, long addr, boolean vmaLock) {
    long[] until = mm == lastMm ? lastUntil : until(mm);
    if (until[0] <= clock.current().time() || !clock.inCall() || held(mm) >= 0 || clock.servicingElsewhere()) {
      // A GPU fault's handler faults under the mmap_lock it waited for already (lock).
      return;
    }
    List<Hold> of = holds.get(mm);
    Actor me = clock.current();
    // lock_vma_under_rcu fails on a VMA a writer holds and the fault falls back to mmap_read_lock,
    // which that writer holds too: either way it waits for the writer to let it go.
    for (Hold h = vmaLock ? vmaWriter(of, me, addr) : blocker(of, me, me.time(), false); h != null;
        h = vmaLock ? vmaWriter(of, me, addr) : blocker(of, me, me.time(), false)) {
      clock.waitUntil(h.end, "page fault waits for " + (vmaLock ? "its VMA's lock, which " : "mmap_lock, which ") + h.call
          + (h.acquired > me.time() ? " waits for first" : " holds"));
    }
  }

  /** The write hold of another thread that has write-locked the VMA at {@code addr} at {@code me}'s time, ending last. */
  private static Hold vmaWriter(List<Hold> of, Actor me, long addr) {
    long t = me.time();
    Hold latest = null;
    for (Hold h : of) {
      if (h.actor == me || !h.write || h.acquired > t || h.end <= t || !covers(h, addr)) {
        continue;
      }
      if (latest == null || h.end > latest.end) {
        latest = h;
      }
    }
    return latest;
  }

  private static boolean covers(Hold h, long addr) {
    if (h.vmas == null) {
      return true;
    }
    for (int i = 0; i < h.vmas.length; i += 2) {
      if (addr >= h.vmas[i] && addr < h.vmas[i + 1]) {
        return true;
      }
    }
    return false;
  }

  /** The call in progress has returned at {@code now}: what it held, it holds no more. */
  void callReturned(long now) {
    for (Hold h : open) {
      ended(h, now);
    }
    open.clear();
  }

  private void ended(Hold h, long now) {
    h.end = now;
    if (h.write) {
      long[] until = until(h.mm);
      until[0] = Math.max(until[0], now);
    }
  }

  /** {@code mm}'s entry in {@link #writtenUntil}, made the first time; kept as the last one asked for. */
  private long[] until(int mm) {
    long[] until = writtenUntil.computeIfAbsent(mm, k -> new long[] {Long.MIN_VALUE});
    lastMm = mm;
    lastUntil = until;
    return until;
  }

  /** Where in {@link #open} the call in progress holds {@code mm}'s lock; -1 if it does not. */
  private int held(int mm) {
    for (int i = 0; i < open.size(); i++) {
      if (open.get(i).mm == mm) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The hold that keeps {@code me} out at time {@code t}, ending last: a writer's from when it asked,
   * a reader's (for a writer only) from when it got the lock.
   */
  private static Hold blocker(List<Hold> of, Actor me, long t, boolean write) {
    Hold latest = null;
    for (Hold h : of) {
      if (h.actor == me || h.end <= t || !(write || h.write)) {
        continue;
      }
      if ((h.write ? h.requested : h.acquired) <= t && (latest == null || h.end > latest.end)) {
        latest = h;
      }
    }
    return latest;
  }
}
