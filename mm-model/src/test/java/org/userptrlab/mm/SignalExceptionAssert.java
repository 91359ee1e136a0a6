package org.userptrlab.mm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

final class SignalExceptionAssert {
  private SignalExceptionAssert() {}

  static void segv(ThrowingCallable call, long addr) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(SignalException.class, e -> {
          org.assertj.core.api.Assertions.assertThat(e.address()).isEqualTo(addr);
          org.assertj.core.api.Assertions.assertThat(e.kind().signal()).isEqualTo("SIGSEGV");
        })
        .hasMessageContaining(String.format("0x%x", addr));
  }

  static void errno(ThrowingCallable call, Errno errno) {
    assertThatThrownBy(call).isInstanceOfSatisfying(MmException.class,
        e -> org.assertj.core.api.Assertions.assertThat(e.errno()).isEqualTo(errno));
  }
}
