package org.userptrlab.mm;

/**
 * struct mmu_notifier_range as an interval notifier sees it: the part of its interval being
 * invalidated, why, whether the callback may sleep (mmu_notifier_range_blockable: false only for
 * the OOM reaper's mmu_notifier_invalidate_range_start_nonblock), and for a migration to or from
 * device memory the owner its driver passed (mmu_notifier_range_init_owner), so that a driver can
 * skip the invalidation its own migration causes; null otherwise.
 */
public record MmuNotifierRange(long start, long end, MmuNotifierEvent event, boolean blockable, Object owner) {
  public MmuNotifierRange(long start, long end, MmuNotifierEvent event, boolean blockable) {
    this(start, end, event, blockable, null);
  }

  public MmuNotifierRange(long start, long end, MmuNotifierEvent event) {
    this(start, end, event, true, null);
  }
}
