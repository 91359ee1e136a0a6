package org.userptrlab.core.baseline;

import com.google.inject.Inject;
import org.userptrlab.core.Contract;
import org.userptrlab.core.ShmemObject;
import org.userptrlab.core.UserptrBacking;
import org.userptrlab.core.UserptrRequest;
import org.userptrlab.core.UserptrStrategy;
import org.userptrlab.mm.Kernel;
import org.userptrlab.mm.Machine;

/**
 * The baseline: no userptr at all. The bytes are copied into a new shmem-backed object, as a GL
 * library does with GEM CREATE and PWRITE; the program's memory is left alone. Costs a memcpy per
 * upload.
 */
public final class CopyStrategy implements UserptrStrategy {
  public static final String NAME = "copy";
  private final Kernel kernel;

  @Inject
  CopyStrategy(Machine machine) {
    this.kernel = machine.kernel();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Contract contract() {
    return Contract.SNAPSHOT;
  }

  @Override
  public UserptrBacking importRange(UserptrRequest r) {
    return ShmemObject.copyOf(kernel, r, NAME);
  }
}
