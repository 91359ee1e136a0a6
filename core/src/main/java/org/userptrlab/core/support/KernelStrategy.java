package org.userptrlab.core.support;

import org.userptrlab.core.spi.Contract;
import org.userptrlab.core.spi.UserptrStrategy;

import org.userptrlab.mm.Kernel;
import org.userptrlab.mm.KernelConfig;

/** What every strategy built on the machine's kernel services has: its name, its contract, the kernel it calls. */
public abstract class KernelStrategy implements UserptrStrategy {
  private final String name;
  private final Contract contract;
  protected final Kernel kernel;
  protected final KernelConfig kernelConfig;

  protected KernelStrategy(String name, Contract contract, Kernel kernel, KernelConfig kernelConfig) {
    this.name = name;
    this.contract = contract;
    this.kernel = kernel;
    this.kernelConfig = kernelConfig;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Contract contract() {
    return contract;
  }
}
