package org.userptrlab.lab.scenarios;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.userptrlab.lab.lang.Parser;

/**
 * A named set of programs shipped with the lab, run together ({@code run --suite}, {@code diff --suite}):
 * each a program stored in the jar under {@code suites/ID/}, listed in order in that folder's
 * {@code index}.
 */
public enum Suite {
  /**
   * The cases of the kernel's own mm selftests, tools/testing/selftests/mm/cow.c and gup_longterm.c (as
   * of 6.12), one program each, described as the selftest prints the case.
   */
  KERNEL_SELFTESTS("kernel-selftests");

  /** The strategy a suite runs under unless told otherwise: its programs import nothing, and copy is the baseline. */
  public static final String STRATEGY = "copy";

  private static final String ROOT = "/org/userptrlab/lab/suites/";

  private final String id;

  Suite(String id) {
    this.id = id;
  }

  /** As {@code --suite} takes it. */
  public String id() {
    return id;
  }

  /** The suite {@code id} names; {@link IllegalArgumentException} naming the suites there are. */
  public static Suite of(String id) {
    return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst().orElseThrow(() -> new IllegalArgumentException(
        "no suite '" + id + "'; there is " + String.join(", ", Arrays.stream(values()).map(Suite::id).toList())));
  }

  /** The suite's programs, in the order of its index, each parsed (once) from the jar. */
  public List<TextScenario> programs() {
    return Loaded.PROGRAMS.get(ordinal());
  }

  /** Parsed once: a program is immutable and each run interprets it afresh. */
  private static final class Loaded {
    static final List<List<TextScenario>> PROGRAMS = Arrays.stream(values()).map(Loaded::load).toList();

    private static List<TextScenario> load(Suite suite) {
      String dir = ROOT + suite.id + "/";
      return read(dir + "index").lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .map(f -> new TextScenario(suite.id + "/" + f, Parser.parse(suite.id + "/" + f, read(dir + f)))).toList();
    }

    private static String read(String path) {
      try (InputStream in = Suite.class.getResourceAsStream(path)) {
        if (in == null) {
          throw new IllegalStateException("the jar lacks " + path);
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + path, e);
      }
    }
  }
}
