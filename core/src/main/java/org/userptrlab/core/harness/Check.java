package org.userptrlab.core.harness;

import org.userptrlab.core.spi.Promise;

/**
 * One observation of a run: whether {@code promise} held, with what was looked at; {@code promise} is null
 * for a program's own check of the kernel, which holds or not whatever the strategy promises.
 */
public record Check(Promise promise, String what, boolean held) {}
