package org.userptrlab.core.time;

/**
 * What work done away from the calling thread (a GPU fault the driver's handler services) waited for
 * to take a lock: until when, and what it waited for ("mmap_lock, which mprotect holds").
 */
public record LockWait(long until, String what) {}
