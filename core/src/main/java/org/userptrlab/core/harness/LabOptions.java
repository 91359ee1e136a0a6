package org.userptrlab.core.harness;

import com.google.inject.Module;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.userptrlab.core.baseline.CopyStrategy;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.driver.DriverLimits;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;

/**
 * Everything a comparison needs besides its scenarios, in one immutable object built by {@link
 * #builder()} (or by the command line): the machine each run starts from, the driver's limits, the
 * strategies, kernels and profiles, and how many threads run it. The defaults live here and only
 * here. {@link Builder#build()} checks every value, so a comparison never starts on a bad one.
 */
public final class LabOptions {
  /**
   * The machine every run starts from unless its scenario asks for more: 64 MiB, 4 CPUs, seed 1, and
   * a GPU with 16 MiB of device memory where the kernel can have it (the svm strategies migrate into it).
   */
  public static final MachineConfig DEFAULT_MACHINE = MachineConfig.builder().ram(64L << 20).cpus(4).seed(1).devicePrivate(16L << 20)
      .build();

  private final MachineConfig machine;
  private final DriverLimits limits;
  private final List<String> strategies;
  private final List<KernelConfig> kernels;
  private final List<PlatformProfile> profiles;
  private final int threads;
  private final List<Module> modules;
  private final boolean spans;

  private LabOptions(Builder b, List<String> strategies) {
    this.machine = b.machine;
    this.limits = b.limits;
    this.strategies = strategies;
    this.kernels = List.copyOf(b.kernels);
    this.profiles = List.copyOf(b.profiles);
    this.threads = b.threads;
    this.modules = List.copyOf(b.modules);
    this.spans = b.spans;
  }

  /**
   * Whether each run keeps the spans of its actors' time, for a Gantt chart (off by default: they
   * cost memory and a comparison does not draw them). Runs are timed under the first profile.
   */
  public boolean spans() {
    return spans;
  }

  public static Builder builder() {
    return new Builder();
  }

  public MachineConfig machine() {
    return machine;
  }

  public DriverLimits limits() {
    return limits;
  }

  /** The strategies to run, in report order: the copy baseline first, then the others as given. */
  public List<String> strategies() {
    return strategies;
  }

  public List<KernelConfig> kernels() {
    return kernels;
  }

  public List<PlatformProfile> profiles() {
    return profiles;
  }

  public int threads() {
    return threads;
  }

  /** Guice modules installed beside {@link org.userptrlab.core.inject.LabModule} in every run. */
  public List<Module> modules() {
    return modules;
  }

  /** Builds {@link LabOptions}; every setter may be left out for its default. */
  public static final class Builder {
    private MachineConfig machine = DEFAULT_MACHINE;
    private DriverLimits limits = DriverLimits.DEFAULT;
    private List<String> strategies = List.of();
    private List<KernelConfig> kernels = List.of(KernelConfig.LINUX_3_4, KernelConfig.LINUX_6_12);
    private List<PlatformProfile> profiles = Profiles.all();
    private int threads = Runtime.getRuntime().availableProcessors();
    private List<Module> modules = List.of();
    private boolean spans;

    private Builder() {}

    public Builder machine(MachineConfig machine) {
      this.machine = java.util.Objects.requireNonNull(machine, "machine");
      return this;
    }

    public Builder limits(DriverLimits limits) {
      this.limits = java.util.Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** The strategies by name; empty (the default) means every one on the class path. */
    public Builder strategies(List<String> names) {
      this.strategies = List.copyOf(names);
      return this;
    }

    public Builder strategies(String... names) {
      return strategies(List.of(names));
    }

    public Builder kernels(List<KernelConfig> kernels) {
      this.kernels = List.copyOf(kernels);
      return this;
    }

    public Builder kernels(KernelConfig... kernels) {
      return kernels(List.of(kernels));
    }

    public Builder profiles(List<PlatformProfile> profiles) {
      this.profiles = List.copyOf(profiles);
      return this;
    }

    /** Keep each run's spans, for a Gantt chart. */
    public Builder spans(boolean spans) {
      this.spans = spans;
      return this;
    }

    /** Runs in parallel on this many threads; the results are the same for any count. */
    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    public Builder modules(List<Module> modules) {
      this.modules = List.copyOf(modules);
      return this;
    }

    /**
     * Checks every value: each strategy on the class path and named once, at least one kernel and
     * profile, each once, at least one thread. A bad value throws {@link IllegalArgumentException}
     * saying what would be accepted.
     */
    public LabOptions build() {
      List<String> names = strategies.isEmpty() ? Strategies.names() : strategies;
      for (String s : names) {
        if (!Strategies.exists(s)) {
          throw new IllegalArgumentException(Strategies.unknown(s));
        }
      }
      unique("strategy", names);
      if (kernels.isEmpty()) {
        throw new IllegalArgumentException("no kernel given; the presets are " + KernelConfig.presets());
      }
      // A kernel's name leaves out a +change its release has and a -change it lacks: 6.12+foll-pin is 6.12.
      unique("kernel", kernels, " (a +change the release already has, or a -change it lacks, leaves the release as it is)");
      if (profiles.isEmpty()) {
        throw new IllegalArgumentException("no platform profile given; there are " + String.join(", ", Profiles.names()));
      }
      unique("profile", profiles.stream().map(PlatformProfile::name).toList());
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, not " + threads);
      }
      List<String> ordered = new ArrayList<>(names);
      if (ordered.remove(CopyStrategy.NAME)) {
        ordered.add(0, CopyStrategy.NAME);
      }
      return new LabOptions(this, List.copyOf(ordered));
    }

    private static <T> void unique(String what, List<T> values) {
      unique(what, values, "");
    }

    /** As {@link #unique(String, List)}, {@code why} following the message: how two names came to be one. */
    private static <T> void unique(String what, List<T> values, String why) {
      LinkedHashSet<T> seen = new LinkedHashSet<>();
      for (T v : values) {
        if (!seen.add(v)) {
          throw new IllegalArgumentException(what + " " + v + " is named twice; name each " + what + " once" + why);
        }
      }
    }
  }
}
