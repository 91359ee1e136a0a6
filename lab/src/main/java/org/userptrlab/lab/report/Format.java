package org.userptrlab.lab.report;

import java.util.function.Supplier;

/** The output formats, each with its writer; {@link #JUNIT} only for the commands whose report has runs (run, compare). */
public enum Format {
  TABLE(TableWriter::new),
  MARKDOWN(MarkdownWriter::new),
  CSV(CsvWriter::new),
  JSON(JsonWriter::new),
  JUNIT(JunitWriter::new);

  private final Supplier<ReportWriter> writer;

  Format(Supplier<ReportWriter> writer) {
    this.writer = writer;
  }

  public ReportWriter writer() {
    return writer.get();
  }
}
