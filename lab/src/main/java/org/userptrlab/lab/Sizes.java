package org.userptrlab.lab;

import java.util.Locale;

/** Sizes as people write them: {@code 4096}, {@code 64K}, {@code 16M}, {@code 1G} (also {@code 16MiB}). */
public final class Sizes {
  private Sizes() {}

  /**
   * The number of bytes {@code text} stands for; a suffix K, M, G or T multiplies by 1024 per step.
   * Throws {@link IllegalArgumentException} for anything else, or a size past {@code Long.MAX_VALUE}.
   */
  public static long parse(String text) {
    String t = text.trim();
    String upper = t.toUpperCase(Locale.ROOT);
    for (String unit : new String[] {"IB", "B"}) {
      if (upper.endsWith(unit) && upper.length() > unit.length()
          && (unit.equals("B") || Character.isLetter(upper.charAt(upper.length() - unit.length() - 1)))) {
        upper = upper.substring(0, upper.length() - unit.length());
        break;
      }
    }
    int shift = 0;
    if (!upper.isEmpty()) {
      switch (upper.charAt(upper.length() - 1)) {
        case 'K' -> shift = 10;
        case 'M' -> shift = 20;
        case 'G' -> shift = 30;
        case 'T' -> shift = 40;
        default -> shift = 0;
      }
    }
    String digits = shift == 0 ? upper : upper.substring(0, upper.length() - 1);
    if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("'" + text + "' is not a size; write bytes, or a number with K, M, G or T (64K, 16M, 1G)");
    }
    long n;
    try {
      n = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too large a size");
    }
    if (n > Long.MAX_VALUE >> shift) {
      throw new IllegalArgumentException("'" + text + "' is too large a size");
    }
    return n << shift;
  }

  /** A size for people: {@code 4 KiB}, {@code 16 MiB}, {@code 1000 B}. */
  public static String format(long bytes) {
    for (int shift = 40; shift >= 10; shift -= 10) {
      if (bytes >= 1L << shift && bytes % (1L << shift) == 0) {
        return (bytes >> shift) + " " + "KMGT".charAt(shift / 10 - 1) + "iB";
      }
    }
    return bytes + " B";
  }
}
