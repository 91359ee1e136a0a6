package org.userptrlab.core;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.TypeLiteral;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import org.userptrlab.mm.MachineConfig;

/** The strategies on the class path, found through {@link StrategyProvider}. */
public final class Strategies {
  private Strategies() {}

  /** The modules of every provider on the class path, in a stable order. */
  public static List<Module> discoveredModules() {
    List<StrategyProvider> providers = new ArrayList<>();
    ServiceLoader.load(StrategyProvider.class).forEach(providers::add);
    providers.sort((a, b) -> a.getClass().getName().compareTo(b.getClass().getName()));
    List<Module> modules = new ArrayList<>();
    for (StrategyProvider p : providers) {
      modules.add(p.module());
    }
    return modules;
  }

  /** The names of every strategy on the class path, sorted, the copy baseline among them. */
  public static List<String> names() {
    Injector injector = Guice.createInjector(
        new LabModule(MachineConfig.builder().ram(4L << 20).build(), DriverLimits.DEFAULT, org.userptrlab.core.baseline.CopyStrategy.NAME));
    Map<String, UserptrStrategy> all = injector.getInstance(Key.get(new TypeLiteral<Map<String, UserptrStrategy>>() {}));
    return List.copyOf(new TreeSet<>(all.keySet()));
  }
}
