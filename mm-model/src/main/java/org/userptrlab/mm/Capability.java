package org.userptrlab.mm;

/** The capabilities (include/uapi/linux/capability.h) the memory manager consults. */
public enum Capability {
  /** Lock memory beyond RLIMIT_MEMLOCK (mlock, mlockall, SHM_LOCK, pinned_vm charges). */
  CAP_IPC_LOCK,
  /** Raise a hard resource limit. */
  CAP_SYS_RESOURCE,
  /** The administrator's catch-all ("root"): what a driver checks for a privileged-only ioctl. */
  CAP_SYS_ADMIN
}
