package org.userptrlab.mm;

/** vm_flags bits with the values of include/linux/mm.h. */
public final class VmFlags {
  public static final int VM_READ = 0x1;
  public static final int VM_WRITE = 0x2;
  public static final int VM_EXEC = 0x4;
  public static final int VM_SHARED = 0x8;
  public static final int VM_MAYREAD = 0x10;
  public static final int VM_MAYWRITE = 0x20;
  public static final int VM_MAYEXEC = 0x40;
  public static final int VM_MAYSHARE = 0x80;
  public static final int VM_PFNMAP = 0x400;
  public static final int VM_LOCKED = 0x2000;
  public static final int VM_IO = 0x4000;
  public static final int VM_DONTCOPY = 0x20000;
  public static final int VM_DONTEXPAND = 0x40000;
  public static final int VM_LOCKONFAULT = 0x80000;
  public static final int VM_ACCOUNT = 0x100000;
  /** MAP_NORESERVE under heuristic overcommit: no memory is committed for the mapping, now or when mprotect makes it writable. */
  public static final int VM_NORESERVE = 0x200000;
  /** A hugetlbfs mapping (MAP_HUGETLB, a hugetlbfs file or a memfd with MFD_HUGETLB): its pages come from a hugetlb pool. */
  public static final int VM_HUGETLB = 0x400000;
  public static final int VM_WIPEONFORK = 0x2000000;
  public static final int VM_DONTDUMP = 0x4000000;
  /** MADV_HUGEPAGE: transparent huge pages wanted here even when THP is enabled only for madvise. */
  public static final int VM_HUGEPAGE = 0x20000000;
  /** MADV_NOHUGEPAGE: no transparent huge pages here. */
  public static final int VM_NOHUGEPAGE = 0x40000000;

  static final int VM_ACCESS_FLAGS = VM_READ | VM_WRITE | VM_EXEC;
  static final int VM_LOCKED_MASK = VM_LOCKED | VM_LOCKONFAULT;

  private VmFlags() {}

  /** calc_vm_prot_bits. */
  static int fromProt(int prot) {
    return (prot & Mman.PROT_READ) | (prot & Mman.PROT_WRITE) | (prot & Mman.PROT_EXEC);
  }

  /** is_cow_mapping: private and may be written, so fork must write-protect it. */
  static boolean isCowMapping(int flags) {
    return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
  }

  /** Each flag smaps shows, with its mnemonic there (fs/proc/task_mmu.c: show_smap_vma_flags), in smaps' order. */
  private static final java.util.Map<String, Integer> MNEMONICS = mnemonicTable();

  private static java.util.Map<String, Integer> mnemonicTable() {
    int[] bits = {VM_READ, VM_WRITE, VM_EXEC, VM_SHARED, VM_MAYREAD, VM_MAYWRITE, VM_MAYEXEC, VM_MAYSHARE,
        VM_PFNMAP, VM_LOCKED, VM_IO, VM_DONTCOPY, VM_DONTEXPAND, VM_LOCKONFAULT, VM_ACCOUNT, VM_NORESERVE, VM_HUGETLB, VM_WIPEONFORK,
        VM_DONTDUMP, VM_HUGEPAGE, VM_NOHUGEPAGE};
    String[] names = {"rd", "wr", "ex", "sh", "mr", "mw", "me", "ms", "pf", "lo", "io", "dc", "de", "lf", "ac", "nr", "ht", "wf", "dd", "hg",
        "nh"};
    java.util.Map<String, Integer> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < bits.length; i++) {
      m.put(names[i], bits[i]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The mnemonics smaps' VmFlags line uses for the flags the model keeps, each with its bit. */
  public static java.util.Map<String, Integer> mnemonics() {
    return MNEMONICS;
  }

  /** The flags as /proc/PID/smaps' VmFlags line spells them. */
  public static String describe(int flags) {
    StringBuilder sb = new StringBuilder();
    MNEMONICS.forEach((name, bit) -> {
      if ((flags & bit) != 0) {
        sb.append(sb.length() == 0 ? "" : " ").append(name);
      }
    });
    return sb.toString();
  }
}
