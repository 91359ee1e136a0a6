package com.example.bounce;

import com.google.inject.AbstractModule;
import com.google.inject.Inject;
import com.google.inject.Module;
import java.util.List;
import org.userptrlab.core.spi.Contract;
import org.userptrlab.core.support.HeldPages;
import org.userptrlab.core.support.KernelStrategy;
import org.userptrlab.core.spi.StrategyProvider;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.core.spi.UserptrRequest;
import org.userptrlab.mm.Kernel;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.PageRefs;

/**
 * A strategy from outside userptr-lab, found only through its service entry: it copies the range
 * into driver-owned pages (a bounce buffer).
 */
public final class BounceStrategy extends KernelStrategy {
  public static final String NAME = "bounce";

  @Inject
  BounceStrategy(Kernel kernel, KernelConfig kernelConfig) {
    super(NAME, Contract.SNAPSHOT, kernel, kernelConfig);
  }

  @Override
  public UserptrBacking importRange(UserptrRequest r) {
    PageRefs pages = kernel.allocPages(r.pageCount());
    try {
      kernel.copyFromUser(r.process(), r.address(), pages.pfns(), r.offsetInPage(), r.size());
    } catch (RuntimeException e) {
      pages.release();
      throw e;
    }
    return new HeldPages(pages.pfns(), r.offsetInPage(), r.size(), List.of(pages), List.of(), () -> { });
  }

  /** Its provider, as a third party would ship it. */
  public static final class Provider implements StrategyProvider {
    @Override
    public Module module() {
      return new AbstractModule() {
        @Override
        protected void configure() {
          StrategyProvider.bind(binder(), NAME, BounceStrategy.class);
        }
      };
    }
  }
}
