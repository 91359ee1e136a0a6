package org.userptrlab.mm;

import java.util.Objects;

/**
 * What a machine is built from: memory sizes, CPUs, the kernel and the seed. Immutable; build
 * one with {@link #builder()}. Equal configurations build machines that behave identically.
 */
public final class MachineConfig {
  private final long ramBytes;
  private final long cmaBytes;
  private final long movableBytes;
  private final long swapBytes;
  private final long devicePrivateBytes;
  private final int cpus;
  private final KernelConfig kernel;
  private final long seed;
  private final boolean aslr;
  private final long memlockBytes;
  private final long recentlyFreedBytes;
  private final Thp thp;
  private final boolean thpUseZeroPage;
  /** transparent_hugepage/defrag as set, or null for the kernel's default. */
  private final ThpDefrag thpDefrag;
  /** {@link #thpForOrder} of each order up to the PMD's, resolved once: a fault asks it for every order it tries. */
  private final Thp[] thpByOrder = new Thp[Thp.PMD_ORDER + 1];
  /** The orders below the PMD's that are not {@link Thp#NEVER}, a bit each: a small-page fault asks it first. */
  private final int mthpOrders;
  /** hugepages-&lt;size&gt;kB/enabled set explicitly, by folio order; the PMD size inherits {@link #thp} unless set, the others are never. */
  private final java.util.SortedMap<Integer, Thp> thpSizes;
  /** hugepages-&lt;size&gt;kB/nr_hugepages: the hugetlb pool of each huge page order set, none unless set. */
  private final java.util.SortedMap<Integer, Integer> hugetlbPages;

  /** /sys/kernel/mm/transparent_hugepage/enabled: where anonymous memory gets transparent huge pages. */
  public enum Thp {
    /** Every suitable private anonymous VMA, unless MADV_NOHUGEPAGE. */
    ALWAYS,
    /** Only VMAs given MADV_HUGEPAGE: the setting of most distributions' kernels. */
    MADVISE,
    /** None. */
    NEVER,
    /** For a size only (hugepages-&lt;size&gt;kB/enabled): whatever the top-level setting says; the PMD size's default. */
    INHERIT;

    /** The order of a PMD-sized THP on x86-64 (2 MiB). */
    public static final int PMD_ORDER = 9;

    /** As sysfs spells it: {@code always}, {@code madvise}, {@code never}, {@code inherit}. */
    public String sysfsName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * /sys/kernel/mm/transparent_hugepage/defrag: how hard a THP fault tries when no huge page is free
   * (vma_thp_gfp_mask). "Direct" is direct compaction and reclaim in the fault; "kcompactd" is
   * waking the compaction daemon and falling back to small pages at once.
   */
  public enum ThpDefrag {
    /** Direct for every THP allocation (__GFP_NORETRY outside MADV_HUGEPAGE): the default before 4.6. */
    ALWAYS("always"),
    /** Wake kcompactd and fall back at once (4.6). */
    DEFER("defer"),
    /** Direct for MADV_HUGEPAGE regions, kcompactd for the others (4.11). */
    DEFER_MADVISE("defer+madvise"),
    /** Direct for MADV_HUGEPAGE regions, nothing for the others: the default from 4.6. */
    MADVISE("madvise"),
    /** Never stall: a THP only if one is free. */
    NEVER("never");

    private final String sysfsName;

    ThpDefrag(String sysfsName) {
      this.sysfsName = sysfsName;
    }

    /** As sysfs spells it. */
    public String sysfsName() {
      return sysfsName;
    }
  }

  /** The most RAM and the most swap a machine may have: 16 M frames, about 400 MiB of heap. */
  public static final long MAX_BYTES = 64L << 30;
  /** The most device-private memory a machine may have: a 16 GiB GPU, 4 M more struct pages. */
  public static final long MAX_DEVICE_PRIVATE_BYTES = 16L << 30;

