package org.userptrlab.lab.report;

import java.util.List;
import org.userptrlab.lab.LabReport;

/**
 * Renders a {@link LabReport} in one format. A writer only renders: the caller decides where
 * each document goes (standard output, or a file each under {@code --out}), so that nothing is
 * half-written when something fails.
 */
public interface ReportWriter {
  /** The documents of the report, the main one first. */
  List<Document> write(LabReport report);
}
