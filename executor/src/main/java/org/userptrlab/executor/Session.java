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
  private final java.lang.Process process;
  private final Writer in;
  private final BufferedReader out;

  Session(java.lang.Process process) {
    this.process = process;
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    Reply ready = read();
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
    return read();
  }

  private Reply read() {
    try {
      return Reply.parse(out.readLine());
    } catch (IOException e) {
      throw new UncheckedIOException("the executor stopped answering", e);
    }
  }

  @Override
  public void close() {
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
