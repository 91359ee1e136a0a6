package org.userptrlab.core.harness;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userptrlab.core.cost.Cost;
import org.userptrlab.core.cost.CostModel;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.inject.LabModule;
import org.userptrlab.core.inject.RunScope;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.mm.KernelChange;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.VmEvent;

/**
 * Runs scenarios under strategies on fresh, identical machines and collects the results, on {@link
 * LabOptions#threads()} threads. One injector serves the comparison; every run enters its own
 * {@link RunScope}, so that no two runs share a machine, a strategy, a device or a counter. Each run depends only on its scenario,
 * strategy, kernel and the options, so the results are the same, in the same order, for any
 * number of threads. Each strategy knows nothing of the others; the scenario knows nothing of them.
 */
public final class Comparison {
  private static final Logger log = LoggerFactory.getLogger(Comparison.class);

  /** One run to make: a scenario under a strategy on a kernel. */
  public record Run(Scenario scenario, String strategy, KernelConfig kernel) {}

  private final LabOptions options;
  private final Injector injector;
  private final RunScope scope;
  private final Consumer<Run> done;

  /** Builds the comparison's one injector; each run then enters its own {@link RunScope}. */
  public Comparison(LabOptions options) {
    this(options, r -> { });
  }

  /**
   * A comparison that hands each run to {@code done} as it ends, on the thread that ran it (so
   * {@code done} must be thread-safe): how a progress bar learns of the work. The results do not
   * depend on it.
   */
  public Comparison(LabOptions options, Consumer<Run> done) {
    this.done = java.util.Objects.requireNonNull(done, "done");
    this.options = options;
    List<Module> modules = new ArrayList<>(options.modules());
    modules.add(new LabModule(options.limits()));
    this.injector = Guice.createInjector(modules);
    this.scope = injector.getInstance(RunScope.class);
  }

  public LabOptions options() {
    return options;
  }

  /** Every scenario under every strategy and kernel of the options, in that order. */
  public List<RunResult> runAll(List<Scenario> scenarios) {
    List<Run> runs = new ArrayList<>();
    for (Scenario s : scenarios) {
      for (KernelConfig kernel : options.kernels()) {
        for (String strategy : options.strategies()) {
          runs.add(new Run(s, strategy, kernel));
        }
      }
    }
    return run(runs);
  }

