package org.userptrlab.core.support;

import org.userptrlab.core.spi.GpuLease;

import java.util.function.Consumer;

/**
 * A lease over frames the object already holds. Closing it runs the strategy's end-of-job step
 * once, told whether the GPU wrote the pages (so that it can dirty them or drop a job pin).
 */
public final class FixedLease implements GpuLease {
  private final int[] frames;
  private final long offset;
  private final long size;
  private final Consumer<Boolean> onClose;
  private boolean dirty;
  private boolean closed;

  public FixedLease(int[] frames, long offset, long size, Consumer<Boolean> onClose) {
    this.frames = frames;
    this.offset = offset;
    this.size = size;
    this.onClose = onClose;
  }

  @Override
  public int[] frames() {
    return frames;
  }

  @Override
  public long offset() {
    return offset;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void markDirty() {
    dirty = true;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      onClose.accept(dirty);
    }
  }
}
