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

  /** An error of the whole file ({@code file: message}), not of one of its lines. */
  public ProgramError(String file, String message) {
    super(file + ": " + message);
    this.file = file;
    this.line = 0;
    this.column = 0;
  }

  public String file() {
    return file;
  }

  /** The line, from 1; 0 for an error of the whole file. */
  public int line() {
    return line;
  }

  public int column() {
    return column;
  }
}
