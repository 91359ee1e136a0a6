package org.userptrlab.lab.scenarios;

import java.util.ArrayList;
import java.util.List;
import org.userptrlab.lab.lang.Printer;

/**
 * The text of one generated program, written as a person writes one: its header (the comments before
 * it, the scenario line, the machine line), then its lines, each an operation, a check or a comment.
 */
final class ProgramText {
  private final List<String> preamble = new ArrayList<>();
  private final List<String> machine = new ArrayList<>();
  private final StringBuilder body = new StringBuilder();
  private final String name;
  private final String description;

  ProgramText(String name, String description) {
    this.name = name;
    this.description = description;
  }

  /** A comment before the scenario line: what the program is about. */
  ProgramText about(String comment) {
    preamble.add(comment);
    return this;
  }

  /** A setting of the machine line, as {@code machine} takes it ({@code swap 16M}, {@code thp 2M always}). */
  ProgramText machine(String setting) {
    machine.add(setting);
    return this;
  }

  /** A line of the body. */
  ProgramText line(String text) {
    body.append(text).append('\n');
    return this;
  }

  /** A comment line of the body: why the next lines are there, in the selftest's own terms. */
  ProgramText comment(String text) {
    return line("# " + text);
  }

  String name() {
    return name;
  }

  String text() {
    StringBuilder sb = new StringBuilder();
    preamble.forEach(c -> sb.append("# ").append(c).append('\n'));
    sb.append("scenario ").append(name).append(" \"").append(description).append("\"\n");
    if (!machine.isEmpty()) {
      sb.append("machine ").append(String.join(" ", machine)).append('\n');
    }
    return sb.append('\n').append(body).toString();
  }

  /** A size as a program writes it: 4K, 2M. */
  static String size(long bytes) {
    return Printer.size(bytes);
  }
}
