package org.userptrlab.core.spi;

import java.util.Optional;

/**
 * The first half of {@link UserptrBacking#pin} for a driver that mirrors the range: the pages were
 * looked up (mmu_interval_read_begin, hmm_range_fault) and are not the job's until {@link #commit}
 * finds no invalidation ran meanwhile (mmu_interval_read_retry under the driver's lock). Between
 * the two, other threads may act.
 */
public interface PendingPin {
  /** The lease, or empty when an invalidation ran since the pages were looked up: the caller starts over. */
  Optional<GpuLease> commit();

  /** A mirror's whole pin: the first half and the commit again until a commit finds the pages current. */
  static GpuLease untilCommitted(java.util.function.Supplier<PendingPin> prepare) {
    while (true) {
      Optional<GpuLease> lease = prepare.get().commit();
      if (lease.isPresent()) {
        return lease.get();
      }
    }
  }

  /** A pin that needs no second half: the lease is the job's already. */
  static PendingPin of(GpuLease lease) {
    return () -> Optional.of(lease);
  }
}
