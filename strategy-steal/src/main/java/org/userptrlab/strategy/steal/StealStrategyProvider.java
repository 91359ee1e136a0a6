package org.userptrlab.strategy.steal;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import org.userptrlab.core.spi.StrategyProvider;

/** Makes the steal strategy discoverable on the class path. */
public final class StealStrategyProvider implements StrategyProvider {
  @Override
  public Module module() {
    return new AbstractModule() {
      @Override
      protected void configure() {
        StrategyProvider.bind(binder(), StealStrategy.NAME, StealStrategy.class);
      }
    };
  }
}
