package org.userptrlab.strategy.svm;

import java.util.Optional;
import org.userptrlab.core.spi.Contract;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.core.spi.UserptrRequest;
import org.userptrlab.core.support.KernelStrategy;
import org.userptrlab.core.time.VirtualClock;
import org.userptrlab.mm.Kernel;
import org.userptrlab.mm.KernelChange;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;

/**
 * What the three variants share: the GPU's device memory of the run's machine (none on a GPU
 * without, or on a kernel before device-private memory, when every variant mirrors system pages),
 * and a GPU fault path per object. Nothing is pinned, nothing is held: COHERENT by mirroring.
 */
abstract class GpuSvm extends KernelStrategy {
  private final SvmPolicy policy;
  private final VirtualClock clock;
  private final Vram vram;

  GpuSvm(String name, SvmPolicy policy, Kernel kernel, KernelConfig kernelConfig, MachineConfig machine, VirtualClock clock) {
    super(name, Contract.COHERENT, kernel, kernelConfig);
    this.policy = policy;
    this.clock = clock;
    // Device memory the GPU migrates to: MEMORY_DEVICE_PRIVATE, migrate_vma_setup's API, and hmm_range_fault telling
    // its own device pages from another driver's (dev_private_owner), which the SVM drivers need.
    boolean canMigrate = kernelConfig.has(KernelChange.DEVICE_PRIVATE) && kernelConfig.has(KernelChange.MIGRATE_VMA_SETUP)
        && kernelConfig.has(KernelChange.HMM_DEV_PRIVATE_OWNER) && kernelConfig.has(KernelChange.HMM_PFN_API);
    this.vram = new Vram(kernel, canMigrate ? machine.devicePrivateBytes() : 0);
  }

  /** A mirror takes no reference: reclaim may swap the range out, which only invalidates the GPU's mapping. */
  @Override
  public boolean holdsPages() {
    return false;
  }

  @Override
  public Optional<String> standsFor() {
    if (kernelConfig.has(KernelChange.DRM_GPUSVM)) {
      return Optional.empty();
    }
    if (kernelConfig.has(KernelChange.HMM_DEV_PRIVATE_OWNER) && kernelConfig.has(KernelChange.HMM_PFN_API)
        && kernelConfig.has(KernelChange.INTERVAL_NOTIFIER)) {
      return Optional.of(String.format("no drm_gpusvm before %s (%s): %s stands for the drivers' own SVM code of the time, "
          + "amdkfd's (5.14) and nouveau's, the same hmm_range_fault, interval notifiers and migrate_vma", KernelChange.DRM_GPUSVM.release(),
          KernelChange.DRM_GPUSVM.commit(), name()));
    }
    return Optional.of(String.format("no hmm_range_fault with dev_private_owner and its pfn format before %s (%s) nor drm_gpusvm: "
        + "%s stands for a GPU that walks the process's page tables itself (IOMMU PASID with page requests, as AMD's IOMMUv2 "
        + "of 3.5), faulting pages in and never moving them into its own memory", KernelChange.HMM_PFN_API.release(),
        KernelChange.HMM_PFN_API.commit(), name()));
  }

  @Override
  public UserptrBacking importRange(UserptrRequest r) {
    return new SvmObject(kernel, vram, policy, clock, r, kernelConfig.has(KernelChange.HMM_PFN_API));
  }
}
