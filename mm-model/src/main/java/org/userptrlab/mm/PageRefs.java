package org.userptrlab.mm;

import java.util.Arrays;

/**
 * The pages a driver took with get_user_pages or pin_user_pages (its {@code struct page **pages}
 * array), or stole from a process: each entry holds one reference (FOLL_GET) or one pin
 * (FOLL_PIN) until released. The machine knows every live holder, so the invariant checker can
 * tell a leaked reference from a held one.
 */
public final class PageRefs {
  final Gup owner;
  final int[] pfns;
  final boolean pin;
  final boolean longterm;
  /** The mm whose pinned_vm (or locked_vm) these pages are charged to, if any. */
  Mm chargedTo;
  /** How many pages the charge is: one per page, or (io_uring) a large folio's whole size. */
  long chargedPages;
  boolean chargedLocked;
  /** Taken by get_user_pages' walk of an address space, not a kernel allocation's or a file's own pages. */
  boolean walked;
  /** For a CMA allocation: its offset in the CMA region; -1 otherwise. */
  int cmaOffset = -1;
  private boolean released;

  PageRefs(Gup owner, int[] pfns, boolean pin, boolean longterm) {
    this.owner = owner;
    this.pfns = pfns;
    this.pin = pin;
    this.longterm = longterm;
  }

  public int size() {
    return pfns.length;
  }

  /** The frame of page {@code i}. */
  public int pfn(int i) {
    return pfns[i];
  }

  public int[] pfns() {
    return Arrays.copyOf(pfns, pfns.length);
  }

  /** Whether these are FOLL_PIN pins rather than FOLL_GET references. */
  public boolean pinned() {
    return pin;
  }

  public boolean longterm() {
    return longterm;
  }

  public boolean released() {
    return released;
  }

  /** put_page on each (FOLL_GET) or unpin_user_pages (FOLL_PIN); a second release is a bug and throws. */
  public void release() {
    release(false);
  }

  /** unpin_user_pages_dirty_lock / set_page_dirty + put_page: the device wrote the pages. */
  public void releaseDirty() {
    release(true);
  }

  private void release(boolean dirty) {
    if (released) {
      throw new IllegalStateException("pages released twice: a double put_page/unpin_user_page");
    }
    released = true;
    owner.release(this, dirty);
  }
}
