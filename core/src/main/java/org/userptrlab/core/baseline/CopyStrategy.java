package org.userptrlab.core.baseline;

import com.google.inject.Inject;
import org.userptrlab.core.Contract;
import org.userptrlab.core.KernelStrategy;
import org.userptrlab.core.ShmemObject;
import org.userptrlab.core.UserptrBacking;
import org.userptrlab.core.UserptrRequest;
import org.userptrlab.mm.Machine;

/**
 * The baseline: no userptr at all. The bytes are copied into a new shmem-backed object, as a GL
 * library does with GEM CREATE and PWRITE; the program's memory is left alone. Costs a memcpy per
 * upload.
 */
public final class CopyStrategy extends KernelStrategy {
  public static final String NAME = "copy";

  @Inject
  CopyStrategy(Machine machine) {
    super(NAME, Contract.SNAPSHOT, machine);
  }



  @Override
  public UserptrBacking importRange(UserptrRequest r) {
    return ShmemObject.copyOf(kernel, r, NAME);
  }
}
