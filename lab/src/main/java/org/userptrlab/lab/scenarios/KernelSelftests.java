package org.userptrlab.lab.scenarios;

import java.util.ArrayList;
import java.util.List;

/**
 * The suite {@code kernel-selftests}: the cases of tools/testing/selftests/mm/cow.c, then those of
 * gup_longterm.c, as the selftests run them one after the other.
 */
final class KernelSelftests {
  private KernelSelftests() {}

  static List<SuiteCase> cases() {
    List<SuiteCase> out = new ArrayList<>(CowSelftest.cases());
    out.addAll(GupLongtermSelftest.cases());
    return List.copyOf(out);
  }
}
