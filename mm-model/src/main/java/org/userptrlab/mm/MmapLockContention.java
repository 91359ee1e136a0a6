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
}
