package org.userptrlab.strategy.cow;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import org.userptrlab.core.spi.StrategyProvider;

/** Makes the cow strategy discoverable on the class path. */
public final class CowStrategyProvider implements StrategyProvider {
  @Override
  public Module module() {
    return new AbstractModule() {
      @Override
      protected void configure() {
        StrategyProvider.bind(binder(), CowStrategy.NAME, CowStrategy.class);
      }
    };
  }
}
