package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.userptrlab.mm.TestMachines.PAGE;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * setrlimit(RLIMIT_MEMLOCK) as do_prlimit checks it: a soft limit above the hard one is EINVAL;
 * raising the hard limit takes CAP_SYS_RESOURCE (EPERM without); lowering it takes nothing, and
 * then it cannot be raised back without the capability.
 */
class RlimitTest {
  private static void refused(Machine m, Process p, Errno errno, long cur, long max) {
    long soft = p.memlockLimit();
    long hard = p.memlockHardLimit();
    long before = m.stateHash();
    assertThatThrownBy(() -> p.setrlimitMemlock(cur, max)).isInstanceOfSatisfying(MmException.class,
        e -> assertThat(e.errno()).isEqualTo(errno));
    assertThat(m.stateHash()).isEqualTo(before);
    assertThat(p.memlockLimit()).isEqualTo(soft);
    assertThat(p.memlockHardLimit()).isEqualTo(hard);
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aSoftLimitAboveTheHardOneIsEinval(KernelConfig k) {
    Machine m = TestMachines.small(k);
    Process p = m.spawn("p");
    refused(m, p, Errno.EINVAL, 8 * PAGE, 4 * PAGE);
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void raisingTheHardLimitTakesCapSysResource(KernelConfig k) {
    Machine m = TestMachines.small(k);
    Process p = m.spawn("p");
    long hard = p.memlockHardLimit();
    refused(m, p, Errno.EPERM, hard, hard + PAGE);
    p.setrlimitMemlock(PAGE, hard);
    assertThat(p.memlockLimit()).as("the soft limit moves freely below the hard one").isEqualTo(PAGE);
    p.setCapability(Capability.CAP_SYS_RESOURCE, true);
    p.setrlimitMemlock(PAGE, hard + PAGE);
    assertThat(p.memlockHardLimit()).isEqualTo(hard + PAGE);
  }

  @ParameterizedTest
  @MethodSource("org.userptrlab.mm.TestMachines#ends")
  void aLoweredHardLimitCannotBeRaisedBackWithoutTheCapability(KernelConfig k) {
    Machine m = TestMachines.small(k);
    Process p = m.spawn("p");
    long hard = p.memlockHardLimit();
    p.setrlimitMemlock(PAGE, 2 * PAGE);
    assertThat(p.memlockHardLimit()).isEqualTo(2 * PAGE);
    refused(m, p, Errno.EPERM, PAGE, hard);
  }
}
