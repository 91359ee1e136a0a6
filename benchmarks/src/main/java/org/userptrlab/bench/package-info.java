/**
 * JMH benchmarks of the simulator's own speed, in nanoseconds per simulated 4 KiB page, and a
 * measure of the heap a machine takes. Nothing here is a library; run it from the benchmarks jar.
 */
package org.userptrlab.bench;
