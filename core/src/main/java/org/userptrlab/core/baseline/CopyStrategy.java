package org.userptrlab.core.baseline;

import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.Kernel;
import com.google.inject.Inject;
import org.userptrlab.core.spi.Contract;
import org.userptrlab.core.support.KernelStrategy;
import org.userptrlab.core.support.ShmemObject;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.core.spi.UserptrRequest;

/**
 * The baseline: no userptr at all. The bytes are copied into a new shmem-backed object, as a GL
 * library does with GEM CREATE and PWRITE; the program's memory is left alone. Costs a memcpy per
 * upload.
 */
public final class CopyStrategy extends KernelStrategy {
  public static final String NAME = "copy";

  @Inject
  CopyStrategy(Kernel kernel, KernelConfig kernelConfig) {
    super(NAME, Contract.SNAPSHOT, kernel, kernelConfig);
  }

  /** i915_gem_pwrite_ioctl and its kin only read the user's buffer (copy_from_user): PROT_READ is enough. */
  @Override
  public boolean onlyReadsRange() {
    return true;
  }

  @Override
  public UserptrBacking importRange(UserptrRequest r) {
    return ShmemObject.copyOf(kernel, r, NAME);
  }
}
