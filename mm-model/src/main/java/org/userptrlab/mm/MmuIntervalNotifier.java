package org.userptrlab.mm;

/**
 * struct mmu_interval_notifier: one driver's subscription to [start, end) of a process's address
 * space. The driver's {@link Ops#invalidate} is called before PTEs in the interval change and must
 * call {@link #setSeq} (under the driver's lock, in the kernel); a mirror reads the page tables
 * between {@link #readBegin()} and {@link #readRetry(long)} and starts over when that says so.
 */
public final class MmuIntervalNotifier {
  /** struct mmu_interval_notifier_ops. */
  @FunctionalInterface
  public interface Ops {
    /** Returns false only when it could not act without blocking (never asked of it here). */
    boolean invalidate(MmuIntervalNotifier sub, MmuNotifierRange range, long curSeq);
  }

  final Mm mm;
  final long start;
  final long end;
  final Ops ops;
  private final MmuNotifiers registry;
  long seq;
  private boolean removed;

  MmuIntervalNotifier(MmuNotifiers registry, Mm mm, long start, long end, Ops ops) {
    this.registry = registry;
    this.mm = mm;
    this.start = start;
    this.end = end;
    this.ops = ops;
  }

  public long start() {
    return start;
  }

  public long end() {
    return end;
  }

  /** mmu_interval_read_begin: the sequence to hand to {@link #readRetry(long)}. */
  public long readBegin() {
    registry.readBegin();
    return seq;
  }

  /** mmu_interval_read_retry: whether an invalidation ran since {@code seq} was read. */
  public boolean readRetry(long seq) {
    return this.seq != seq;
  }

  /** mmu_interval_set_seq: called by the invalidate callback with the sequence it was given. */
  public void setSeq(long curSeq) {
    this.seq = curSeq;
  }

  /** mmu_interval_notifier_remove. */
  public void remove() {
    if (!removed) {
      removed = true;
      registry.remove(this);
    }
  }

  public boolean isRemoved() {
    return removed;
  }
}
