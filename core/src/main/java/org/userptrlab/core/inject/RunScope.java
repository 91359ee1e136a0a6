package org.userptrlab.core.inject;

import com.google.inject.Key;
import com.google.inject.OutOfScopeException;
import com.google.inject.Provider;
import com.google.inject.Scope;
import java.util.HashMap;
import java.util.Map;
import org.userptrlab.mm.MachineConfig;

/**
 * The scope of one run under a shared injector: every {@link RunScoped} object is made fresh for the
 * run, and the run's own values (its machine configuration, its strategy) are seeded on entry. Each
 * thread runs one run at a time, so the scope is per thread; runs on other threads never see it.
 * Building one injector per comparison rather than per run keeps Guice's set-up out of every run.
 */
public final class RunScope implements Scope {
  /** The keys every run is seeded with, made once: Key.get canonicalizes its type each time it is called. */
  private static final Key<MachineConfig> CONFIG = Key.get(MachineConfig.class);
  private static final Key<String> STRATEGY = Key.get(String.class, ChosenStrategy.class);
  private final ThreadLocal<Map<Key<?>, Object>> values = new ThreadLocal<>();

  /** Starts a run on this thread with its seeded values. */
  public void enter(Seed seed) {
    if (values.get() != null) {
      throw new IllegalStateException("a run is already under way on this thread");
    }
    Map<Key<?>, Object> run = new HashMap<>();
    run.put(CONFIG, seed.config());
    run.put(STRATEGY, seed.strategy());
    values.set(run);
  }

  /** Ends the run on this thread; its objects are dropped. */
  public void exit() {
    values.remove();
  }

  @Override
  public <T> Provider<T> scope(Key<T> key, Provider<T> unscoped) {
    return () -> {
      Map<Key<?>, Object> run = values.get();
      if (run == null) {
        throw new OutOfScopeException("no run is under way on this thread: " + key + " lives for one run");
      }
      @SuppressWarnings("unchecked")
      T current = (T) run.get(key);
      if (current == null && !run.containsKey(key)) {
        current = unscoped.get();
        run.put(key, current);
      }
      return current;
    };
  }

  /** A provider for a value seeded on entry; it fails outside a run. */
  static <T> Provider<T> seeded(Key<T> key) {
    return () -> {
      throw new OutOfScopeException(key + " is seeded when a run starts and read only inside one");
    };
  }

  /** What a run brings with it: the machine it runs on and the strategy it uses. */
  public record Seed(MachineConfig config, String strategy) {}

  @Override
  public String toString() {
    return "RunScope";
  }
}
