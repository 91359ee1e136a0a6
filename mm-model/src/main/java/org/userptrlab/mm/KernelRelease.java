package org.userptrlab.mm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mainline release, major.minor ("5.10"): the unit the model's history is counted in. Stable
 * point releases ("5.10.200") and distribution suffixes are read and dropped, since the model
 * follows what mainline merged in each release.
 */
public record KernelRelease(int major, int minor) implements Comparable<KernelRelease> {
  /** major.minor, then any further numbers and a local version as uname -r has them (6.8.0-49-generic, 5.15.153.1-microsoft). */
  private static final Pattern RELEASE = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.\\d+)*(?:[-+_~].*)?");

  /** The oldest release the model knows: the last 2.6 was followed by 3.0. */
  public static final KernelRelease OLDEST = new KernelRelease(3, 0);

  /** The last minor of each major that has had its last release: 3.19, 4.20 and 5.19 were followed by 4.0, 5.0 and 6.0. */
  private static final java.util.Map<Integer, Integer> LAST_MINOR = java.util.Map.of(3, 19, 4, 20, 5, 19);

  /** Null where mainline had such a release or may yet have it, else why there was none: "3.x ended at 3.19". */
  public String neverReleased() {
    Integer last = LAST_MINOR.get(major);
    return last != null && minor > last ? major + ".x ended at " + major + "." + last + ", followed by " + (major + 1) + ".0" : null;
  }

  public KernelRelease {
    if (major < 0 || minor < 0) {
      throw new IllegalArgumentException("a release is major.minor, both non-negative: " + major + "." + minor);
    }
  }

  /** Reads "5.10", "5.10.200" or a uname release such as "6.8.0-49-generic". */
  public static KernelRelease parse(String text) {
    Matcher m = RELEASE.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a kernel release; write it as major.minor, such as 5.10");
    }
    try {
      return new KernelRelease(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a kernel release; its numbers are too large");
    }
  }

  public boolean atLeast(KernelRelease other) {
    return compareTo(other) >= 0;
  }

  @Override
  public int compareTo(KernelRelease o) {
    return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
