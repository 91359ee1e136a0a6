package org.userptrlab.strategy.svm;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import org.userptrlab.core.spi.StrategyProvider;

/** Makes the three shared-virtual-memory variants discoverable on the class path, each by its own name. */
public final class SvmStrategyProvider implements StrategyProvider {
  @Override
  public Module module() {
    return new AbstractModule() {
      @Override
      protected void configure() {
        StrategyProvider.bind(binder(), SvmStrategy.NAME, SvmStrategy.class);
        StrategyProvider.bind(binder(), SvmMirrorStrategy.NAME, SvmMirrorStrategy.class);
        StrategyProvider.bind(binder(), SvmKfdStrategy.NAME, SvmKfdStrategy.class);
      }
    };
  }
}
