package org.userptrlab.lab.report;

import java.util.ArrayList;
import java.util.List;

/** A table of text cells laid out for a terminal (padded columns) or as a Markdown table. */
public final class TextTable {
  private final List<String> header;
  private final int leftColumns;
  private final List<List<String>> rows = new ArrayList<>();

  /**
   * The first {@code leftColumns} columns are labels; of the rest, a column is right-aligned in
   * Markdown only if it holds figures (a number, or "-", "refused" or "error" in place of one).
   */
  public TextTable(List<String> header, int leftColumns) {
    this.header = List.copyOf(header);
    this.leftColumns = leftColumns;
  }

  public TextTable row(List<String> cells) {
    if (cells.size() != header.size()) {
      throw new IllegalArgumentException("a row of " + cells.size() + " cells under " + header.size() + " columns");
    }
    // A cell is one line: a line break or tab of the program's text (a string's \n) shows as its escape.
    rows.add(cells.stream().map(c -> c.replaceAll("\\R", "\\\\n").replace("\t", "\\t")).toList());
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Padded columns for a terminal. */
  public String plain() {
    int[] w = new int[header.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = header.get(i).length();
      for (List<String> r : rows) {
        w[i] = Math.max(w[i], r.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, header, w);
    List<String> rule = new ArrayList<>();
    for (int x : w) {
      rule.add("-".repeat(x));
    }
    line(sb, rule, w);
    for (List<String> r : rows) {
      line(sb, r, w);
    }
    return sb.toString();
  }

  String markdown() {
    StringBuilder sb = new StringBuilder("| ").append(String.join(" | ", header.stream().map(TextTable::cell).toList())).append(" |\n|");
    for (int i = 0; i < header.size(); i++) {
      sb.append(i >= leftColumns && figures(i) ? " ---: |" : " --- |");
    }
    sb.append('\n');
    for (List<String> r : rows) {
      sb.append("| ").append(String.join(" | ", r.stream().map(TextTable::cell).toList())).append(" |\n");
    }
    return sb.toString();
  }

  /** Whether column {@code i} holds figures only, and at least one. */
  private boolean figures(int i) {
    boolean any = false;
    for (List<String> r : rows) {
      String c = r.get(i);
      if (FIGURE.matcher(c).matches()) {
        any = true;
      } else if (!PLACEHOLDERS.contains(c)) {
        return false;
      }
    }
    return any;
  }

  private static final java.util.regex.Pattern FIGURE = java.util.regex.Pattern.compile("[-+]?[0-9][0-9,]*(\\.[0-9]+)?");

  /** What a figure column shows where there is no figure. */
  private static final java.util.Set<String> PLACEHOLDERS = java.util.Set.of("-", "refused", "error");

  private static String cell(String s) {
    return s.replace("|", "\\|");
  }

  private static void line(StringBuilder sb, List<String> cells, int[] w) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      l.append(cells.get(i)).append(" ".repeat(w[i] - cells.get(i).length() + 2));
    }
    sb.append(l.toString().stripTrailing()).append('\n');
  }
}
