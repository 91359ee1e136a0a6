package org.userptrlab.strategy.svm;

import com.google.inject.Inject;
import org.userptrlab.core.time.VirtualClock;
import org.userptrlab.mm.Kernel;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;

/** `svm-kfd`: xe's fault path with amdkfd's rule for write: asked whenever the CPU's VMA is writable, so a GPU read breaks copy-on-write even of an object imported read-only. */
public final class SvmKfdStrategy extends GpuSvm {
  public static final String NAME = "svm-kfd";

  @Inject
  SvmKfdStrategy(Kernel kernel, KernelConfig kernelConfig, MachineConfig machine, VirtualClock clock) {
    super(NAME, SvmPolicy.AMDKFD, kernel, kernelConfig, machine, clock);
  }
}
