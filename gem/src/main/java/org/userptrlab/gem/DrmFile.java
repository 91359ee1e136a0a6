package org.userptrlab.gem;

import java.util.ArrayList;
import java.util.Set;
import java.util.TreeMap;
import org.userptrlab.core.support.ShmemObject;
import org.userptrlab.core.time.DmaResv;
import org.userptrlab.core.spi.UserptrFlag;
import org.userptrlab.core.spi.UserptrRequest;
import org.userptrlab.mm.Errno;
import org.userptrlab.mm.MmException;
import org.userptrlab.mm.Page;
import org.userptrlab.mm.PageRefs;
import org.userptrlab.mm.Process;

/**
 * One open file of the device (a drm_file): its handles and the GEM ioctls. A process that forks
 * shares the file, and its handles, with the child; an ioctl acts on the memory of the process that
 * calls it (current->mm in every driver's userptr and pwrite ioctls), whichever process opened the
 * file. A refused ioctl throws {@link MmException} with the errno DRM would return and changes nothing.
 */
public final class DrmFile implements AutoCloseable {
  final DrmDevice dev;
  private final Process process;
  private final TreeMap<Integer, GemObject> handles = new TreeMap<>();
  private int nextHandle = 1;
  private boolean closed;

  DrmFile(DrmDevice dev, Process process) {
    this.dev = dev;
    this.process = process;
  }

  /** The process that opened the file. */
  public Process process() {
    return process;
  }

  /** An ioctl on the file: refused once it is closed, counted (a system call round trip and the DRM dispatch) otherwise. */
  void ioctl() {
    if (closed) {
      // fdget of a closed descriptor fails before any ioctl: EBADF.
      throw new MmException(Errno.EBADF, "the DRM file is closed; an ioctl needs a descriptor of an open one");
    }
    dev.stats.ioctl();
  }

  /** The userptr ioctl, called by the process that opened the file. */
  public int userptr(long addr, long size, Set<UserptrFlag> flags) {
    return userptr(process, addr, size, flags);
  }

  /**
   * The userptr ioctl called by {@code caller} (the opener, or a child that shares the file after
   * fork): imports [addr, addr + size) of the caller's memory with the bound strategy; the new handle.
   */
  public int userptr(Process caller, long addr, long size, Set<UserptrFlag> flags) {
    ioctl();
    DmaResv resv = new DmaResv();
    return add(GemObject.Kind.USERPTR, dev.importer.importRange(new UserptrRequest(caller, addr, size, flags, resv)), resv);
  }

  /** DRM_IOCTL_GEM_CREATE (a driver's create ioctl for shmem objects): a zeroed object of {@code size} bytes. */
  public int create(long size) {
    ioctl();
    if (size <= 0) {
      throw new MmException(Errno.EINVAL, "GEM create: size " + size + " must be positive");
    }
    if (Page.align(size) <= 0) {
      throw new MmException(Errno.EINVAL, "GEM create: size " + size + " is past the largest object a page-granular file can hold");
    }
    return add(GemObject.Kind.SHMEM, new ShmemObject(dev.machine.kernel(), "gem", Page.align(size), 0), new DmaResv());
  }

  /** The pwrite ioctl, called by the process that opened the file. */
  public void pwrite(int handle, long offset, long uaddr, long size) {
    pwrite(process, handle, offset, uaddr, size);
  }

  /** The pwrite ioctl called by {@code caller}: {@code size} bytes from the caller's {@code uaddr} into the object at {@code offset}. */
  public void pwrite(Process caller, int handle, long offset, long uaddr, long size) {
    ioctl();
    ShmemObject obj = shmem(handle, offset, size, "pwrite");
    dev.machine.kernel().checkUserRange(caller, uaddr, size, false);
    PageRefs pages = obj.pages();
    try {
      dev.machine.kernel().copyFromUser(caller, uaddr, pages.pfns(), obj.offset() + offset, size);
    } finally {
      pages.releaseDirty();
    }
  }

  /** The pread ioctl, called by the process that opened the file. */
  public void pread(int handle, long offset, long uaddr, long size) {
    pread(process, handle, offset, uaddr, size);
  }

  /** The pread ioctl called by {@code caller}: {@code size} bytes of the object at {@code offset} to the caller's {@code uaddr}. */
  public void pread(Process caller, int handle, long offset, long uaddr, long size) {
    ioctl();
    ShmemObject obj = shmem(handle, offset, size, "pread");
    dev.machine.kernel().checkUserRange(caller, uaddr, size, true);
    PageRefs pages = obj.pages();
    try {
      dev.machine.kernel().copyToUser(caller, uaddr, pages.pfns(), obj.offset() + offset, size);
    } finally {
      pages.release();
    }
  }

  private ShmemObject shmem(int handle, long offset, long size, String call) {
    GemObject o = lookup(handle);
    if (!(o.backing instanceof ShmemObject s) || o.kind() != GemObject.Kind.SHMEM) {
      throw new MmException(Errno.EINVAL, call + ": handle " + handle + " is not a shmem object");
    }
    if (offset < 0 || size < 0 || offset + size > s.size() || offset + size < offset) {
      throw new MmException(Errno.EINVAL, String.format("%s: [%d, +%d) is outside the %d-byte object", call, offset, size, s.size()));
    }
    return s;
  }

  /**
   * DRM_IOCTL_GEM_CLOSE: the handle goes, and the strategy gives everything back. A handle the file
   * does not have is EINVAL, not the ENOENT of a lookup: drm_gem_handle_delete finds nothing in the
   * file's object_idr (in 3.4 as in 6.12).
   */
  public void gemClose(int handle) {
    ioctl();
    GemObject o = handles.remove(handle);
    if (o == null) {
      throw new MmException(Errno.EINVAL, "GEM_CLOSE: no handle " + handle + " in this file");
    }
    o.close();
  }

  /** The object behind a handle; ENOENT if there is none (as drm_gem_object_lookup). */
  public GemObject lookup(int handle) {
    GemObject o = handles.get(handle);
    if (o == null) {
      throw new MmException(Errno.ENOENT, "no GEM object with handle " + handle + " in this file");
    }
    return o;
  }

  public int objects() {
    return handles.size();
  }

  /** drm_release: closing the file releases every object it still has. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    for (GemObject o : new ArrayList<>(handles.values())) {
      o.close();
    }
    handles.clear();
    closed = true;
  }

  private int add(GemObject.Kind kind, org.userptrlab.core.spi.UserptrBacking backing, DmaResv resv) {
    int h = nextHandle++;
    handles.put(h, new GemObject(h, kind, backing, resv));
    return h;
  }
}
