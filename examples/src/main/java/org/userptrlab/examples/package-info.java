/**
 * The {@code userptr-lab} command line: {@code list}, {@code compare} and {@code sweep}, each
 * checking every value before any work and writing its report whole.
 */
package org.userptrlab.examples;
