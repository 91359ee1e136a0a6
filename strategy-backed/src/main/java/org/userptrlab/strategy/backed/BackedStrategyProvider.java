package org.userptrlab.strategy.backed;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import org.userptrlab.core.spi.StrategyProvider;

/** Makes the three backed variants discoverable on the class path, each by its own name. */
public final class BackedStrategyProvider implements StrategyProvider {
  @Override
  public Module module() {
    return new AbstractModule() {
      @Override
      protected void configure() {
        StrategyProvider.bind(binder(), BackedPinStrategy.NAME, BackedPinStrategy.class);
        StrategyProvider.bind(binder(), BackedLongtermStrategy.NAME, BackedLongtermStrategy.class);
        StrategyProvider.bind(binder(), BackedNotifierStrategy.NAME, BackedNotifierStrategy.class);
        // i915's policy unless a module sets another (OptionalBinder.setBinding).
        com.google.inject.multibindings.OptionalBinder.newOptionalBinder(binder(), NotifierPolicy.class)
            .setDefault().toInstance(NotifierPolicy.I915_GEM_USERPTR_INVALIDATE);
      }
    };
  }
}
