package org.userptrlab.mm;

/**
 * A machine's view of its kernel's changes: {@link #has} answers as the {@link KernelConfig} does
 * and remembers that the model asked, and the answer, for {@link Coverage}. One OR per question.
 */
final class KernelGate {
  private final KernelConfig config;
  private final long[] asked = new long[(KernelChange.values().length + 63) >>> 6];

  KernelGate(KernelConfig config) {
    this.config = config;
  }

  boolean has(KernelChange change) {
    int i = change.ordinal();
    asked[i >>> 6] |= 1L << i;
    return config.has(change);
  }

  /** The kernel as configured, for what is not a question about one change. */
  KernelConfig config() {
    return config;
  }

  KernelConfig.CowReuse cowReuse() {
    return config.cowReuse();
  }

  /** The changes asked about, split by the answer. */
  java.util.EnumSet<KernelChange> asked(boolean answer) {
    java.util.EnumSet<KernelChange> out = java.util.EnumSet.noneOf(KernelChange.class);
    for (KernelChange c : KernelChange.values()) {
      int i = c.ordinal();
      if ((asked[i >>> 6] & (1L << i)) != 0 && config.has(c) == answer) {
        out.add(c);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return config.toString();
  }
}
