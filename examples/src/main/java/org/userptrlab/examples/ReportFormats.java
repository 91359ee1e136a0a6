package org.userptrlab.examples;

import java.io.PrintWriter;
import java.util.List;
import org.userptrlab.lab.Kernels;
import org.userptrlab.lab.report.Format;
import org.userptrlab.mm.KernelConfig;

/** Checks and notes the report commands share: the formats a command offers, and kernels past the newest followed. */
final class ReportFormats {
  private ReportFormats() {}

  /** Refuses {@code --format junit} for a command whose report has no runs to make test cases of. */
  static void noJunit(Format format, String command) {
    if (format == Format.JUNIT) {
      throw new BadValue("--format junit is for run and compare, whose runs become test cases; " + command
          + " writes table, markdown, csv or json");
    }
  }

  /** Says on {@code err}, one line each, how a kernel past the newest the model follows runs; returns the same lines for the notes. */
  static List<String> pastNewest(List<KernelConfig> kernels, PrintWriter err) {
    List<String> notes = Kernels.pastNewest(kernels);
    for (String n : notes) {
      err.println("userptr-lab: note: " + n);
    }
    err.flush();
    return notes;
  }
}
