package org.userptrlab.core.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.util.Map;
import org.userptrlab.core.driver.DriverLimits;
import org.userptrlab.core.spi.UserptrStrategy;
import org.userptrlab.mm.Kernel;
import org.userptrlab.mm.KernelEra;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.MachineConfig;

/**
 * The base module of one run: a fresh machine built from the configuration, its kernel services,
 * the driver's limits, every strategy on the class path, and the one chosen by name. Build one
 * injector per (strategy, run) so that runs never share a machine. The name must be one of {@link
 * Strategies#names()}; {@link org.userptrlab.core.harness.Comparison} checks it before building.
 */
public final class LabModule extends AbstractModule {
  private final MachineConfig config;
  private final DriverLimits limits;
  private final String strategy;

  public LabModule(MachineConfig config, DriverLimits limits, String strategy) {
    this.config = config;
    this.limits = limits;
    this.strategy = strategy;
  }

  @Override
  protected void configure() {
    bind(MachineConfig.class).toInstance(config);
    bind(DriverLimits.class).toInstance(limits);
    bind(String.class).annotatedWith(ChosenStrategy.class).toInstance(strategy);
    Strategies.discoveredModules().forEach(this::install);
  }

  @Provides
  @Singleton
  Machine machine(MachineConfig config) {
    return new Machine(config);
  }

  @Provides
  Kernel kernel(Machine machine) {
    return machine.kernel();
  }

  @Provides
  KernelEra era(Machine machine) {
    return machine.era();
  }

  @Provides
  @Singleton
  UserptrStrategy chosen(Map<String, UserptrStrategy> all, @ChosenStrategy String name) {
    UserptrStrategy s = all.get(name);
    if (s == null) {
      throw new IllegalArgumentException(Strategies.unknown(name));
    }
    return s;
  }
}
