package org.userptrlab.mm;

/** The error numbers the model returns, with the values and meanings of include/uapi/asm-generic/errno-base.h. */
public enum Errno {
  EPERM(1, "Operation not permitted"),
  ENOENT(2, "No such file or directory"),
  ESRCH(3, "No such process"),
  EBADF(9, "Bad file number"),
  EAGAIN(11, "Try again"),
  ENOMEM(12, "Out of memory"),
  EACCES(13, "Permission denied"),
  EFAULT(14, "Bad address"),
  EBUSY(16, "Device or resource busy"),
  EEXIST(17, "File exists"),
  ENODEV(19, "No such device"),
  EINVAL(22, "Invalid argument"),
  ENOSPC(28, "No space left on device"),
  ENOSYS(38, "Function not implemented"),
  EOPNOTSUPP(95, "Operation not supported on transport endpoint"),
  ECANCELED(125, "Operation Canceled");

  private final int value;
  private final String description;

  Errno(int value, String description) {
    this.value = value;
    this.description = description;
  }

  /** The positive errno value; the kernel returns its negation. */
  public int value() {
    return value;
  }

  public String description() {
    return description;
  }
}
