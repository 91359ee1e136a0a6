package org.userptrlab.core.inject;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.TypeLiteral;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.userptrlab.core.baseline.CopyStrategy;
import org.userptrlab.core.driver.DriverLimits;
import org.userptrlab.core.spi.Contract;
import org.userptrlab.core.spi.StrategyProvider;
import org.userptrlab.core.spi.UserptrStrategy;
import org.userptrlab.mm.MachineConfig;

/**
 * The strategies on the class path, found through {@link StrategyProvider} once per process (the
 * class path does not change under a running program).
 */
public final class Strategies {
  private Strategies() {}

  /** One strategy on the class path: its name, contract and the provider that brought it. */
  public record Info(String name, Contract contract, String provider) {}

  /** Found at first use, under the class-initialization lock, then shared by every injector. */
  private static final class Found {
    static final List<StrategyProvider> PROVIDERS = discover();
    static final Map<String, Info> INFOS = describe();

    private static List<StrategyProvider> discover() {
      List<StrategyProvider> providers = new ArrayList<>();
      ServiceLoader.load(StrategyProvider.class).forEach(providers::add);
      providers.sort(Comparator.comparing(p -> p.getClass().getName()));
      return List.copyOf(providers);
    }

    private static Map<String, Info> describe() {
      Map<String, UserptrStrategy> all = Guice.createInjector(
              new LabModule(MachineConfig.builder().ram(4L << 20).build(), DriverLimits.DEFAULT, CopyStrategy.NAME))
          .getInstance(Key.get(new TypeLiteral<Map<String, UserptrStrategy>>() {}));
      Map<String, Info> infos = new TreeMap<>();
      all.forEach((name, s) -> infos.put(name, new Info(name, s.contract(), providerOf(s))));
      return java.util.Collections.unmodifiableMap(infos);
    }

    private static String providerOf(UserptrStrategy s) {
      for (StrategyProvider p : PROVIDERS) {
        if (p.getClass().getPackageName().equals(s.getClass().getPackageName())) {
          return p.getClass().getName();
        }
      }
      return s.getClass().getName();
    }
  }

  /**
   * A fresh module of every provider on the class path, in a stable order. Fresh because a Guice
   * module instance must not configure two injectors at once.
   */
  public static List<Module> discoveredModules() {
    List<Module> modules = new ArrayList<>();
    for (StrategyProvider p : Found.PROVIDERS) {
      modules.add(p.module());
    }
    return modules;
  }

  /** The names of every strategy on the class path, sorted, the copy baseline among them. */
  public static List<String> names() {
    return List.copyOf(Found.INFOS.keySet());
  }

  /** Every strategy on the class path, sorted by name. */
  public static List<Info> all() {
    return List.copyOf(Found.INFOS.values());
  }

  /** Whether a strategy of that name is on the class path. */
  public static boolean exists(String name) {
    return Found.INFOS.containsKey(name);
  }

  /** The contract of the strategy called {@code name}, which must be on the class path. */
  public static Contract contract(String name) {
    Info info = Found.INFOS.get(name);
    if (info == null) {
      throw new IllegalArgumentException(unknown(name));
    }
    return info.contract();
  }

  /** The message for a name that is not on the class path. */
  public static String unknown(String name) {
    return "no strategy '" + name + "' on the class path; there are " + String.join(", ", names());
  }
}
