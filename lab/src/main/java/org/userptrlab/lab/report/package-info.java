/**
 * One writer per output format behind {@link org.userptrlab.lab.report.ReportWriter}: a
 * terminal table, Markdown, tidy CSV, JSON with a schema, and SVG charts. A writer only renders.
 */
package org.userptrlab.lab.report;
