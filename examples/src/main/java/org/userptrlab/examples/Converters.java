package org.userptrlab.examples;

import org.userptrlab.lab.Kernels;
import org.userptrlab.lab.Sizes;
import org.userptrlab.mm.KernelConfig;
import picocli.CommandLine;

/** Converters of option values; a parser's IllegalArgumentException becomes picocli's one-line error. */
final class Converters {
  private Converters() {}

  /** A converter whose parser's IllegalArgumentException becomes picocli's one-line error. */
  abstract static class Checked<T> implements CommandLine.ITypeConverter<T> {
    abstract T parse(String value);

    @Override
    public final T convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** A size with an optional K, M, G or T suffix. */
  static final class SizeConverter extends Checked<Long> {
    @Override
    Long parse(String value) {
      return Sizes.parse(value);
    }
  }

  /** A kernel by release (3.4) or name (LINUX_3_4). */
  static final class KernelConverter extends Checked<KernelConfig> {
    @Override
    KernelConfig parse(String value) {
      if (value.endsWith(",")) {
        throw new IllegalArgumentException("a list of kernels has no empty item: '" + value + "' ends in a comma");
      }
      return Kernels.parse(value);
    }
  }
}
