package org.userptrlab.lab.scenarios;

/**
 * What one operation of a program did, as the model and the real kernel both report it: the
 * line, the operation as written, its outcome ({@code true} or {@code false} for a check,
 * {@code ok}, an errno name such as {@code ENOMEM}, or {@code SIGSEGV}), and the acting process's
 * VmLck and VmPin afterwards in kB (-1 where the operation has no acting process left to ask), and
 * what it took: on the model, the virtual time of the call (its work priced, its waits); on the real
 * kernel, the time its commands took in the executor's processes, less the executor's scaffolding
 * (what it does only because it has no driver), which {@code scaffoldNanos} says apart (0 on the
 * model). The time is never compared.
 */
public record Step(int line, String call, String outcome, long vmlckKb, long vmpinKb, long nanos, long scaffoldNanos) {
  /** A step whose time is not known. */
  public Step(int line, String call, String outcome, long vmlckKb, long vmpinKb) {
    this(line, call, outcome, vmlckKb, vmpinKb, 0);
  }

  /** A step without scaffolding: every step of the model's. */
  public Step(int line, String call, String outcome, long vmlckKb, long vmpinKb, long nanos) {
    this(line, call, outcome, vmlckKb, vmpinKb, nanos, 0);
  }

  /**
   * A {@code check} line's own step: whether it held, which compares the values of its comparisons (a
   * frame's number, VmPin) where their operations' steps say only {@code ok}.
   */
  public static Step check(int line, String what, boolean held) {
    return new Step(line, "check \"" + what + "\"", Boolean.toString(held), -1, -1);
  }

  /** The outcome of an operation that gave a value: a check's truth, else {@code ok}. */
  public static String outcome(Object value) {
    return value instanceof Boolean b ? b.toString() : "ok";
  }
}
