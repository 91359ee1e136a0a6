package org.userptrlab.mm;

/**
 * Where the model's calls take an address space's mmap_lock (mmap_write_lock, mmap_read_lock,
 * mmap_write_downgrade), for a layer that gives calls time: there, a call that takes it while
 * another thread's call holds it in a conflicting mode waits until that call lets it go. The model
 * itself runs one call at a time and never waits.
 */
public interface MmapLockContention {
  /** Nobody keeps time: taking the lock costs nothing. */
  MmapLockContention NONE = new MmapLockContention() {
    @Override
    public void lock(int mm, boolean write, String call) {}

    @Override
    public void downgrade(int mm) {}
  };

  /** The call in progress takes the mmap_lock of address space {@code mm}, for write or read, until it returns. */
  void lock(int mm, boolean write, String call);

  /** mmap_write_downgrade: the call in progress holds {@code mm}'s mmap_lock for read from now on. */
  void downgrade(int mm);

  /**
   * vma_start_write: the call in progress, holding {@code mm}'s mmap_lock for write, write-locks
   * the VMAs spanning [start, end) until it lets the lock go (or downgrades it). A write hold that
   * names none locks every VMA, as fork's dup_mmap and exit_mmap do.
   */
  default void vmaStartWrite(int mm, long start, long end) {}

  /**
   * A page fault of the call in progress at {@code addr}: under that VMA's lock ({@code vmaLock},
   * lock_vma_under_rcu) it waits for a writer that write-locked the VMA, under mmap_read_lock for
   * any writer. It holds no one up: each fault holds the lock for one page's time.
   */
  default void fault(int mm, long addr, boolean vmaLock) {}
}
