/**
 * The native executor: {@code upl-exec}, a small C program built with the system C compiler at
 * first use and cached, which runs the process and userptr parts of a lab program on the real
 * kernel, one command at a time, and reports each command's result with the process's VmLck and
 * VmPin. {@link org.userptrlab.executor.NativeExecutor} says whether it can run here and starts it.
 */
package org.userptrlab.executor;
