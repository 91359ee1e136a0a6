package org.userptrlab.lab.report;

/** The report for a terminal: underlined headings, padded columns, indented lists. */
final class TableWriter extends ProseWriter {
  @Override
  String heading(String text) {
    return text + "\n" + "=".repeat(text.length()) + "\n";
  }

  @Override
  String subheading(String text) {
    return text + ":\n";
  }

  @Override
  String bullet(String text, int depth) {
    return "  ".repeat(depth + 1) + text + "\n";
  }

  @Override
  String table(TextTable t) {
    return t.plain();
  }

  @Override
  String fileName() {
    return "report.txt";
  }
}