  private MachineConfig(Builder b) {
    this.ramBytes = b.ramBytes;
    this.cmaBytes = b.cmaBytes;
    this.movableBytes = b.movableBytes;
    this.swapBytes = b.swapBytes;
    this.devicePrivateBytes = b.devicePrivateBytes;
    this.cpus = b.cpus;
    this.kernel = b.kernel;
    this.seed = b.seed;
    this.aslr = b.aslr;
    this.memlockBytes = b.memlockBytes;
    this.recentlyFreedBytes = b.recentlyFreedBytes;
    this.thp = b.thp;
    this.thpUseZeroPage = b.thpUseZeroPage;
    this.thpDefrag = b.thpDefrag;
    this.thpSizes = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(b.thpSizes));
    this.hugetlbPages = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(b.hugetlbPages));
    int orders = 0;
    for (int order = 0; order <= Thp.PMD_ORDER; order++) {
      thpByOrder[order] = resolveThp(order);
      if (order < Thp.PMD_ORDER && thpByOrder[order] != Thp.NEVER) {
        orders |= 1 << order;
      }
    }
    this.mthpOrders = orders;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().ram(ramBytes).cma(cmaBytes).movable(movableBytes).swap(swapBytes).devicePrivate(devicePrivateBytes)
        .cpus(cpus).kernel(kernel).seed(seed).aslr(aslr).memlock(memlockBytes).recentlyFreed(recentlyFreedBytes).thp(thp).thpUseZeroPage(thpUseZeroPage).thpSizes(thpSizes)
        .hugetlbPages(hugetlbPages).thpDefrag(thpDefrag);
  }

  public long ramBytes() {
    return ramBytes;
  }

  /** Size of the CMA region, carved from the top of ZONE_NORMAL (MIGRATE_CMA pageblocks). */
  public long cmaBytes() {
    return cmaBytes;
  }

  /**
   * The device memory a GPU's driver may register as MEMORY_DEVICE_PRIVATE (its VRAM, memremap_pages):
   * pages with a struct page and no CPU address; 0 for a machine whose GPU has none (an integrated one).
   */
  public long devicePrivateBytes() {
    return devicePrivateBytes;
  }

  /** Size of ZONE_MOVABLE (kernelcore=/movablecore=), at the top of physical memory. */
  public long movableBytes() {
    return movableBytes;
  }

  public long swapBytes() {
    return swapBytes;
  }

  public int cpus() {
    return cpus;
  }

  public KernelConfig kernel() {
    return kernel;
  }

  /** The seed every random choice of the machine is drawn from (with ASLR on: where each process's heap and mmap area start). */
  public long seed() {
    return seed;
  }

  /**
   * Address-space layout randomization (randomize_va_space=2): each new process's brk start and
   * mmap base move by a page-aligned random offset drawn from the seed and its pid. Off by default,
   * so that addresses read the same in every run of a scenario.
   */
  public boolean aslr() {
    return aslr;
  }

  /**
   * The RLIMIT_MEMLOCK (soft and hard) the first process starts with, in bytes, or -1 (the
   * default) for the kernel's default (MLOCK_LIMIT).
   */
  public long memlockBytes() {
    return memlockBytes;
  }

  /**
   * Memory another process freed just before the run, as each real run of a program after its first follows the one
   * before it: the first pages of this many bytes that the run's anonymous write faults take new come off the CPU's
   * free lists warm (rmqueue_pcplist hands back the page freed last first), counted as {@link VmEvent#PGALLOC_RECENT}.
   * 0 unless set: a machine booted for its run alone.
   */
  public long recentlyFreedBytes() {
    return recentlyFreedBytes;
  }

  /** The RLIMIT_MEMLOCK a new process starts with: {@link #memlockBytes()}, or the kernel's default. */
  public long initialMemlock() {
    return memlockBytes >= 0 ? memlockBytes : kernel.defaultMemlockLimit();
  }

  /** Transparent huge pages for anonymous memory; {@link Thp#MADVISE} unless set. */
  public Thp thp() {
    return thp;
  }

  /** transparent_hugepage/use_zero_page: a read fault maps the huge zero page where a THP could go (on by default). */
  public boolean thpUseZeroPage() {
    return thpUseZeroPage;
  }

  /**
   * transparent_hugepage/defrag: as set, else the kernel's default ({@link ThpDefrag#MADVISE} from
   * 4.6, {@link ThpDefrag#ALWAYS} before).
   */
  public ThpDefrag thpDefrag() {
    return thpDefrag != null ? thpDefrag : kernel.has(KernelChange.THP_DEFRAG_MADVISE) ? ThpDefrag.MADVISE : ThpDefrag.ALWAYS;
  }

  /** Whether transparent_hugepage/defrag was set rather than left at the kernel's default. */
  public boolean thpDefragSet() {
    return thpDefrag != null;
  }

  /**
   * Where anonymous folios of {@code order} are allowed, as the kernel reads
   * hugepages-&lt;size&gt;kB/enabled: a size set to inherit, and the PMD size unless set (its
   * default is inherit), follow {@link #thp()}; another size unset is never. Before 6.8, which has no
   * such files, the PMD size follows {@link #thp()} and the per-size settings are ignored. Never {@link Thp#INHERIT}.
   */
  public Thp thpForOrder(int order) {
    return order >= 0 && order <= Thp.PMD_ORDER ? thpByOrder[order] : Thp.NEVER;
  }

  /** The orders below the PMD's that {@link #thpForOrder} does not say never for, as a bit set (bit n for order n). */
  int mthpOrders() {
    return mthpOrders;
  }

  private Thp resolveThp(int order) {
    if (!kernel.has(KernelChange.ANON_MTHP)) {
      // No hugepages-<size>kB/enabled before 6.8: a size's setting has nowhere to go, and the PMD size is the top level's.
      return order == Thp.PMD_ORDER ? thp : Thp.NEVER;
    }
    Thp set = thpSizes.get(order);
    if (set == null) {
      set = order == Thp.PMD_ORDER ? Thp.INHERIT : Thp.NEVER;
    }
    return set == Thp.INHERIT ? thp : set;
  }

  /**
   * /sys/kernel/mm/hugepages/hugepages-&lt;size&gt;kB/nr_hugepages: the huge pages of each order
   * (9 for 2 MiB, 18 for 1 GiB) set aside at boot for hugetlb (MAP_HUGETLB, hugetlbfs, memfd with
   * MFD_HUGETLB); empty unless set, as a kernel booted without hugepages=.
   */
  public java.util.SortedMap<Integer, Integer> hugetlbPages() {
    return hugetlbPages;
  }

  /** The per-size settings given explicitly, by order. */
  public java.util.SortedMap<Integer, Thp> thpSizes() {
    return thpSizes;
  }

  @Override
  public String toString() {
    String s = String.format("MachineConfig[ram=%dMiB, cma=%dMiB, movable=%dMiB, swap=%dMiB, cpus=%d, kernel=%s, seed=%d, aslr=%b, memlock=%d",
        ramBytes >> 20, cmaBytes >> 20, movableBytes >> 20, swapBytes >> 20, cpus, kernel, seed, aslr, memlockBytes)
        + (recentlyFreedBytes != 0 ? ", recently_freed=" + (recentlyFreedBytes >> 10) + "KiB" : "");
    StringBuilder sizes = new StringBuilder();
    thpSizes.forEach((order, mode) -> sizes.append(", hugepages-").append(4 << order).append("kB=").append(mode.sysfsName()));
    hugetlbPages.forEach((order, nr) -> sizes.append(", nr_hugepages-").append(4L << order).append("kB=").append(nr));
    return s + (devicePrivateBytes != 0 ? ", device_private=" + (devicePrivateBytes >> 20) + "MiB" : "") + (thp != Thp.MADVISE ? ", thp=" + thp.sysfsName() : "") + (thpUseZeroPage ? "" : ", thp_use_zero_page=0")
        + (thpDefrag != null ? ", thp_defrag=" + thpDefrag.sysfsName() : "") + sizes + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MachineConfig c && ramBytes == c.ramBytes && cmaBytes == c.cmaBytes
        && movableBytes == c.movableBytes && swapBytes == c.swapBytes && devicePrivateBytes == c.devicePrivateBytes && cpus == c.cpus
        && kernel.equals(c.kernel) && seed == c.seed && aslr == c.aslr && memlockBytes == c.memlockBytes
        && recentlyFreedBytes == c.recentlyFreedBytes
        && thp == c.thp && thpUseZeroPage == c.thpUseZeroPage && thpSizes.equals(c.thpSizes)
        && hugetlbPages.equals(c.hugetlbPages) && thpDefrag == c.thpDefrag;
  }

  @Override
  public int hashCode() {
    return Objects.hash(ramBytes, cmaBytes, movableBytes, swapBytes, devicePrivateBytes, cpus, kernel, seed, aslr, memlockBytes, recentlyFreedBytes, thp, thpUseZeroPage, thpSizes, hugetlbPages,
        thpDefrag);
  }

  /** Defaults: 256 MiB of RAM, no CMA, no ZONE_MOVABLE, no swap, 2 CPUs, a modern kernel, seed 1, no ASLR, THP for madvise. */
  public static final class Builder {
    private long ramBytes = 256L << 20;
    private long cmaBytes;
    private long movableBytes;
    private long swapBytes;
    private long devicePrivateBytes;
    private int cpus = 2;
    private KernelConfig kernel = KernelConfig.LINUX_6_12;
    private long seed = 1;
    private boolean aslr;
    private long memlockBytes = -1;
    private long recentlyFreedBytes;
    private Thp thp = Thp.MADVISE;
    private boolean thpUseZeroPage = true;
    private ThpDefrag thpDefrag;
    private final java.util.TreeMap<Integer, Thp> thpSizes = new java.util.TreeMap<>();
    private final java.util.TreeMap<Integer, Integer> hugetlbPages = new java.util.TreeMap<>();

    private Builder() {}

    public Builder thp(Thp thp) {
      require(thp != Thp.INHERIT, "transparent_hugepage/enabled takes always, madvise or never; inherit is for a size "
          + "(hugepages-<size>kB/enabled)");
      this.thp = Objects.requireNonNull(thp, "thp");
      return this;
    }

    /** transparent_hugepage/defrag; null for the kernel's default. */
    public Builder thpDefrag(ThpDefrag defrag) {
      this.thpDefrag = defrag;
      return this;
    }

    public Builder thpUseZeroPage(boolean on) {
      this.thpUseZeroPage = on;
      return this;
    }

    /**
     * hugepages-&lt;size&gt;kB/enabled for anonymous folios of {@code bytes} (16 KiB to 2 MiB, a power
     * of two): multi-size THP, from 6.8, for the sizes below 2 MiB.
     */
    public Builder thpSize(long bytes, Thp mode) {
      int order = Long.numberOfTrailingZeros(bytes) - Page.PAGE_SHIFT;
      require(Long.bitCount(bytes) == 1 && order >= 2 && order <= Thp.PMD_ORDER,
          "a THP size must be a power of two from 16K to 2M: %d", bytes);
      thpSizes.put(order, Objects.requireNonNull(mode, "mode"));
      return this;
    }

    /**
     * nr_hugepages of the hugetlb pool of {@code bytes} huge pages (x86-64's 2 MiB and 1 GiB), set
     * aside at boot; 0 removes the pool.
     */
    public Builder hugetlbPages(long bytes, int count) {
      int order = Long.numberOfTrailingZeros(bytes) - Page.PAGE_SHIFT;
      require(bytes == 1L << (Page.PAGE_SHIFT + Hugetlb.PMD_ORDER) || bytes == 1L << (Page.PAGE_SHIFT + Hugetlb.PUD_ORDER),
          "a hugetlb page size is 2M or 1G (x86-64's PMD and PUD sizes): %d", bytes);
      require(count >= 0, "nr_hugepages must not be negative: %d", count);
      if (count == 0) {
        hugetlbPages.remove(order);
      } else {
        hugetlbPages.put(order, count);
      }
      return this;
    }

    private Builder hugetlbPages(java.util.Map<Integer, Integer> pools) {
      hugetlbPages.clear();
      hugetlbPages.putAll(pools);
      return this;
    }

    private Builder thpSizes(java.util.Map<Integer, Thp> sizes) {
      thpSizes.clear();
      thpSizes.putAll(sizes);
      return this;
    }

    public Builder ram(long bytes) {
      this.ramBytes = bytes;
      return this;
    }

    public Builder cma(long bytes) {
      this.cmaBytes = bytes;
      return this;
    }

    public Builder movable(long bytes) {
      this.movableBytes = bytes;
      return this;
    }

    public Builder swap(long bytes) {
      this.swapBytes = bytes;
      return this;
    }

    /** The GPU's device-private memory (VRAM), 0 for none; at most {@link #MAX_DEVICE_PRIVATE_BYTES}. */
    public Builder devicePrivate(long bytes) {
      this.devicePrivateBytes = bytes;
      return this;
    }

    public Builder cpus(int cpus) {
      this.cpus = cpus;
      return this;
    }

    public Builder kernel(KernelConfig kernel) {
      this.kernel = Objects.requireNonNull(kernel, "kernel");
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder aslr(boolean aslr) {
      this.aslr = aslr;
      return this;
    }

    /** The RLIMIT_MEMLOCK of the first process, in bytes; -1 for the kernel's default. */
    public Builder memlock(long bytes) {
      this.memlockBytes = bytes;
      return this;
    }

    /** Memory another process freed just before the run ({@link MachineConfig#recentlyFreedBytes}), in bytes. */
    public Builder recentlyFreed(long bytes) {
      this.recentlyFreedBytes = bytes;
      return this;
    }

    public MachineConfig build() {
      require(ramBytes >= 4L << 20 && Page.aligned(ramBytes), "ram must be a whole number of pages, at least 4 MiB: %s",
          size(ramBytes));
      require(ramBytes <= MAX_BYTES, "ram of %s is more than the model's largest machine of %s", size(ramBytes), size(MAX_BYTES));
      require(cmaBytes >= 0 && Page.aligned(cmaBytes), "cma must be a whole number of pages: %d", cmaBytes);
      require(movableBytes >= 0 && Page.aligned(movableBytes), "movable must be a whole number of pages: %d", movableBytes);
      require(cmaBytes <= ramBytes && movableBytes <= ramBytes && cmaBytes + movableBytes + (2L << 20) <= ramBytes,
          "cma (%s) plus movable (%s) must leave at least 2 MiB of ZONE_NORMAL in %s of ram", size(cmaBytes), size(movableBytes),
          size(ramBytes));
      require(swapBytes >= 0 && Page.aligned(swapBytes), "swap must be a whole number of pages: %d", swapBytes);
      require(swapBytes <= MAX_BYTES, "swap of %d bytes is more than the model's largest swap device of %d (64 GiB)", swapBytes, MAX_BYTES);
      require(devicePrivateBytes >= 0 && Page.aligned(devicePrivateBytes),
          "device-private memory must be a whole number of pages: %d", devicePrivateBytes);
      require(devicePrivateBytes <= MAX_DEVICE_PRIVATE_BYTES,
          "device-private memory of %d bytes is more than the model's largest GPU memory of %d (16 GiB)", devicePrivateBytes,
          MAX_DEVICE_PRIVATE_BYTES);
      require(devicePrivateBytes == 0 || kernel.has(KernelChange.DEVICE_PRIVATE),
          "device-private memory of %d bytes asked, but kernel %s has no MEMORY_DEVICE_PRIVATE (it came in %s, %s)",
          devicePrivateBytes, kernel, KernelChange.DEVICE_PRIVATE.release(), KernelChange.DEVICE_PRIVATE.commit());
      require(recentlyFreedBytes >= 0 && Page.aligned(recentlyFreedBytes) && recentlyFreedBytes <= ramBytes,
          "memory freed before the run must be a whole number of pages, at most the ram of %s: %d", size(ramBytes),
          recentlyFreedBytes);
      require(memlockBytes >= -1, "memlock must be a number of bytes, or -1 for the kernel's default: %d", memlockBytes);
      require(cpus >= 1 && cpus <= 64, "a machine has 1 to 64 CPUs, not %d", cpus);
      require(cmaBytes == 0 || kernel.has(KernelChange.CMA), "cma of %d bytes asked, but kernel %s has no CMA (it came in %s, %s); "
          + "add it with %s+%s", cmaBytes, kernel, KernelChange.CMA.release(), KernelChange.CMA.commit(), kernel, KernelChange.CMA.id());
      require(thpDefrag != ThpDefrag.DEFER || kernel.has(KernelChange.THP_DEFRAG_MADVISE),
          "transparent_hugepage/defrag 'defer' came in %s (%s); kernel %s takes always, madvise or never",
          KernelChange.THP_DEFRAG_MADVISE.release(), KernelChange.THP_DEFRAG_MADVISE.commit(), kernel);
      require(thpDefrag != ThpDefrag.DEFER_MADVISE || kernel.has(KernelChange.THP_DEFRAG_DEFER_MADVISE),
          "transparent_hugepage/defrag 'defer+madvise' came in %s (%s); kernel %s does not have it",
          KernelChange.THP_DEFRAG_DEFER_MADVISE.release(), KernelChange.THP_DEFRAG_DEFER_MADVISE.commit(), kernel);
      long pool = hugetlbPages.entrySet().stream().mapToLong(e -> (long) e.getValue() << (Page.PAGE_SHIFT + e.getKey())).sum();
      require(pool + cmaBytes + movableBytes + (2L << 20) <= ramBytes,
          "the hugetlb pool (%s) must fit in ZONE_NORMAL and leave at least 2 MiB of it: %s of ram, less cma (%s) and "
          + "movable (%s)", size(pool), size(ramBytes), size(cmaBytes), size(movableBytes));
      return new MachineConfig(this);
    }

    /** A size as a person reads it: whole GiB, MiB or KiB where it is one, else bytes. */
    private static String size(long bytes) {
      if (bytes == 0) {
        return "0";
      }
      String[] units = {"KiB", "MiB", "GiB"};
      for (int i = units.length - 1; i >= 0; i--) {
        int shift = 10 * (i + 1);
        if (bytes % (1L << shift) == 0) {
          return (bytes >> shift) + " " + units[i];
        }
      }
      return bytes == 1 ? "1 byte" : bytes + " bytes";
    }

    private static void require(boolean ok, String format, Object... args) {
      if (!ok) {
        throw new MmException(Errno.EINVAL, String.format(format, args));
      }
    }
  }
}
