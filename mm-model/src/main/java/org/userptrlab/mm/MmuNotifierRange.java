package org.userptrlab.mm;

/** struct mmu_notifier_range as an interval notifier sees it: the part of its interval being invalidated, and why. */
public record MmuNotifierRange(long start, long end, MmuNotifierEvent event) {}
