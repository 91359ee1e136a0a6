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
  private static final long TIMEOUT_SECONDS = 30;
  private final java.lang.Process process;
  private final Writer in;
  private final BufferedReader out;
  private final java.util.concurrent.ExecutorService reader = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "upl-exec reader");
    t.setDaemon(true);
    return t;
  });

  Session(java.lang.Process process) {
    this.process = process;
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    Reply ready = read("start");
    if (!ready.ok()) {
      throw new IllegalStateException("the executor did not start");
    }
  }

  /** The executor's process id. */
  public long pid() {
    return process.pid();
  }

  /** Sends one command and waits for its answer. */
  public Reply send(String command) {
    try {
      in.write(command);
      in.write('\n');
      in.flush();
    } catch (IOException e) {
      throw died(command, new UncheckedIOException("the executor stopped taking commands (at '" + command + "')", e));
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
    java.util.concurrent.Future<String> line = reader.submit(out::readLine);
    try {
      String answer = line.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (answer == null) {
        throw died(command, new IllegalStateException("the executor closed its output at '" + command + "'"));
      }
      return Reply.parse(answer);
    } catch (java.util.concurrent.TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException("the executor did not answer '" + command + "' within " + TIMEOUT_SECONDS + " s", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw died(command, new UncheckedIOException("the executor stopped answering (at '" + command + "')",
          e.getCause() instanceof IOException io ? io : new IOException(e.getCause())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the executor", e);
    }
  }

  @Override
  public void close() {
    reader.shutdownNow();
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
