package org.userptrlab.examples;

/** A semantic check failed: the message says what is wrong and what would be accepted. */
final class BadValue extends RuntimeException {
  BadValue(String message) {
    super(message);
  }
}
