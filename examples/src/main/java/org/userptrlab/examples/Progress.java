package org.userptrlab.examples;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A progress bar on standard error while a long command works, for a person at a terminal; nothing
 * at all when standard error is piped or redirected, so that logs and scripts see only the command's
 * own lines. The launcher says which ({@code -Duserptr-lab.stderr=terminal} or {@code pipe}), since
 * Java sees only standard output's; without it, {@code System.console()} decides. A command that does
 * not know how much work is left shows the time it has taken so far.
 *
 * <p>Use: {@code try (Progress p = Progress.start("diff", programs)) { ... p.step(1); ... }}.
 */
final class Progress implements AutoCloseable {
  /** A bar that draws nothing. */
  static final Progress NONE = new Progress(null);

  private ProgressBar bar;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  /** A bar named {@code task} of {@code max} steps (0: unknown) on a terminal; otherwise one that draws nothing. */
  static Progress start(String task, long max) {
    return stderrIsTerminal(System.getProperty("userptr-lab.stderr")) ? start(task, max, new ConsoleProgressBarConsumer(System.err))
        : NONE;
  }

  /** Whether standard error is a terminal, as the launcher said ({@code terminal}, {@code pipe}); else as the console says. */
  static boolean stderrIsTerminal(String said) {
    return said == null ? System.console() != null : said.equals("terminal");
  }

  /** A bar drawn on {@code to}, {@code width} characters wide, whether or not it is a terminal. */
  static Progress start(String task, long max, PrintStream to, int width) {
    return start(task, max, new ConsoleProgressBarConsumer(to, width));
  }

  private static Progress start(String task, long max, ConsoleProgressBarConsumer consumer) {
    return new Progress(new ProgressBarBuilder().setTaskName(task).setInitialMax(max > 0 ? max : -1).setConsumer(consumer)
        .setUpdateIntervalMillis(250).continuousUpdate().build());
  }

  /** Whether this draws anything. */
  boolean drawn() {
    return bar != null;
  }

  /** {@code n} more steps done. */
  void step(long n) {
    if (bar != null) {
      bar.stepBy(n);
    }
  }

  /** The number of steps, once it is known. */
  void max(long n) {
    if (bar != null && n > 0) {
      bar.maxHint(n);
    }
  }

  /** Draws the bar a last time and ends its line, before the command writes its own lines; again: nothing. */
  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
