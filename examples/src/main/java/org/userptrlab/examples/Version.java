package org.userptrlab.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** The build's own version, with the commit it was built from and when, from the jar. */
final class Version implements CommandLine.IVersionProvider {
  private static final Properties BUILD = load();

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = Cli.class.getResourceAsStream("/org/userptrlab/examples/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /** A property the build filled in, or "unknown" (a build without git, or classes not built by Maven). */
  private static String property(String name) {
    String v = BUILD.getProperty(name, "").strip();
    return v.isEmpty() || v.contains("${") ? "unknown" : v;
  }

  static String get() {
    return property("version");
  }

  /** The git commit the build was made from, "-dirty" when the work tree had changes; "unknown" without git. */
  static String commit() {
    return property("commit");
  }

  /** When the build was made, in UTC. */
  static String built() {
    return property("built");
  }

  @Override
  public String[] getVersion() {
    return new String[] {"userptr-lab " + get(), "commit " + commit() + ", built " + built()};
  }
}
