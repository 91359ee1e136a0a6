package org.userptrlab.examples.badinput;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of the bad-input table: a command line (where {@code {dir}} stands for a fresh directory
 * holding {@code files}), and the text its one line on standard error must contain ({@code {dir}}
 * replaced there too).
 */
public record BadInput(String what, List<String> args, Map<String, byte[]> files, String expected) {
  public BadInput {
    args = List.copyOf(args);
    files = Map.copyOf(files);
  }

  /** A row with no files. */
  public static BadInput of(String what, String expected, String... args) {
    return new BadInput(what, List.of(args), Map.of(), expected);
  }

  /** A row that runs {@code command} on one program file, {@code {dir}/p.scenario}, holding {@code text}. */
  public static BadInput program(String what, String expected, String text, String... command) {
    return withFile(what, expected, "p.scenario", text.getBytes(StandardCharsets.UTF_8), command);
  }

  /** A row that runs {@code command} with one file of the given bytes in {@code {dir}}. */
  public static BadInput withFile(String what, String expected, String name, byte[] bytes, String... command) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(name, bytes);
    return new BadInput(what, List.of(command), files, expected);
  }

  @Override
  public String toString() {
    return what;
  }
}
