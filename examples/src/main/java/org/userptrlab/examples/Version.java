package org.userptrlab.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** The build's own version, from the jar. */
final class Version implements CommandLine.IVersionProvider {
  static String get() {
    Properties p = new Properties();
    try (InputStream in = Cli.class.getResourceAsStream("/org/userptrlab/examples/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version", "unknown");
  }

  @Override
  public String[] getVersion() {
    return new String[] {"userptr-lab " + get()};
  }
}
