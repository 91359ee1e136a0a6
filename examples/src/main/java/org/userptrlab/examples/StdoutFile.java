package org.userptrlab.examples;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;

/**
 * Standard output's file, which remembers whether a write failed because its reader had gone: the
 * JVM ignores SIGPIPE, so a closed pipe is a write's EPIPE ("Broken pipe"), where a full disk or a
 * closed descriptor is another error.
 */
final class StdoutFile extends FileOutputStream {
  private boolean readerGone;

  StdoutFile() {
    super(FileDescriptor.out);
  }

  @Override
  public void write(int b) throws IOException {
    try {
      super.write(b);
    } catch (IOException e) {
      throw seen(e);
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    try {
      super.write(b, off, len);
    } catch (IOException e) {
      throw seen(e);
    }
  }

  private IOException seen(IOException e) {
    readerGone |= e.getMessage() != null && e.getMessage().contains("Broken pipe");
    return e;
  }

  /** Whether a write found the pipe's reading end closed. */
  boolean readerGone() {
    return readerGone;
  }
}
