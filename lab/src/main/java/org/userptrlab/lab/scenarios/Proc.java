package org.userptrlab.lab.scenarios;

import java.util.Optional;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.Page;
import org.userptrlab.mm.PageInfo;
import org.userptrlab.mm.Process;

/**
 * What a program can learn of its own memory without changing it: its loads, and what
 * /proc/PID/pagemap and /proc/kpagecount show of the frames behind its addresses.
 */
final class Proc {
  private Proc() {}

  /** Whether every byte of the range reads as zero; a load that faults ends the check with the signal. */
  static boolean zero(Process p, long addr, long len) {
    for (long at = addr; at < addr + len; ) {
      int chunk = (int) Math.min(addr + len - at, Page.PAGE_SIZE - (at & (Page.PAGE_SIZE - 1)));
      for (byte b : p.read(at, chunk)) {
        if (b != 0) {
          return false;
        }
      }
      at += chunk;
    }
    return true;
  }

  /** Whether every page of the range is swapped out: pagemap's PM_SWAP bit (fs/proc/task_mmu.c: pte_to_pagemap_entry). */
  static boolean swapped(Process p, long addr, long len) {
    long pages = ((addr + len + Page.PAGE_SIZE - 1) >>> Page.PAGE_SHIFT) - (addr >>> Page.PAGE_SHIFT);
    return len > 0 && ProcessReports.swappedPages(p, addr, len) == pages;
  }

  /**
   * Whether the page at the address is in memory or swapped out: pagemap's PM_PRESENT or PM_SWAP bit, which
   * vm_util.c's pagemap_is_populated tests.
   */
  static boolean populated(Process p, long addr) {
    return p.pagemap(addr) >= 0 || p.swappedOut(addr);
  }

  /** The frame mapped at the address, as pagemap and kpagecount see it; empty where none is. */
  static Optional<PageInfo> page(Machine machine, Process p, long addr) {
    long pfn = p.pagemap(addr);
    return pfn < 0 ? Optional.empty() : Optional.of(machine.page((int) pfn));
  }
}
