package org.userptrlab.core.cost;

/** What a run's time is made of, as the {@link CostModel} prices it. */
public enum CostItem {
  MEMCPY("memcpy"),
  COW_COPIES("cow copies"),
  PAGE_CLEARING("page clearing"),
  FAULTS("faults"),
  PAGE_ALLOC_FREE("page alloc/free"),
  GUP("gup"),
  PTE_UPDATES("pte updates"),
  TLB_FLUSHES("tlb flushes"),
  TLB_REFILLS("tlb refills"),
  SWAP_IO("swap i/o"),
  NOTIFIERS("notifiers"),
  IOCTLS("ioctls"),
  PROGRAM_BYTES("program's bytes"),
  DEVICE_MIGRATION("device migration"),
  SYSCALLS("system calls"),
  VMA_CHANGES("vma changes"),
  PAGE_CACHE("page cache"),
  COMPACTION("compaction"),
  RECLAIM("reclaim");

  private final String label;

  CostItem(String label) {
    this.label = label;
  }

  /** The item's name for people. */
  public String label() {
    return label;
  }
}
