package org.userptrlab.core.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import java.util.Map;
import org.userptrlab.core.driver.DriverLimits;
import org.userptrlab.core.driver.DriverStats;
import org.userptrlab.core.spi.UserptrStrategy;
import org.userptrlab.mm.Kernel;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.VmStat;
import org.userptrlab.mm.MachineConfig;

/**
 * The wiring of a run: a fresh machine built from its configuration, its kernel services, the
 * driver's limits, every strategy on the class path, and the one chosen by name, each {@link
 * RunScoped}. Two ways to use it: {@link #LabModule(MachineConfig, DriverLimits, String)} for an
 * injector that serves one run (run-scoped objects are its singletons), or {@link
 * #LabModule(DriverLimits)} for one injector that serves many runs through its {@link RunScope}.
 * The strategy name must be one of {@link Strategies#names()}.
 */
public final class LabModule extends AbstractModule {
  private final DriverLimits limits;
  private final RunScope.Seed single;

  /** An injector for exactly one run on {@code config} with {@code strategy}. */
  public LabModule(MachineConfig config, DriverLimits limits, String strategy) {
    this.limits = limits;
    this.single = new RunScope.Seed(config, strategy);
  }

  /** A shared injector: each run enters its {@link RunScope} with its own machine and strategy. */
  public LabModule(DriverLimits limits) {
    this.limits = limits;
    this.single = null;
  }

  @Override
  protected void configure() {
    bind(DriverLimits.class).toInstance(limits);
    bind(DriverStats.class).in(RunScoped.class);
    if (single != null) {
      bindScope(RunScoped.class, Scopes.SINGLETON);
      bind(MachineConfig.class).toInstance(single.config());
      bind(String.class).annotatedWith(ChosenStrategy.class).toInstance(single.strategy());
    } else {
      RunScope scope = new RunScope();
      bindScope(RunScoped.class, scope);
      bind(RunScope.class).toInstance(scope);
      Key<MachineConfig> config = Key.get(MachineConfig.class);
      Key<String> chosen = Key.get(String.class, ChosenStrategy.class);
      bind(config).toProvider(RunScope.seeded(config)).in(scope);
      bind(chosen).toProvider(RunScope.seeded(chosen)).in(scope);
    }
    Strategies.discoveredModules().forEach(this::install);
  }

  @Provides
  @RunScoped
  Machine machine(MachineConfig config) {
    return new Machine(config);
  }

  @Provides
  Kernel kernel(Machine machine) {
    return machine.kernel();
  }

  @Provides
  VmStat vmstat(Machine machine) {
    return machine.vmstat();
  }

  @Provides
  KernelConfig kernelConfig(Machine machine) {
    return machine.kernelConfig();
  }

  /** Only the chosen strategy is built for a run, not every one on the class path. */
  @Provides
  @RunScoped
  UserptrStrategy chosen(Map<String, Provider<UserptrStrategy>> all, @ChosenStrategy String name) {
    Provider<UserptrStrategy> s = all.get(name);
    if (s == null) {
      throw new IllegalArgumentException(Strategies.unknown(name));
    }
    return s.get();
  }
}
