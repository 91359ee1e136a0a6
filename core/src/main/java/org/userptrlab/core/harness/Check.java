package org.userptrlab.core.harness;

import org.userptrlab.core.spi.Promise;

/**
 * One observation of a run: whether {@code promise} held, with what was looked at; {@code promise} is null
 * for a program's own check of the kernel, which holds or not whatever the strategy promises. A check
 * the program expects to fail ({@code xfail}, as a selftest's ksft_test_result_xfail) that fails is an
 * expected failure, not a failure. {@code seen} says what a check that did not hold found instead (the
 * values it compared: {@code p.stalled was 0ns}), or is null.
 */
public record Check(Promise promise, String what, boolean held, boolean xfail, String seen) {
  public Check(Promise promise, String what, boolean held) {
    this(promise, what, held, false, null);
  }

  public Check(Promise promise, String what, boolean held, boolean xfail) {
    this(promise, what, held, xfail, null);
  }

  /** {@code what}, with what was seen where the check did not hold: {@code line 8: munmap waited (p.stalled was 0ns)}. */
  public String described() {
    return seen == null ? what : what + " (" + seen + ")";
  }
}
