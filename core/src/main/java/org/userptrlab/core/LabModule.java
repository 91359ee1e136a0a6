package org.userptrlab.core;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.name.Named;
import com.google.inject.name.Names;
import java.util.Map;
import org.userptrlab.mm.Errno;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.MmException;

/**
 * The base module of one run: a fresh machine built from the configuration, the driver's limits,
 * every strategy on the class path, and the one chosen by name. Build one injector per
 * (strategy, run) so that runs never share a machine.
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
    bindConstant().annotatedWith(Names.named("strategy")).to(strategy);
    Strategies.discoveredModules().forEach(this::install);
  }

  @Provides
  @Singleton
  Machine machine(MachineConfig config) {
    return new Machine(config);
  }

  @Provides
  @Singleton
  UserptrStrategy chosen(Map<String, UserptrStrategy> all, @Named("strategy") String name) {
    UserptrStrategy s = all.get(name);
    if (s == null) {
      throw new MmException(Errno.EINVAL, "no strategy called '" + name + "' on the class path; there are " + all.keySet());
    }
    return s;
  }
}
