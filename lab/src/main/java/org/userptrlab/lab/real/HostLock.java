package org.userptrlab.lab.real;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One program at a time on this machine's kernel: its THP settings and hugetlb pools are the machine's,
 * and a run that sets them must not see another's (a second {@code diff} of this user or another, or
 * another thread). Held for a run, across processes through a file lock, and with it the settings to
 * write back should the JVM be stopped meanwhile (SIGTERM, SIGINT: a shutdown hook; SIGKILL leaves them).
 */
final class HostLock implements AutoCloseable {
  /** The lock file every process that runs programs on this machine's kernel takes. */
  static final Path FILE = Path.of(System.getProperty("java.io.tmpdir"), "userptr-lab-host.lock");
  private static final ReentrantLock IN_JVM = new ReentrantLock();
  /** The settings of the run in progress, written back by the shutdown hook if the JVM ends first. */
  private static final Set<AutoCloseable> PENDING = new LinkedHashSet<>();
  private static boolean hooked;

  private final FileChannel channel;
  private final FileLock lock;

  private HostLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Waits for the machine. Where the lock file cannot be opened (another user's, not writable), only this
   * JVM's runs are kept apart.
   */
  static HostLock acquire() {
    IN_JVM.lock();
    try {
      FileChannel c = FileChannel.open(FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      return new HostLock(c, c.lock());
    } catch (IOException e) {
      return new HostLock(null, null);
    }
  }

  /** Settings written for this run: set back by {@link #restore} or, if the JVM ends first, by the shutdown hook. */
  static synchronized void pending(AutoCloseable settings) {
    if (settings == null) {
      return;
    }
    if (!hooked) {
      Runtime.getRuntime().addShutdownHook(new Thread(HostLock::restoreAll, "userptr-lab host settings"));
      hooked = true;
    }
    PENDING.add(settings);
  }

  /** Writes {@code settings} back now (null: nothing was written); a failure to is unchecked. */
  static void restore(AutoCloseable settings) {
    if (settings == null) {
      return;
    }
    synchronized (HostLock.class) {
      PENDING.remove(settings);
    }
    try {
      settings.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("the host's settings could not be written back: " + e.getMessage(), e);
    }
  }

  private static synchronized void restoreAll() {
    for (AutoCloseable s : PENDING) {
      try {
        s.close();
      } catch (Exception e) {
        System.err.println("userptr-lab: " + e.getMessage());
      }
    }
    PENDING.clear();
  }

  @Override
  public void close() {
    try {
      if (lock != null) {
        lock.release();
        channel.close();
      }
    } catch (IOException e) {
      // The lock goes with the channel, and the channel with the process.
    } finally {
      IN_JVM.unlock();
    }
  }
}
