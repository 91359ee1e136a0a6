package org.userptrlab.core.spi;

import com.google.inject.Binder;
import com.google.inject.Module;
import com.google.inject.multibindings.MapBinder;

/**
 * How a strategy module makes itself known: a {@link java.util.ServiceLoader} provider (listed in
 * {@code META-INF/services/org.userptrlab.core.spi.StrategyProvider}) whose Guice module adds one or
 * more strategies to the map of strategies by name. A third party adds a strategy with a jar on
 * the class path and no change here.
 */
public interface StrategyProvider {
  Module module();

  /** Binds {@code type} as the strategy called {@code name}. */
  static void bind(Binder binder, String name, Class<? extends UserptrStrategy> type) {
    MapBinder.newMapBinder(binder, String.class, UserptrStrategy.class).addBinding(name).to(type);
  }
}
