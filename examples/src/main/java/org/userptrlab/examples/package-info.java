/**
 * The {@code userptr-lab} command line (picocli), a thin client of the lab library: each command
 * checks every value before any work, hands the work to {@code org.userptrlab.lab}, and writes its
 * report whole.
 */
package org.userptrlab.examples;