  /** The given runs, in parallel on the options' threads; the results in the runs' order. */
  public List<RunResult> run(List<Run> runs) {
    for (Run r : runs) {
      checkStrategy(r.strategy());
    }
    int threads = Math.min(options.threads(), runs.size());
    if (threads <= 1) {
      return runs.stream().map(r -> run(r.scenario(), r.strategy(), r.kernel())).toList();
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
      Thread t = new Thread(task, "userptr-lab-run");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<RunResult>> futures = new ArrayList<>();
      for (Run r : runs) {
        futures.add(pool.submit(() -> run(r.scenario(), r.strategy(), r.kernel())));
      }
      List<RunResult> out = new ArrayList<>();
      for (Future<RunResult> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running the comparison", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * One scenario under one strategy on a fresh machine of the given kernel. The driver refusing an
   * import makes the verdict REFUSED; any other failure of the scenario's program makes it ERROR.
   */
  public RunResult run(Scenario scenario, String strategy, KernelConfig kernel) {
    checkStrategy(strategy);
    try {
      return runOnce(scenario, strategy, kernel);
    } finally {
      done.accept(new Run(scenario, strategy, kernel));
    }
  }

  private RunResult runOnce(Scenario scenario, String strategy, KernelConfig kernel) {
    MachineConfig config;
    try {
      config = machineFor(scenario, kernel);
    } catch (RuntimeException e) {
      return failed(scenario, strategy, kernel, Failure.of(e));
    }
    scope.enter(new RunScope.Seed(config, strategy));
    try {
      ScenarioRun run = new ScenarioRun(injector, options.profiles().get(0), options.spans());
      try {
        return run(scenario, strategy, kernel, config.kernel(), run);
      } finally {
        // The result holds counts, not the machine: its memory map can serve the next run's machine.
        run.machine().retire();
      }
    } finally {
      scope.exit();
    }
  }

  /**
   * The scenario's machine on {@code kernel}; a scenario that needs a CMA region runs on a kernel
   * before 3.5 with CMA added as the one change it cannot do without, and the result says so. A
   * kernel before device-private memory (4.14) cannot register the GPU's memory: its machine has none.
   */
  private MachineConfig machineFor(Scenario scenario, KernelConfig kernel) {
    long vram = kernel.has(KernelChange.DEVICE_PRIVATE) ? options.machine().devicePrivateBytes() : 0;
    MachineConfig wanted;
    try {
      wanted = scenario.machine(options.machine().toBuilder().devicePrivate(vram).kernel(kernel.with(KernelChange.CMA))).build();
    } catch (org.userptrlab.mm.MmException e) {
      // Refused on the kernel as given, so that the message names it, not the CMA the lab would have added.
      scenario.machine(options.machine().toBuilder().devicePrivate(vram).kernel(kernel)).build();
      throw e;
    }
    if (wanted.cmaBytes() > 0) {
      return wanted;
    }
    return wanted.toBuilder().kernel(kernel).build();
  }

  private RunResult run(Scenario scenario, String strategy, KernelConfig kernel, KernelConfig ranOn, ScenarioRun run) {
    Failure refusal = null;
    Failure error = null;
    try {
      scenario.run(run);
    } catch (RuntimeException e) {
      if (run.isRefusal(e)) {
        refusal = Failure.of(e);
      } else {
        error = Failure.of(e);
      }
    }
    run.clock().drain();
    for (org.userptrlab.mm.Lockdep.Inversion inv : run.machine().lockdep().inversions()) {
      run.hazard(HazardKind.DEADLOCK, "possible circular locking dependency: " + inv.describe());
    }
    try {
      run.machine().checkInvariants();
    } catch (IllegalStateException e) {
      run.hazard(HazardKind.INVARIANT_BROKEN, e.getMessage());
    }
    Map<VmEvent, Long> delta = run.delta();
    long ioctls = run.ioctls();
    List<Cost> costs = new ArrayList<>();
    for (PlatformProfile p : options.profiles()) {
      costs.add(CostModel.price(delta, ioctls, p));
    }
    log.debug("{} under {} on {}: {}", scenario.name(), strategy, kernel,
        refusal != null ? refusal : error != null ? error : "ran");
    return new RunResult(scenario.name(), strategy, run.strategy().contract(), kernel, ranOn, remarks(kernel, ranOn, run), needs(scenario), run.checks(),
        run.hazards(), refusal, error, run.skipped(), delta, ioctls, costs, run.machine().coverage(), run.clock().timing());
  }

  private RunResult failed(Scenario scenario, String strategy, KernelConfig kernel, Failure error) {
    return new RunResult(scenario.name(), strategy, Strategies.contract(strategy), kernel, kernel, List.of(), needs(scenario), List.of(), List.of(), null, error, null,
        java.util.Map.of(), 0, List.of(), org.userptrlab.mm.Coverage.NONE, org.userptrlab.core.time.Timing.NONE);
  }

  private static List<String> remarks(KernelConfig kernel, KernelConfig ranOn, ScenarioRun run) {
    List<String> out = new ArrayList<>();
    for (KernelChange c : ranOn.changes()) {
      if (!kernel.has(c)) {
        out.add(String.format("ran on %s: the scenario needs %s, which came in %s (%s)", ranOn, c.id(), c.release(), c.citation()));
      }
    }
    run.strategy().standsFor().ifPresent(out::add);
    return out;
  }

  private static List<Promise> needs(Scenario scenario) {
    EnumSet<Promise> needs = EnumSet.noneOf(Promise.class);
    needs.addAll(scenario.needs());
    return List.copyOf(needs);
  }

  /** A strategy on the class path, or one a module of the options binds (a test's own driver). */
  private void checkStrategy(String strategy) {
    if (!Strategies.exists(strategy) && !injector.getInstance(STRATEGIES).containsKey(strategy)) {
      throw new IllegalArgumentException(Strategies.unknown(strategy));
    }
  }

  private static final com.google.inject.Key<Map<String, com.google.inject.Provider<org.userptrlab.core.spi.UserptrStrategy>>> STRATEGIES =
      new com.google.inject.Key<>() {};
}
