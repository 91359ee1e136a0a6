package org.userptrlab.strategy.svm;

import com.google.inject.Inject;
import org.userptrlab.core.time.VirtualClock;
import org.userptrlab.mm.Kernel;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;

/** `svm`: xe over drm_gpusvm (6.15): GPU faults, ranges of 2 MiB, 64 KiB or 4 KiB, and those of 64 KiB or more migrated to device memory on their first fault; write asked unless the object is read-only. */
public final class SvmStrategy extends GpuSvm {
  public static final String NAME = "svm";

  @Inject
  SvmStrategy(Kernel kernel, KernelConfig kernelConfig, MachineConfig machine, VirtualClock clock) {
    super(NAME, SvmPolicy.XE, kernel, kernelConfig, machine, clock);
  }
}
