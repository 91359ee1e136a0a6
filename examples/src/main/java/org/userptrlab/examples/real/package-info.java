/**
 * The lab's programs on the real kernel: {@link org.userptrlab.examples.real.RealProgram} runs one
 * through the native executor, each strategy as its userspace analogue, and {@link
 * org.userptrlab.examples.real.Diff} sets what it did beside what the model did, operation by
 * operation.
 */
package org.userptrlab.examples.real;
