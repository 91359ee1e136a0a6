package org.userptrlab.mm;

import java.util.ArrayList;
import java.util.List;

/**
 * mm/mmu_notifier.c's interval notifiers: a driver mirroring part of an address space registers
 * an interval and is told, before the PTEs change, that a range is being invalidated. A sequence
 * count lets it detect, after reading the page tables, that an invalidation happened meanwhile.
 */
final class MmuNotifiers {
  private final List<MmuIntervalNotifier> subscriptions = new ArrayList<>();
  private final VmStat stat;
  /** subscriptions->invalidate_seq: odd while an invalidation is running. */
  private long invalidateSeq = 2;

  private final Lockdep lockdep;

  MmuNotifiers(VmStat stat, Lockdep lockdep) {
    this.stat = stat;
    this.lockdep = lockdep;
  }

  void insert(MmuIntervalNotifier sub) {
    sub.seq = invalidateSeq;
    subscriptions.add(sub);
  }

  /** mmu_interval_read_begin's lock_map_acquire and release of the invalidate map, for lockdep. */
  void readBegin() {
    lockdep.touch(Lockdep.INVALIDATE_RANGE_START, "mmu_interval_read_begin");
  }

  void remove(MmuIntervalNotifier sub) {
    subscriptions.remove(sub);
  }

  long currentSeq() {
    return invalidateSeq;
  }

  /**
   * mmu_notifier_invalidate_range_start: calls every interval of {@code mm} that overlaps
   * [startVpn, endVpn), in registration order, with the odd sequence number of this invalidation.
   */
  void invalidate(Mm mm, long startVpn, long endVpn, MmuNotifierEvent event) {
    invalidate(mm, startVpn, endVpn, event, true, null);
  }

  /** mmu_notifier_range_init_owner then invalidate_range_start: a migration that names the device memory's owner. */
  void invalidate(Mm mm, long startVpn, long endVpn, MmuNotifierEvent event, Object owner) {
    invalidate(mm, startVpn, endVpn, event, true, owner);
  }

  /**
   * mmu_notifier_invalidate_range_start_nonblock (the OOM reaper's): as {@link #invalidate}, but each
   * callback is told it may not sleep, and the first that answers it would have to ends the
   * invalidation (mn_itree_invalidate's out_would_block): false, -EAGAIN to the caller.
   */
  boolean invalidateNonblock(Mm mm, long startVpn, long endVpn, MmuNotifierEvent event) {
    return invalidate(mm, startVpn, endVpn, event, false, null);
  }

  private boolean invalidate(Mm mm, long startVpn, long endVpn, MmuNotifierEvent event, boolean blockable, Object owner) {
    long start = Page.addr(startVpn);
    long end = Page.addr(endVpn);
    long cur = invalidateSeq + 1;
    // The lockdep map is taken whether or not the mm has notifiers, as the inline wrapper does.
    lockdep.acquire(Lockdep.INVALIDATE_RANGE_START, "mmu_notifier_invalidate_range_start");
    try {
      return callAll(mm, start, end, event, blockable, owner, cur);
    } finally {
      lockdep.release(Lockdep.INVALIDATE_RANGE_START);
    }
  }

  /** mn_itree_invalidate: each overlapping interval's callback, in registration order. */
  private boolean callAll(Mm mm, long start, long end, MmuNotifierEvent event, boolean blockable, Object owner, long cur) {
    if (subscriptions.isEmpty()) {
      return true;
    }
    boolean any = false;
    for (MmuIntervalNotifier sub : new ArrayList<>(subscriptions)) {
      if (sub.mm == mm && sub.start < end && start < sub.end && subscriptions.contains(sub)) {
        if (!any) {
          invalidateSeq = cur;
          any = true;
        }
        stat.count(VmEvent.MMU_NOTIFIER_INVALIDATE);
        if (!sub.ops.invalidate(sub, new MmuNotifierRange(Math.max(start, sub.start), Math.min(end, sub.end), event, blockable, owner), cur)
            && !blockable) {
          invalidateSeq = cur + 1;
          return false;
        }
      }
    }
    if (any) {
      invalidateSeq = cur + 1;
    }
    return true;
  }

}
