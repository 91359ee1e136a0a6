package org.userptrlab.mm;

/**
 * struct migrate_vma: one migration of [start, end) of a process between RAM and a driver's
 * device-private memory, in the kernel's three steps. {@link Kernel#migrateVmaSetup} fills
 * {@link #src} (migrate_vma_collect's choice); the driver allocates and copies what it will take
 * and fills {@link #dst}; {@link Kernel#migrateVmaPages} and {@link Kernel#migrateVmaFinalize}
 * move the pages and put back what did not move. Entries are migrate_pfn encoded: the pfn above
 * {@link #MIGRATE_PFN_SHIFT}, flags below.
 */
public final class MigrateVma {
  /** MIGRATE_VMA_SELECT_SYSTEM: collect pages of RAM (and holes), to move into device memory. */
  public static final int SELECT_SYSTEM = 1;
  /** MIGRATE_VMA_SELECT_DEVICE_PRIVATE: collect the owner's device-private pages, to move back to RAM. */
  public static final int SELECT_DEVICE_PRIVATE = 2;

  public static final long MIGRATE_PFN_VALID = 1;
  public static final long MIGRATE_PFN_MIGRATE = 1 << 1;
  public static final long MIGRATE_PFN_WRITE = 1 << 3;
  public static final int MIGRATE_PFN_SHIFT = 6;

  final Process process;
  final long start;
  final long end;
  final int flags;
  final Object pgmapOwner;
  final int faultPage;
  /** What migrate_vma_setup collected, one entry a page. */
  public final long[] src;
  /** What the driver gives each collected page to move to; 0 where it takes none. */
  public final long[] dst;
  int cpages;
  Step step = Step.NEW;

  enum Step {
    NEW, SET_UP, PAGES, FINALIZED
  }

  /**
   * A migration of [start, end) of {@code process}, the pages {@code flags} selects, device-private
   * ones only if their pagemap's owner is {@code pgmapOwner}; {@code faultPage} is the page whose CPU
   * fault this migration serves (migrate_to_ram), or -1.
   */
  public MigrateVma(Process process, long start, long end, int flags, Object pgmapOwner, int faultPage) {
    this.process = process;
    this.start = start & -Page.PAGE_SIZE;
    this.end = end & -Page.PAGE_SIZE;
    this.flags = flags;
    this.pgmapOwner = pgmapOwner;
    this.faultPage = faultPage;
    int n = (int) Math.max(0, (this.end - this.start) >>> Page.PAGE_SHIFT);
    this.src = new long[n];
    this.dst = new long[n];
  }

  /** migrate_pfn: the entry naming page {@code pfn}. */
  public static long migratePfn(int pfn) {
    return ((long) pfn << MIGRATE_PFN_SHIFT) | MIGRATE_PFN_VALID;
  }

  /** migrate_pfn_to_page: the page an entry names, or -1 for none (a hole). */
  public static int page(long mpfn) {
    return (mpfn & MIGRATE_PFN_VALID) == 0 ? -1 : (int) (mpfn >>> MIGRATE_PFN_SHIFT);
  }

  /** Whether the page at index {@code i} is to move (MIGRATE_PFN_MIGRATE): with a page or as a hole to fill. */
  public boolean migrating(int i) {
    return (src[i] & MIGRATE_PFN_MIGRATE) != 0;
  }

  /** cpages: how many pages setup collected to move. */
  public int cpages() {
    return cpages;
  }

  public int npages() {
    return src.length;
  }

  public long start() {
    return start;
  }

  public long end() {
    return end;
  }
}
