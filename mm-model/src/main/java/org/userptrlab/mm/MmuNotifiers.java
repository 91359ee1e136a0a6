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

  MmuNotifiers(VmStat stat) {
    this.stat = stat;
  }

  void insert(MmuIntervalNotifier sub) {
    sub.seq = invalidateSeq;
    subscriptions.add(sub);
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
    if (subscriptions.isEmpty()) {
      return;
    }
    long start = Page.addr(startVpn);
    long end = Page.addr(endVpn);
    long cur = invalidateSeq + 1;
    boolean any = false;
    for (MmuIntervalNotifier sub : new ArrayList<>(subscriptions)) {
      if (sub.mm == mm && sub.start < end && start < sub.end && subscriptions.contains(sub)) {
        if (!any) {
          invalidateSeq = cur;
          any = true;
        }
        stat.count(VmEvent.MMU_NOTIFIER_INVALIDATE);
        sub.ops.invalidate(sub, new MmuNotifierRange(Math.max(start, sub.start), Math.min(end, sub.end), event), cur);
      }
    }
    if (any) {
      invalidateSeq = cur + 1;
    }
  }

}
