package org.userptrlab.strategy.mlock;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import org.userptrlab.core.spi.StrategyProvider;

/** Makes the mlock strategy discoverable on the class path. */
public final class MlockStrategyProvider implements StrategyProvider {
  @Override
  public Module module() {
    return new AbstractModule() {
      @Override
      protected void configure() {
        StrategyProvider.bind(binder(), MlockStrategy.NAME, MlockStrategy.class);
      }
    };
  }
}
