package org.userptrlab.lab.lang;

/** What a value in a program is, and what an operation's argument must be. */
public enum Kind {
  /** A process, made by {@code app}, {@code spawn} or {@code fork}. */
  PROCESS,
  /** A user address, from malloc, mmap and the like; {@code buf+4K} offsets it. */
  ADDR,
  /** A GEM handle, from userptr or create. */
  HANDLE,
  /** A file on disk, from {@code file}. */
  FILE,
  /** The outcome of a condition or of a GPU write. */
  BOOL,
  /** A byte count or a number: {@code 4096}, {@code 4K}, {@code 1M}, or a name set to one. */
  SIZE,
  /** A word from a fixed set: a protection, a flag list ({@code PROT_READ|PROT_WRITE}), a capability, {@code on}/{@code off}. */
  WORD,
  /** A name for a new process or file. */
  NAME,
  /** Pages another kernel user holds: a pin (gup_test, io_uring) or a pipe filled by vmsplice. */
  PIN,
  /**
   * What an operation under {@code try} came to: {@code OK}, the errno it failed with ({@code EINVAL}) or
   * the signal it took ({@code SIGBUS}).
   */
  RESULT,
  /** A thread of a process, from {@code P.thread}: lines written {@code T: LINE} run on it. */
  THREAD,
  /** A GPU job left running, from {@code gpu.submit}. */
  JOB,
  /** A time in nanoseconds: {@code 5ms}, {@code 200us}, {@code 1s}, or a name set to one ({@code t = now}). */
  DURATION
}
