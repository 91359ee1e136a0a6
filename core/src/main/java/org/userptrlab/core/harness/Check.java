package org.userptrlab.core.harness;

import org.userptrlab.core.spi.Promise;

/**
 * One observation of a run: whether {@code promise} held, with what was looked at; {@code promise} is null
 * for a program's own check of the kernel, which holds or not whatever the strategy promises. A check
 * the program expects to fail ({@code xfail}, as a selftest's ksft_test_result_xfail) that fails is an
 * expected failure, not a failure.
 */
public record Check(Promise promise, String what, boolean held, boolean xfail) {
  public Check(Promise promise, String what, boolean held) {
    this(promise, what, held, false);
  }
}
