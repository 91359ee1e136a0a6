package org.userptrlab.core.baseline;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import org.userptrlab.core.spi.StrategyProvider;

/** Makes the copy baseline discoverable. */
public final class CopyStrategyProvider implements StrategyProvider {
  @Override
  public Module module() {
    return new AbstractModule() {
      @Override
      protected void configure() {
        StrategyProvider.bind(binder(), CopyStrategy.NAME, CopyStrategy.class);
      }
    };
  }
}
