package org.userptrlab.lab.explore;

import java.util.List;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.inject.RunSetting;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;

/**
 * What an explorer run was made with besides its seed and budget: the strategies and kernels, the
 * machine's options (those a generated program does not set for itself), and the settings of the
 * modules that change what a run does. The shards of one run have equal setups, and {@code merge}
 * refuses shards of different ones.
 */
public record ExploreSetup(List<String> strategies, List<String> kernels, int cpus, long ramBytes, long swapBytes, long memlockBytes,
    boolean aslr, MachineConfig.Thp thp, List<String> settings) {
  public ExploreSetup {
    strategies = List.copyOf(strategies);
    kernels = List.copyOf(kernels);
    settings = List.copyOf(settings);
  }

  /** The setup of an explorer of {@code strategies} and {@code kernels} on {@code options}. */
  static ExploreSetup of(LabOptions options, List<String> strategies, List<KernelConfig> kernels) {
    MachineConfig m = options.machine();
    List<String> settings = options.modules().stream().filter(RunSetting.class::isInstance).map(x -> ((RunSetting) x).setting()).toList();
    return new ExploreSetup(strategies, kernels.stream().map(KernelConfig::name).toList(), m.cpus(), m.ramBytes(), m.swapBytes(),
        m.memlockBytes(), m.aslr(), m.thp(), settings);
  }

  /** How {@code other} was run where this was run otherwise, in a command line's words ("--cpus 2, not 4"); null if it was not. */
  public String differs(ExploreSetup other) {
    if (!strategies.equals(other.strategies)) {
      return "--strategies " + String.join(",", other.strategies) + ", not " + String.join(",", strategies);
    }
    if (!kernels.equals(other.kernels)) {
      return "--kernels " + String.join(",", other.kernels) + ", not " + String.join(",", kernels);
    }
    if (cpus != other.cpus) {
      return "--cpus " + other.cpus + ", not " + cpus;
    }
    if (ramBytes != other.ramBytes || swapBytes != other.swapBytes) {
      return String.format("--ram %dM --swap %dM, not --ram %dM --swap %dM", other.ramBytes >> 20, other.swapBytes >> 20, ramBytes >> 20,
          swapBytes >> 20);
    }
    if (memlockBytes != other.memlockBytes) {
      return "--memlock " + memlock(other.memlockBytes) + ", not " + memlock(memlockBytes);
    }
    if (aslr != other.aslr) {
      return (other.aslr ? "--aslr" : "no --aslr") + ", not " + (aslr ? "--aslr" : "no --aslr");
    }
    if (thp != other.thp) {
      return "--thp " + other.thp.sysfsName() + ", not " + thp.sysfsName();
    }
    if (!settings.equals(other.settings)) {
      return words(other.settings) + ", not " + words(settings);
    }
    return null;
  }

  private static String memlock(long bytes) {
    return bytes < 0 ? "the kernel's default" : bytes + " bytes";
  }

  private static String words(List<String> settings) {
    return settings.isEmpty() ? "the defaults" : String.join(" ", settings);
  }
}
