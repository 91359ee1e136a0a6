package org.userptrlab.lab.real;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The machine's settings are written back once, by the run or by the shutdown hook, and the lock is taken again after it ends. */
class HostLockTest {
  @Test
  void settingsArePutBackOnceAndTheLockIsTakenAgain() {
    AtomicInteger closed = new AtomicInteger();
    AutoCloseable settings = closed::incrementAndGet;
    try (HostLock machine = HostLock.acquire()) {
      assertThat(machine).isNotNull();
      HostLock.pending(settings);
      HostLock.pending(null);
      HostLock.restore(settings);
      HostLock.restore(null);
    }
    assertThat(closed).hasValue(1);
    try (HostLock again = HostLock.acquire()) {
      assertThat(again).isNotNull();
      assertThat(HostLock.FILE).exists();
    }
  }
}
