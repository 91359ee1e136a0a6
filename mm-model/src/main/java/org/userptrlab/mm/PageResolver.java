package org.userptrlab.mm;

/** Finds the frame behind a byte address of some memory (a process's, faulting pages in; or a kernel object's). */
interface PageResolver {
  /** The pfn holding {@code addr}, made writable first when {@code write}. */
  int pfn(long addr, boolean write);
}
