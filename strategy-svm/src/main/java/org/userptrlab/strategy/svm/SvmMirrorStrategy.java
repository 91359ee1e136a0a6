package org.userptrlab.strategy.svm;

import com.google.inject.Inject;
import org.userptrlab.core.time.VirtualClock;
import org.userptrlab.mm.Kernel;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;

/** `svm-mirror`: drm_gpusvm without migration, as on an integrated GPU: the process's system pages mapped for the GPU on its faults, never moved. */
public final class SvmMirrorStrategy extends GpuSvm {
  public static final String NAME = "svm-mirror";

  @Inject
  SvmMirrorStrategy(Kernel kernel, KernelConfig kernelConfig, MachineConfig machine, VirtualClock clock) {
    super(NAME, SvmPolicy.MIRROR, kernel, kernelConfig, machine, clock);
  }
}
