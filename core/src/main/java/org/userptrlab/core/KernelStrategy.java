package org.userptrlab.core;

import org.userptrlab.mm.Kernel;
import org.userptrlab.mm.KernelEra;
import org.userptrlab.mm.Machine;

/** What every strategy built on the machine's kernel services has: its name, its contract, the kernel it calls. */
public abstract class KernelStrategy implements UserptrStrategy {
  private final String name;
  private final Contract contract;
  protected final Kernel kernel;
  protected final KernelEra era;

  protected KernelStrategy(String name, Contract contract, Machine machine) {
    this.name = name;
    this.contract = contract;
    this.kernel = machine.kernel();
    this.era = machine.era();
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
