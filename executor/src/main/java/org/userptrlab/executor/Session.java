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

  /** Sends one command and waits for its answer. */
  public Reply send(String command) {
    try {
      in.write(command);
      in.write('\n');
      in.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("the executor stopped taking commands (at '" + command + "')", e);
    }
    return read(command);
  }

  private Reply read(String command) {
    java.util.concurrent.Future<String> line = reader.submit(out::readLine);
    try {
      return Reply.parse(line.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    } catch (java.util.concurrent.TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException("the executor did not answer '" + command + "' within " + TIMEOUT_SECONDS + " s", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new UncheckedIOException("the executor stopped answering (at '" + command + "')",
          e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
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
