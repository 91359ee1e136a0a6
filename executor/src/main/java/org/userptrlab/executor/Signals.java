package org.userptrlab.executor;

/** Linux's names of the signals a program's process or the executor can die of. */
public final class Signals {
  private Signals() {}

  /** The signal's name as the kernel's headers spell it ({@code SIGKILL}), or {@code signal N}. */
  public static String name(int signal) {
    return switch (signal) {
      case 1 -> "SIGHUP";
      case 2 -> "SIGINT";
      case 6 -> "SIGABRT";
      case 7 -> "SIGBUS";
      case 9 -> "SIGKILL";
      case 11 -> "SIGSEGV";
      case 13 -> "SIGPIPE";
      case 15 -> "SIGTERM";
      default -> "signal " + signal;
    };
  }
}
