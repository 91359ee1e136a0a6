package org.userptrlab.core.inject;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import com.google.inject.ScopeAnnotation;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * One instance per run: the machine, the chosen strategy, the driver's counters and the device.
 * Under an injector built for one run this is a singleton; under a comparison's shared injector
 * it is {@link RunScope}, entered once per run.
 */
@Target({TYPE, METHOD})
@Retention(RUNTIME)
@ScopeAnnotation
public @interface RunScoped {}
