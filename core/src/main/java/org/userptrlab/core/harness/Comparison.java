package org.userptrlab.core.harness;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.userptrlab.core.DriverLimits;
import org.userptrlab.core.LabModule;
import org.userptrlab.core.UserptrStrategy;
import org.userptrlab.core.cost.CostModel;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.mm.KernelEra;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.MmException;

/**
 * Runs scenarios under strategies on fresh, identical machines (one injector each) and collects
 * the results. Each strategy knows nothing of the others; the scenario knows nothing of them either.
 */
public final class Comparison {
  private static final Logger log = LoggerFactory.getLogger(Comparison.class);

  private final MachineConfig defaults;
  private final DriverLimits limits;
  private final List<PlatformProfile> profiles;
  private final List<Module> extraModules;

  public Comparison(MachineConfig defaults, DriverLimits limits, List<PlatformProfile> profiles, List<Module> extraModules) {
    this.defaults = defaults;
    this.limits = limits;
    this.profiles = List.copyOf(profiles);
    this.extraModules = List.copyOf(extraModules);
  }

  /** Every scenario under every strategy and era, in that order. */
  public List<RunResult> runAll(List<Scenario> scenarios, List<String> strategies, List<KernelEra> eras) {
    List<RunResult> out = new ArrayList<>();
    for (Scenario s : scenarios) {
      for (KernelEra era : eras) {
        for (String strategy : strategies) {
          out.add(run(s, strategy, era));
        }
      }
    }
    return out;
  }

  /** One scenario under one strategy on a fresh machine of the given era. */
  public RunResult run(Scenario scenario, String strategy, KernelEra era) {
    MachineConfig config = scenario.machine(defaults.toBuilder().era(era)).build();
    List<Module> modules = new ArrayList<>(extraModules);
    modules.add(new LabModule(config, limits, strategy));
    Injector injector = Guice.createInjector(modules);
    ScenarioRun run = new ScenarioRun(injector);
    String refusal = null;
    try {
      scenario.run(run);
    } catch (MmException e) {
      refusal = e.getMessage();
    }
    try {
      run.machine().checkInvariants();
    } catch (IllegalStateException e) {
      run.hazard("memory manager invariants broken after the run: " + e.getMessage());
    }
    Map<String, Map<String, Double>> costs = new LinkedHashMap<>();
    for (PlatformProfile p : profiles) {
      costs.put(p.name(), CostModel.price(run.delta(), run.ioctls(), p));
    }
    UserptrStrategy chosen = run.strategy();
    log.debug("{} under {} on {}: {}", scenario.name(), strategy, era, refusal == null ? "ran" : refusal);
    return new RunResult(scenario.name(), strategy, chosen.contract(), era, Set.copyOf(scenario.needs()), List.copyOf(run.checks()),
        List.copyOf(run.hazards()), refusal, run.delta(), run.ioctls(), costs);
  }
}
