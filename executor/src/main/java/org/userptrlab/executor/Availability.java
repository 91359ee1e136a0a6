package org.userptrlab.executor;

/** Whether the executor can run on this machine, and if not, why, in one line. */
public record Availability(boolean available, String reason) {
  static Availability yes() {
    return new Availability(true, "");
  }

  static Availability no(String reason) {
    return new Availability(false, reason);
  }
}
