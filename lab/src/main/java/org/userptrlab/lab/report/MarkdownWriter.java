package org.userptrlab.lab.report;

/** The report as GitHub-flavoured Markdown: headings, tables, and lists that render as lists. */
final class MarkdownWriter extends ProseWriter {
  @Override
  String heading(String text) {
    return "## " + text + "\n\n";
  }

  @Override
  String subheading(String text) {
    return "### " + text + "\n\n";
  }

  @Override
  String bullet(String text, int depth) {
    return "  ".repeat(depth) + "- " + text + "\n";
  }

  @Override
  String table(TextTable t) {
    return t.markdown();
  }

  @Override
  String fileName() {
    return "report.md";
  }
}
