package org.userptrlab.mm;

/**
 * A system call or kernel service refused: carries the errno the kernel would return and a message
 * that says what to change. Whoever throws it has changed nothing.
 */
public final class MmException extends RuntimeException {
  private final Errno errno;

  public MmException(Errno errno, String message) {
    super(errno.name() + ": " + message);
    this.errno = errno;
  }

  public Errno errno() {
    return errno;
  }

  static MmException of(Errno errno, String format, Object... args) {
    return new MmException(errno, String.format(format, args));
  }
}
