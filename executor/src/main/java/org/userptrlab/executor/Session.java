package org.userptrlab.executor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One running executor: commands go in a line at a time ({@code ID op args}, ID naming the
 * program's process), each answered by a {@link Reply}. Closing it ends every process it made.
 * Should the executor die under a command, the command throws {@link ExecutorDied}.
 */
public final class Session implements AutoCloseable {
  /** How long a command may take: far more than any of the executor's, so that only a hang reaches it. */
  private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
  /** How often the watchdog looks at the command under way. */
  private static final long WATCH_NANOS = TimeUnit.SECONDS.toNanos(1);
  private final java.lang.Process process;
  private final Writer in;
  private final BufferedReader out;
  /**
   * When the command under way must have been answered ({@link System#nanoTime}), 0 between commands. The reply is
   * read on the sending thread, and a watchdog ends a hung executor: a step's time is taken with no hand-over between
   * threads of the lab's around it, whose work would leave the step's CPU caches colder than a program's own.
   */
  private volatile long deadline;
  private volatile boolean timedOut;
  private volatile boolean closed;
  private final Thread watchdog;
  private final long timeoutNanos;

  Session(java.lang.Process process) {
    this(process, TIMEOUT_NANOS);
  }

  /** A session whose commands may take {@code timeoutNanos} each. */
  Session(java.lang.Process process, long timeoutNanos) {
    this.process = process;
    this.timeoutNanos = timeoutNanos;
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    this.watchdog = new Thread(this::watch, "upl-exec watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    Reply ready;
    try {
      ready = read("start");
    } catch (RuntimeException e) {
      stopWatching();
      throw e;
    }
    if (!ready.ok()) {
      stopWatching();
      throw new IllegalStateException("the executor did not start");
    }
  }

  private void stopWatching() {
    closed = true;
    java.util.concurrent.locks.LockSupport.unpark(watchdog);
  }

  /** The executor's process id. */
  public long pid() {
    return process.pid();
  }

  /** Sends one command and waits for its answer. */
  public Reply send(String command) {
    deadline = System.nanoTime() + timeoutNanos;
    try {
      in.write(command);
      in.write('\n');
      in.flush();
    } catch (IOException e) {
      deadline = 0;
      throw ended(command, new UncheckedIOException("the executor stopped taking commands (at '" + command + "')", e));
    }
    return read(command);
  }

  /** {@link ExecutorDied} if the executor has ended (waiting a little for its end to be seen), else {@code otherwise}. */
  private RuntimeException died(String command, RuntimeException otherwise) {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        return otherwise;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return otherwise;
    }
    // Java reports a process ended by signal N as exit status 128 + N; the executor itself exits 0 or 2.
    int status = process.exitValue();
    return status > 128 ? new ExecutorDied(command, status - 128, status) : new ExecutorDied(command, 0, status);
  }

  private Reply read(String command) {
    deadline = deadline == 0 ? System.nanoTime() + timeoutNanos : deadline;
    String answer;
    try {
      answer = out.readLine();
    } catch (IOException e) {
      throw ended(command, new UncheckedIOException("the executor stopped answering (at '" + command + "')", e));
    } finally {
      deadline = 0;
    }
    if (answer == null) {
      throw ended(command, new IllegalStateException("the executor closed its output at '" + command + "'"));
    }
    return Reply.parse(answer);
  }

  /** Why the command got no answer: the watchdog ended a hang, or the executor died ({@link #died}). */
  private RuntimeException ended(String command, RuntimeException otherwise) {
    if (timedOut) {
      long ms = TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
      return new IllegalStateException("the executor did not answer '" + command + "' within "
          + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms") + ": it was ended", otherwise);
    }
    return died(command, otherwise);
  }

  /** The watchdog: ends the executor, and every process it made, once a command has waited past its deadline. */
  private void watch() {
    while (!closed) {
      long due = deadline;
      long now = System.nanoTime();
      if (due != 0 && now - due >= 0) {
        timedOut = true;
        // Its processes first: one of them left holding the output would keep the read waiting.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(due == 0 ? WATCH_NANOS : Math.min(due - now, WATCH_NANOS));
    }
  }

  @Override
  public void close() {
    stopWatching();
    try {
      in.close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
