package org.userptrlab.executor;

/**
 * The executor process ended while a command was under way (killed, or out of memory): the
 * command has no answer. {@link #signal()} is the signal that ended it, 0 if it exited.
 */
public final class ExecutorDied extends IllegalStateException {
  private static final long serialVersionUID = 1L;
  private final int signal;
  private final int status;

  ExecutorDied(String command, int signal, int status) {
    super("the executor died " + how(signal, status) + " while running '" + command + "'");
    this.signal = signal;
    this.status = status;
  }

  /** How a process ended: "of signal 9 (SIGKILL)", or "with exit status 2" where {@code signal} is 0. */
  static String how(int signal, int status) {
    return signal != 0 ? "of signal " + signal + " (" + Signals.name(signal) + ")" : "with exit status " + status;
  }

  /** How the executor ended: "of signal 9 (SIGKILL)", or "with exit status 2". */
  public String how() {
    return how(signal, status);
  }

  /** The signal that ended the executor; 0 if it exited. */
  public int signal() {
    return signal;
  }

  /** The executor's exit status, where it exited. */
  public int status() {
    return status;
  }
}
