package org.userptrlab.core.spi;

/** A fact a strategy reports about one import, for the run's hazard list. */
public record ImportNote(Kind kind, String detail) {
  /** What kind of fact. */
  public enum Kind {
    /** The strategy could not use the pages and copied the bytes instead. */
    FELL_BACK_TO_COPY,
    /** Pages were taken from the program (how many, and the edge bytes copied). */
    STOLE_PAGES,
    /** Pages were locked without checking RLIMIT_MEMLOCK. */
    RLIMIT_NOT_CHECKED,
    /** Whole VMAs were locked for a range smaller than them. */
    WHOLE_VMA_LOCKED,
    /** The program's PTEs were write-protected so that its next write copies. */
    WRITE_PROTECTED,
    /** A mirror of the pages was invalidated by the MMU notifier. */
    MIRROR_INVALIDATED,
    /** A CPU touch of one page moved a whole range back from device memory. */
    CHUNK_PULLED_BACK,
    /** The same range went into device memory again and again, pulled back by the CPU in between. */
    MIGRATION_PING_PONG,
    /** A GPU read asked for write and broke the copy-on-write sharing of pages with another process. */
    COW_BROKEN_BY_GPU_READ,
    /** Device memory stayed in use after the object was released. */
    DEVICE_MEMORY_HELD
  }
}
