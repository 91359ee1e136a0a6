package org.userptrlab.core.cost;

import java.util.EnumMap;
import java.util.Map;

/**
 * A machine's costs for the work the memory manager counts: one {@link Figure} for every {@link
 * Parameter}, each with its source. Built with {@link #builder}; a profile lacking a figure cannot
 * be built.
 */
public record PlatformProfile(String name, String description, Map<Parameter, Figure> figures) {
  public PlatformProfile {
    if (name == null || !name.matches("[a-z0-9][a-z0-9.-]*")) {
      throw new IllegalArgumentException("a profile name is lower-case letters, digits, dots and dashes: " + name);
    }
    EnumMap<Parameter, Figure> copy = new EnumMap<>(Parameter.class);
    copy.putAll(figures);
    for (Parameter p : Parameter.values()) {
      if (!copy.containsKey(p)) {
        throw new IllegalArgumentException("profile " + name + " lacks a figure for " + p);
      }
    }
    figures = new Figures(copy);
  }

  /** The figures, unmodifiable, with their values by parameter: {@link #get} prices the virtual clock's every call. */
  private static final class Figures extends java.util.AbstractMap<Parameter, Figure> {
    private final Map<Parameter, Figure> map;
    private final double[] values = new double[Parameter.values().length];

    Figures(EnumMap<Parameter, Figure> figures) {
      map = java.util.Collections.unmodifiableMap(figures);
      figures.forEach((p, f) -> values[p.ordinal()] = f.value());
    }

    @Override
    public java.util.Set<Map.Entry<Parameter, Figure>> entrySet() {
      return map.entrySet();
    }

    @Override
    public Figure get(Object key) {
      return map.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return map.containsKey(key);
    }
  }

  public static Builder builder(String name, String description) {
    return new Builder(name, description);
  }

  /** The value of {@code p} in its unit. */
  public double get(Parameter p) {
    return ((Figures) figures).values[p.ordinal()];
  }

  /** The figures {@link Builder#fillFrom} lent this profile (one written before they existed), in parameter order. */
  public java.util.List<Parameter> filledIn() {
    return figures.entrySet().stream().filter(e -> e.getValue().source().startsWith(Builder.FILLED)).map(Map.Entry::getKey).toList();
  }

  /** Builds a profile figure by figure. */
  public static final class Builder {
    /** How the source of a figure lent by {@link #fillFrom} begins. */
    static final String FILLED = "not in the profile (written before ";

    private final String name;
    private final String description;
    private final EnumMap<Parameter, Figure> figures = new EnumMap<>(Parameter.class);

    private Builder(String name, String description) {
      this.name = name;
      this.description = description;
    }

    /**
     * Sets a figure; {@link IllegalArgumentException} for one no platform has: negative or not
     * finite, a bandwidth or size of 0 (every copy would take forever), a size in parts of a byte,
     * or past the largest of its unit.
     */
    public Builder set(Parameter p, double value, String source) {
      if (p.unit() != Parameter.Unit.NS && Double.isFinite(value) && value <= 0) {
        throw new IllegalArgumentException(String.format("%s is %s, and must be above 0 %s", p, value, p.unit().symbol()));
      }
      Figure f = new Figure(value, source);
      if (p.unit() == Parameter.Unit.BYTES && value != Math.rint(value)) {
        throw new IllegalArgumentException(String.format("%s is %s bytes; a size is a whole number of bytes", p, value));
      }
      if (p.unit() == Parameter.Unit.BYTES_PER_NS && value < LEAST_BANDWIDTH) {
        throw new IllegalArgumentException(String.format("%s is %s B/ns, below the %s B/ns (1 MB/s) that any platform's is above", p,
            value, LEAST_BANDWIDTH));
      }
      double most = MOST.get(p.unit());
      if (value > most) {
        throw new IllegalArgumentException(String.format("%s is %s %s, past the %.0f %s that any platform's is below", p, value,
            p.unit().symbol(), most, p.unit().symbol()));
      }
      figures.put(p, f);
      return this;
    }

    /** The smallest bandwidth: a megabyte a second, below which a copy of a page would take milliseconds. */
    private static final double LEAST_BANDWIDTH = 1e-3;

    /** The largest figure of each unit: a quarter of an hour, a petabyte a second, a petabyte. */
    private static final java.util.Map<Parameter.Unit, Double> MOST = java.util.Map.of(Parameter.Unit.NS, 9e11,
        Parameter.Unit.BYTES_PER_NS, 1e6, Parameter.Unit.BYTES, 1e15);

    /**
     * Every figure of {@link Parameter#LATER} this builder lacks, from {@code other} (or from its own
     * {@link Parameter#before}), its source saying so: a profile written before the figure existed.
     */
    public Builder fillFrom(PlatformProfile other) {
      for (Parameter p : Parameter.LATER) {
        if (figures.containsKey(p)) {
          continue;
        }
        Figure own = p.before() == null ? null : figures.get(p.before());
        figures.put(p, own != null ? new Figure(own.value(), FILLED + p + " existed): its own " + p.before()
            + ", which priced it before") : new Figure(other.get(p), FILLED + p + " existed): " + other.name() + "'s figure, "
            + other.figures().get(p).source()));
      }
      return this;
    }

    public PlatformProfile build() {
      Figure own = figures.get(Parameter.CPU_CACHE_BYTES);
      Figure llc = figures.get(Parameter.LLC_BYTES);
      if (own != null && llc != null && own.value() > llc.value()) {
        throw new IllegalArgumentException(String.format("CPU_CACHE_BYTES is %.0f, more than LLC_BYTES (%.0f): a CPU's own cache is "
            + "no larger than the last-level one", own.value(), llc.value()));
      }
      return new PlatformProfile(name, description, figures);
    }
  }
}
