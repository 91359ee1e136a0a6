/**
 * The lab's programs on the real kernel: {@link org.userptrlab.lab.real.RealProgram} runs one
 * through the native executor, each strategy as its userspace analogue, and {@link
 * org.userptrlab.lab.real.Diff} sets what it did beside what the model did, operation by
 * operation.
 */
package org.userptrlab.lab.real;
