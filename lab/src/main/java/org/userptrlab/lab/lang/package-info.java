/**
 * Scenarios as programs: a small line-oriented language (one operation or check a line, named
 * values, sizes in decimal or hex with suffixes, strings with escapes, {@code repeat N ... end}
 * blocks, {@code #} comments), its {@link org.userptrlab.lab.lang.Parser} with errors that name
 * file, line and column, its canonical {@link org.userptrlab.lab.lang.Printer}, the documentation
 * of its statements and arguments ({@link org.userptrlab.lab.lang.Syntax}), and a
 * {@link org.userptrlab.lab.lang.Generator} of random valid programs.
 */
package org.userptrlab.lab.lang;
