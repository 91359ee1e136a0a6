package org.userptrlab.executor;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The executor's answer to one command: whether it worked and its value, or the errno of the call
 * that failed, or the signal the process took; and the acting process's VmLck and VmPin from
 * /proc/self/status, in kB (-1 where the reply has none, as for spawn, exec and exit). A failure
 * that is not the operation's own answer says whose it is ({@link #origin()}) and names the
 * executor's call that failed ({@link #call()}, empty otherwise). {@link #nanos()} is what the
 * command took less the executor's scaffolding, what it did only because it has no driver (a memfd,
 * pipes, an io_uring ring made and torn down, a second pass over an object's bytes, the buffer a
 * disk file is written from, the mlock analogue's munlock), which {@link #scaffoldNanos()} says apart.
 * {@link #displaced()} says a success's address was the executor's doing: a mapping it grew moved
 * because the executor's own memory lies after it, where a process without that memory grows in place.
 */
public record Reply(boolean ok, long value, int errno, int signal, long nanos, long scaffoldNanos, long vmlckKb, long vmpinKb,
    Origin origin, String call, boolean displaced) {
  /** Whose answer a failure is. */
  public enum Origin {
    /** The operation's own: what its system call, or the ioctl the analogue stands for, answers. */
    OPERATION,
    /** A call of the strategy's userspace analogue that the driver's ioctl does not make (mlock(2) for mlock, say). */
    ANALOGUE,
    /** The executor ran out of something of this machine's: open files, processes, pipe pages. */
    LIMIT
  }

  private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(true|false|-?\\d+|\"[^\"]*\")");

  /** Parses one line of the executor's output: a flat JSON object of numbers, booleans and plain strings. */
  static Reply parse(String line) {
    if (line == null || !line.startsWith("{") || !line.endsWith("}")) {
      throw new IllegalStateException("the executor answered '" + line + "', not a reply");
    }
    boolean ok = false;
    long value = 0;
    int errno = 0;
    int signal = 0;
    long nanos = 0;
    long scaffold = 0;
    long vmlck = -1;
    long vmpin = -1;
    Origin origin = Origin.OPERATION;
    String call = "";
    boolean displaced = false;
    Matcher m = FIELD.matcher(line);
    while (m.find()) {
      String v = m.group(2);
      switch (m.group(1)) {
        case "ok" -> ok = v.equals("true");
        case "value" -> value = Long.parseLong(v);
        case "errno" -> errno = Integer.parseInt(v);
        case "signal" -> signal = Integer.parseInt(v);
        case "ns" -> nanos = Long.parseLong(v);
        case "scaffold_ns" -> scaffold = Long.parseLong(v);
        case "vmlck" -> vmlck = Long.parseLong(v);
        case "vmpin" -> vmpin = Long.parseLong(v);
        case "limit" -> origin = v.equals("true") ? Origin.LIMIT : origin;
        case "analogue" -> origin = v.equals("true") ? Origin.ANALOGUE : origin;
        case "call" -> call = v.substring(1, v.length() - 1);
        case "displaced" -> displaced = v.equals("true");
        default -> {
        }
      }
    }
    return new Reply(ok, value, errno, signal, nanos, scaffold, vmlck, vmpin, origin, call, displaced);
  }
}
