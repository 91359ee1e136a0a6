package org.userptrlab.mm;

/**
 * TLB flushes and shootdowns, as arch/x86/mm/tlb.c: flush_tlb_mm_range flushes the local TLB if
 * the mm is the one loaded on the current CPU (page by page up to tlb_single_page_flush_ceiling,
 * else all) and sends one IPI to every other CPU in mm_cpumask that has it loaded and is not lazy
 * (should_flush_tlb). A process's main thread runs only in its own calls: between them it waits,
 * its CPU idle in lazy TLB mode, so a flush of its mm from a kernel worker or another process
 * interrupts only the CPUs of its other threads ({@link Process#runOn}).
 */
final class Tlb {
  /** arch/x86/mm/tlb.c: tlb_single_page_flush_ceiling. */
  static final int SINGLE_PAGE_FLUSH_CEILING = 33;

  private final VmStat stat;
  private final java.util.function.IntSupplier currentCpu;
  private final java.util.function.Supplier<Mm> currentMm;

  /**
   * {@code currentCpu}: the CPU the system call or fault runs on, -1 when none (a kernel thread's
   * work); {@code currentMm}: the address space of the process making it, null when none.
   */
  Tlb(VmStat stat, java.util.function.IntSupplier currentCpu, java.util.function.Supplier<Mm> currentMm) {
    this.stat = stat;
    this.currentCpu = currentCpu;
    this.currentMm = currentMm;
  }

  /** flush_tlb_mm_range for [startVpn, endVpn) of {@code mm}, from the CPU that is running now. */
  void flush(Mm mm, long startVpn, long endVpn) {
    long pages = endVpn - startVpn;
    int cpu = currentCpu.getAsInt();
    stat.count(VmEvent.TLB_FLUSHED_PAGES, pages);
    if (cpu >= 0 && currentMm.get() == mm) {
      if (pages > SINGLE_PAGE_FLUSH_CEILING) {
        stat.count(VmEvent.NR_TLB_LOCAL_FLUSH_ALL);
      } else {
        stat.count(VmEvent.NR_TLB_LOCAL_FLUSH_ONE, pages);
      }
    }
    // The main thread's CPU is this one, or lazy: never an IPI's target.
    long loaded = mm.mainCpu >= 0 ? mm.cpumask & ~(1L << mm.mainCpu) : mm.cpumask;
    long others = cpu >= 0 ? loaded & ~(1L << cpu) : loaded;
    int ipis = Long.bitCount(others);
    if (ipis > 0) {
      stat.count(VmEvent.NR_TLB_REMOTE_FLUSH);
      stat.count(VmEvent.NR_TLB_REMOTE_FLUSH_RECEIVED, ipis);
    }
  }
}
