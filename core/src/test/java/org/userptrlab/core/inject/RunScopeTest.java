package org.userptrlab.core.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.driver.DriverLimits;
import org.userptrlab.core.driver.DriverStats;
import org.userptrlab.core.spi.UserptrStrategy;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.MachineConfig;

class RunScopeTest {
  private final Injector injector = Guice.createInjector(new LabModule(DriverLimits.DEFAULT));
  private final RunScope scope = injector.getInstance(RunScope.class);

  @Test
  void eachRunGetsItsOwnMachineStrategyAndCountersAndKeepsThemForTheRun() {
    MachineConfig c = MachineConfig.builder().kernel(KernelConfig.LINUX_3_4).build();
    scope.enter(new RunScope.Seed(c, "copy"));
    Machine first = injector.getInstance(Machine.class);
    UserptrStrategy strategy = injector.getInstance(UserptrStrategy.class);
    DriverStats stats = injector.getInstance(DriverStats.class);
    assertThat(injector.getInstance(Machine.class)).isSameAs(first);
    assertThat(injector.getInstance(DriverStats.class)).isSameAs(stats);
    assertThat(first.kernelConfig()).isEqualTo(KernelConfig.LINUX_3_4);
    assertThat(strategy.name()).isEqualTo("copy");
    scope.exit();

    scope.enter(new RunScope.Seed(c.toBuilder().kernel(KernelConfig.LINUX_6_12).build(), "copy"));
    assertThat(injector.getInstance(Machine.class)).isNotSameAs(first);
    assertThat(injector.getInstance(Machine.class).kernelConfig()).isEqualTo(KernelConfig.LINUX_6_12);
    assertThat(injector.getInstance(UserptrStrategy.class)).isNotSameAs(strategy);
    assertThat(injector.getInstance(DriverStats.class)).isNotSameAs(stats);
    scope.exit();
  }

  @Test
  void outsideARunThereIsNoMachine() {
    assertThatThrownBy(() -> injector.getInstance(Machine.class)).isInstanceOf(ProvisionException.class)
        .hasMessageContaining("no run is under way");
  }

  @Test
  void aThreadRunsOneRunAtATime() {
    scope.enter(new RunScope.Seed(MachineConfig.builder().build(), "copy"));
    try {
      assertThatThrownBy(() -> scope.enter(new RunScope.Seed(MachineConfig.builder().build(), "copy")))
          .isInstanceOf(IllegalStateException.class);
    } finally {
      scope.exit();
    }
  }
}
