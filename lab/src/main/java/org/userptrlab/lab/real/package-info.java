/**
 * The lab's programs on the real kernel: {@link org.userptrlab.lab.real.RealProgram} runs one
 * through the native executor, each strategy as its userspace analogue, and {@link
 * org.userptrlab.lab.real.Diff} sets what it did beside what the model did, operation by
 * operation, with a verdict that tells a disagreement from a run that could not be made or
 * compared; {@link org.userptrlab.lab.real.DiffJson} writes the results as one JSON document.
 */
package org.userptrlab.lab.real;
