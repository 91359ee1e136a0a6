package org.userptrlab.lab.report;

import java.util.function.Supplier;

/** The output formats, each with its writer. */
public enum Format {
  TABLE(TableWriter::new),
  MARKDOWN(MarkdownWriter::new),
  CSV(CsvWriter::new),
  JSON(JsonWriter::new);

  private final Supplier<ReportWriter> writer;

  Format(Supplier<ReportWriter> writer) {
    this.writer = writer;
  }

  public ReportWriter writer() {
    return writer.get();
  }
}
