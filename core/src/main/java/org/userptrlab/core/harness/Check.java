package org.userptrlab.core.harness;

import org.userptrlab.core.spi.Promise;

/** One observation of a run: whether {@code promise} held, with what was looked at. */
public record Check(Promise promise, String what, boolean held) {}
