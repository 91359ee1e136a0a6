package org.userptrlab.lab;

import java.util.Locale;

/** Sizes as people write them: {@code 4096}, {@code 64K}, {@code 16M}, {@code 1G} (also {@code 16MiB}), {@code 0x4000000}. */
public final class Sizes {
  /** A size in hex as a program writes one: {@code 0x1000}, {@code 0x10M}. */
  private static final java.util.regex.Pattern HEX = java.util.regex.Pattern.compile("0[xX]([0-9a-fA-F]+)([KMGTkmgt]?)");

  private Sizes() {}

  /**
   * The number of bytes {@code text} stands for; a suffix K, M, G or T multiplies by 1024 per step.
   * Throws {@link IllegalArgumentException} for anything else, or a size past {@code Long.MAX_VALUE}.
   */
  public static long parse(String text) {
    String t = text.trim();
    java.util.regex.Matcher hex = HEX.matcher(t);
    if (hex.matches()) {
      // As a program writes a size: 0x hex, with a unit or none.
      int shift = hex.group(2).isEmpty() ? 0 : ("KMGT".indexOf(hex.group(2).toUpperCase(Locale.ROOT)) + 1) * 10;
      String digits = hex.group(1).replaceFirst("^0+(?=.)", "");
      if (digits.length() > 16 || Long.compareUnsigned(Long.parseUnsignedLong(digits, 16), Long.MAX_VALUE >> shift) > 0) {
        throw new IllegalArgumentException("'" + text + "' is too large a size");
      }
      return Long.parseLong(digits, 16) << shift;
    }
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
      throw new IllegalArgumentException("'" + text + "' is not a size; write bytes, decimal or 0x hex, or a number with K, M, G or T "
          + "(64K, 16M, 1G, 0x4000000)");
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
