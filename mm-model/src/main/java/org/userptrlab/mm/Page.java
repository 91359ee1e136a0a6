package org.userptrlab.mm;

/** Page-size arithmetic, as include/linux/mm.h and include/asm-generic/page.h. */
public final class Page {
  public static final int PAGE_SHIFT = 12;
  public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
  public static final long PAGE_MASK = ~((long) PAGE_SIZE - 1);

  private Page() {}

  public static boolean aligned(long addr) {
    return (addr & ~PAGE_MASK) == 0;
  }

  /** PAGE_ALIGN: round up to the next page boundary. */
  public static long align(long len) {
    return (len + PAGE_SIZE - 1) & PAGE_MASK;
  }

  public static long down(long addr) {
    return addr & PAGE_MASK;
  }

  public static long pages(long bytes) {
    return align(bytes) >>> PAGE_SHIFT;
  }

  static long vpn(long addr) {
    return addr >>> PAGE_SHIFT;
  }

  static long addr(long vpn) {
    return vpn << PAGE_SHIFT;
  }

  /** offset_in_page. */
  public static int offset(long addr) {
    return (int) (addr & (PAGE_SIZE - 1));
  }
}
