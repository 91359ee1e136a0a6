package org.userptrlab.examples.badinput;

import java.util.List;

/** Rows of the bad-input table. */
final class OutputRows {
  private OutputRows() {}

  static List<BadInput> rows() {
    return List.of();
  }
}
