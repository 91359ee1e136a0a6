package org.userptrlab.lab.scenarios;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.userptrlab.lab.lang.Parser;

/**
 * A named set of programs shipped with the lab, run together ({@code run --suite}, {@code diff --suite}):
 * each a program the lab writes as a person would (its text parsed as a file's is), in a fixed order.
 */
public enum Suite {
  /**
   * The cases of the kernel's own mm selftests, tools/testing/selftests/mm/cow.c and gup_longterm.c (as
   * of 6.18, on x86-64 with every size of anonymous THP), one program each, described as the selftest
   * prints the case, in the order the selftests run them; the hugetlb forms are not there yet.
   */
  KERNEL_SELFTESTS("kernel-selftests", KernelSelftests::cases);

  /** The strategy a suite runs under unless told otherwise: its programs import nothing, and copy is the baseline. */
  public static final String STRATEGY = "copy";

  private final String id;
  private final Supplier<List<SuiteCase>> cases;

  Suite(String id, Supplier<List<SuiteCase>> cases) {
    this.id = id;
    this.cases = cases;
  }

  /** As {@code --suite} takes it. */
  public String id() {
    return id;
  }

  /** The suite {@code id} names; {@link IllegalArgumentException} naming the suites there are. */
  public static Suite of(String id) {
    return find(id).orElseThrow(() -> new IllegalArgumentException(
        "no suite '" + id + "'; there is " + String.join(", ", Arrays.stream(values()).map(Suite::id).toList())));
  }

  /** The suite {@code id} names, in either case, if there is one. */
  public static Optional<Suite> find(String id) {
    return Arrays.stream(values()).filter(s -> s.id.equalsIgnoreCase(id)).findFirst();
  }

  /** The suite's programs, in order, each parsed (once). */
  public List<TextScenario> programs() {
    return Loaded.PROGRAMS.get(ordinal());
  }

  /** The names of the suite's programs (their scenario lines' names), in order. */
  public List<String> names() {
    return cases.get().stream().map(SuiteCase::name).toList();
  }

  /** The text of the suite's program {@code name} (its scenario line's name), as a file would hold it. */
  public Optional<String> text(String name) {
    return cases.get().stream().filter(c -> c.name().equals(name)).map(SuiteCase::text).findFirst();
  }

  /** Parsed once: a program is immutable and each run interprets it afresh. */
  private static final class Loaded {
    static final List<List<TextScenario>> PROGRAMS = Arrays.stream(values()).map(Loaded::load).toList();

    private static List<TextScenario> load(Suite suite) {
      return suite.cases.get().stream().map(c -> {
        String file = suite.id + "/" + c.name() + ".scenario";
        return new TextScenario(file, Parser.parse(file, c.text()));
      }).toList();
    }
  }
}
