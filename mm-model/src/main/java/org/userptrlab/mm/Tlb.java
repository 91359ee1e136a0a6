package org.userptrlab.mm;

/**
 * TLB flushes and shootdowns, as arch/x86/mm/tlb.c: flush_tlb_mm_range flushes the local TLB if
 * the mm is live on the current CPU (page by page up to tlb_single_page_flush_ceiling, else all)
 * and sends one IPI to every other CPU in mm_cpumask.
 */
final class Tlb {
  /** arch/x86/mm/tlb.c: tlb_single_page_flush_ceiling. */
  static final int SINGLE_PAGE_FLUSH_CEILING = 33;

  private final VmStat stat;
  private final java.util.function.IntSupplier currentCpu;

  /** {@code currentCpu}: the CPU the system call or fault runs on, -1 when none (a kernel thread's work). */
  Tlb(VmStat stat, java.util.function.IntSupplier currentCpu) {
    this.stat = stat;
    this.currentCpu = currentCpu;
  }

  /** flush_tlb_mm_range for [startVpn, endVpn) of {@code mm}, from the CPU that is running now. */
  void flush(Mm mm, long startVpn, long endVpn) {
    long pages = endVpn - startVpn;
    int cpu = currentCpu.getAsInt();
    stat.count(VmEvent.TLB_FLUSHED_PAGES, pages);
    if (cpu >= 0 && (mm.cpumask & (1L << cpu)) != 0) {
      if (pages > SINGLE_PAGE_FLUSH_CEILING) {
        stat.count(VmEvent.NR_TLB_LOCAL_FLUSH_ALL);
      } else {
        stat.count(VmEvent.NR_TLB_LOCAL_FLUSH_ONE, pages);
      }
    }
    long others = cpu >= 0 ? mm.cpumask & ~(1L << cpu) : mm.cpumask;
    int ipis = Long.bitCount(others);
    if (ipis > 0) {
      stat.count(VmEvent.NR_TLB_REMOTE_FLUSH);
      stat.count(VmEvent.NR_TLB_REMOTE_FLUSH_RECEIVED, ipis);
    }
  }
}
