package org.userptrlab.strategy.backed;

/**
 * What backed-notifier's invalidate callback does about the jobs running on the object, each
 * policy named after the driver function it mirrors. Every one of them answers false (would
 * block) to an invalidation that may not sleep (mmu_notifier_range_blockable false, the OOM
 * reaper's), and sets the interval's sequence under the driver's notifier lock first.
 */
public enum NotifierPolicy {
  /**
   * i915_gem_userptr_invalidate, and amdgpu_hmm_invalidate_gfx alike: dma_resv_wait_timeout on the
   * object's reservation for every fence (DMA_RESV_USAGE_BOOKKEEP, MAX_SCHEDULE_TIMEOUT), so the
   * CPU that unmaps, forks or protects the range stalls for the rest of the GPU's job.
   */
  I915_GEM_USERPTR_INVALIDATE,
  /**
   * xe's vma_userptr_invalidate on a VM in long-running (preempt-fence) mode: it enables signalling
   * on the fences of the VM's reservation, and a preempt fence signals once its queue is off the
   * engine, so the wait is for the preemption, not for the job; the job resumes when the rebind
   * worker has faulted the pages in again (and ends with EFAULT where they are gone).
   */
  XE_VMA_USERPTR_INVALIDATE_LR;

  /** The short name a command line gives it: {@code i915}, {@code xe-lr}. */
  public String shortName() {
    return this == I915_GEM_USERPTR_INVALIDATE ? "i915" : "xe-lr";
  }

  /** The policy of that short name, if there is one. */
  public static java.util.Optional<NotifierPolicy> byShortName(String name) {
    return java.util.Arrays.stream(values()).filter(p -> p.shortName().equals(name)).findFirst();
  }

  /** A module that makes this the policy of backed-notifier (in place of the default, i915's). */
  public com.google.inject.Module binding() {
    return new Binding(this);
  }

  /** The module of one policy, which says which it is. */
  private static final class Binding extends com.google.inject.AbstractModule implements org.userptrlab.core.inject.RunSetting {
    private final NotifierPolicy policy;

    Binding(NotifierPolicy policy) {
      this.policy = policy;
    }

    @Override
    protected void configure() {
      com.google.inject.multibindings.OptionalBinder.newOptionalBinder(binder(), NotifierPolicy.class).setBinding().toInstance(policy);
    }

    @Override
    public String setting() {
      return "--notifier-policy " + policy.shortName();
    }
  }
}
