package org.userptrlab.spark;

import java.io.Serializable;
import java.util.List;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.lab.explore.Explorer;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Printer;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.strategy.backed.NotifierPolicy;

/**
 * What an executor needs to build the explorer the driver has: the strategies, the kernels (by
 * name), the machine, backed-notifier's policy (or null for its default) and the user's programs
 * (as text). Equal specs build explorers that give equal outcomes.
 */
record ExploreSpec(List<String> strategies, List<String> kernels, MachineSpec machine, String notifierPolicy, List<String> userNames,
    List<String> userPrograms) implements Serializable {
  private static final long serialVersionUID = 1L;

  ExploreSpec {
    strategies = List.copyOf(strategies);
    kernels = List.copyOf(kernels);
    userNames = List.copyOf(userNames);
    userPrograms = List.copyOf(userPrograms);
  }

  static ExploreSpec of(List<String> strategies, List<KernelConfig> kernels, MachineConfig machine, String notifierPolicy,
      List<Program> users) {
    for (KernelConfig k : kernels) {
      if (!KernelConfig.parse(k.name()).equals(k)) {
        throw new IllegalArgumentException("kernel " + k.name() + " does not read back as itself, so it cannot travel to Spark's executors");
      }
    }
    if (notifierPolicy != null && NotifierPolicy.byShortName(notifierPolicy).isEmpty()) {
      throw new IllegalArgumentException("no notifier policy '" + notifierPolicy + "'");
    }
    return new ExploreSpec(strategies, kernels.stream().map(KernelConfig::name).toList(), MachineSpec.of(machine), notifierPolicy,
        users.stream().map(Program::name).toList(), users.stream().map(Printer::print).toList());
  }

  /** The options of the spec's explorer, its runs on {@code threads} threads. */
  LabOptions options(int threads) {
    LabOptions.Builder b = LabOptions.builder().strategies(strategies).kernels(kernelConfigs()).machine(machine.config()).threads(threads);
    if (notifierPolicy != null) {
      b.modules(List.of(NotifierPolicy.byShortName(notifierPolicy).orElseThrow().binding()));
    }
    return b.build();
  }

  List<KernelConfig> kernelConfigs() {
    return kernels.stream().map(KernelConfig::parse).toList();
  }

  /** The spec's explorer, its runs on {@code threads} threads. */
  Explorer explorer(int threads) {
    List<Program> users = new java.util.ArrayList<>();
    for (int i = 0; i < userNames.size(); i++) {
      users.add(Parser.parse(userNames.get(i), userPrograms.get(i)));
    }
    return new Explorer(new Comparison(options(threads)), strategies, kernelConfigs(), users);
  }
}
