package org.userptrlab.mm;

/**
 * struct mmu_notifier_range as an interval notifier sees it: the part of its interval being
 * invalidated, why, and whether the callback may sleep (mmu_notifier_range_blockable: false only
 * for the OOM reaper's mmu_notifier_invalidate_range_start_nonblock).
 */
public record MmuNotifierRange(long start, long end, MmuNotifierEvent event, boolean blockable) {
  public MmuNotifierRange(long start, long end, MmuNotifierEvent event) {
    this(start, end, event, true);
  }
}
