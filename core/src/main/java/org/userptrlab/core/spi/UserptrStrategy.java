package org.userptrlab.core.spi;

/**
 * A way to turn a range of a program's memory into the backing of a GPU buffer object. The
 * request reaching {@link #importRange} has been validated by {@link org.userptrlab.core.driver.UserptrImporter}: it is
 * non-empty, inside user space, fully mapped, readable (and writable unless read-only or {@link #onlyReadsRange()}), within
 * the driver's limits, and aligned if {@link #requiresPageAlignment()}.
 */
public interface UserptrStrategy {
  /** The name it is chosen by. */
  String name();

  Contract contract();

  /**
   * On a kernel without the interface the strategy is written against, which older interface its
   * run stands for there (one sentence); empty where the kernel has what the strategy uses.
   */
  default java.util.Optional<String> standsFor() {
    return java.util.Optional.empty();
  }

  /** Whether the range must start and end on page boundaries. */
  default boolean requiresPageAlignment() {
    return false;
  }

  /**
   * Whether the import only reads the program's range: it copies the bytes with copy_from_user, as
   * GEM create and pwrite do, so a range the program cannot write imports without READ_ONLY. A
   * strategy that hands the program's own pages to the GPU needs them writable unless the import is
   * read-only (get_user_pages with FOLL_WRITE on a VMA without VM_WRITE is EFAULT).
   */
  default boolean onlyReadsRange() {
    return false;
  }

  /**
   * Whether the object holds the program's pages while it lives (a reference, a pin or the pages
   * themselves). A mirror under an MMU interval notifier holds none: reclaim may swap the range out,
   * which only invalidates the mirror, and the next GPU job faults the pages back (hmm_range_fault).
   */
  default boolean holdsPages() {
    return true;
  }

  /**
   * Builds what the object keeps. A refusal throws {@link org.userptrlab.mm.MmException} with the
   * kernel's errno, having given back whatever it took.
   */
  UserptrBacking importRange(UserptrRequest request);
}
