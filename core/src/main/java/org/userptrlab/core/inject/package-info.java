/**
 * The Guice wiring of one run (a fresh machine, its kernel, the driver's limits and the chosen
 * strategy) and the discovery of strategies on the class path, once per process.
 */
package org.userptrlab.core.inject;
