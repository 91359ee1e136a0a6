package org.userptrlab.lab.scenarios;

import com.google.inject.AbstractModule;
import com.google.inject.Inject;
import com.google.inject.Module;

/**
 * The threads of a program's {@code app}: its main thread, which runs the program's lines, and by
 * default a render thread busy on the second CPU, so that a TLB flush of the program's memory
 * from anywhere but that CPU sends it an IPI, as a graphics program's would. The real kernel's
 * runs of {@code diff} are single-threaded programs; their model runs say so with {@link
 * #mainThreadOnly()}.
 */
public final class AppThreads {
  private final boolean renderThread;

  /** The default: a render thread beside the main one where the machine has a second CPU. */
  @Inject
  AppThreads() {
    this(true);
  }

  private AppThreads(boolean renderThread) {
    this.renderThread = renderThread;
  }

  /** A module that gives each {@code app} its main thread alone. */
  public static Module mainThreadOnly() {
    return new AbstractModule() {
      @Override
      protected void configure() {
        bind(AppThreads.class).toInstance(new AppThreads(false));
      }
    };
  }

  /** Whether an app has a render thread busy on the second CPU. */
  boolean renderThread() {
    return renderThread;
  }
}
