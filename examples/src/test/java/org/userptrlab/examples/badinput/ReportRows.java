package org.userptrlab.examples.badinput;

import java.util.List;

/** Rows of the bad-input table. */
final class ReportRows {
  private ReportRows() {}

  static List<BadInput> rows() {
    return List.of();
  }
}
