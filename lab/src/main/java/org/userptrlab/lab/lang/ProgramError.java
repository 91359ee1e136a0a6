package org.userptrlab.lab.lang;

/**
 * A program that cannot be read or cannot run: where ({@code file:line:column}, the column 0 when
 * the whole line is meant) and what was expected.
 */
public final class ProgramError extends RuntimeException {
  private final String file;
  private final int line;
  private final int column;

  public ProgramError(String file, int line, int column, String message) {
    super(file + ":" + line + (column > 0 ? ":" + column : "") + ": " + message);
    this.file = file;
    this.line = line;
    this.column = column;
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }
}
