/**
 * Scenarios as programs: a small line-oriented language (one operation or check a line, named
 * values, sizes with suffixes, {@code #} comments), its {@link org.userptrlab.lab.lang.Parser}
 * with errors that name file, line and column, its canonical {@link org.userptrlab.lab.lang.Printer},
 * and a {@link org.userptrlab.lab.lang.Generator} of random valid programs.
 */
package org.userptrlab.lab.lang;
