package org.userptrlab.lab.lang;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.userptrlab.mm.Capability;
import org.userptrlab.mm.Foll;
import org.userptrlab.mm.Mman;
import org.userptrlab.mm.VmFlags;

/** The words an operation takes (protections, flags, advice, capabilities) and the numbers they stand for. */
final class Words {
  private Words() {}

  private static final Map<String, Integer> PROT = words("PROT_NONE", Mman.PROT_NONE, "PROT_READ", Mman.PROT_READ,
      "PROT_WRITE", Mman.PROT_WRITE, "PROT_EXEC", Mman.PROT_EXEC);
  private static final Map<String, Integer> MAP = words("MAP_PRIVATE", Mman.MAP_PRIVATE, "MAP_SHARED", Mman.MAP_SHARED,
      "MAP_ANONYMOUS", Mman.MAP_ANONYMOUS, "MAP_LOCKED", Mman.MAP_LOCKED, "MAP_POPULATE", Mman.MAP_POPULATE, "MAP_NORESERVE",
      Mman.MAP_NORESERVE, "MAP_HUGETLB", Mman.MAP_HUGETLB, "MAP_HUGE_2MB", Mman.MAP_HUGE_2MB, "MAP_HUGE_1GB", Mman.MAP_HUGE_1GB);
  private static final Map<String, Integer> MAP_AT = words("MAP_PRIVATE", Mman.MAP_PRIVATE, "MAP_SHARED", Mman.MAP_SHARED,
      "MAP_ANONYMOUS", Mman.MAP_ANONYMOUS, "MAP_FIXED", Mman.MAP_FIXED, "MAP_FIXED_NOREPLACE", Mman.MAP_FIXED_NOREPLACE,
      "MAP_LOCKED", Mman.MAP_LOCKED, "MAP_POPULATE", Mman.MAP_POPULATE, "MAP_NORESERVE", Mman.MAP_NORESERVE, "MAP_HUGETLB",
      Mman.MAP_HUGETLB, "MAP_HUGE_2MB", Mman.MAP_HUGE_2MB, "MAP_HUGE_1GB", Mman.MAP_HUGE_1GB);
  /** memfd_create(2)'s flags the model knows: a hugetlbfs file and its huge page size. */
  private static final Map<String, Integer> MFD = words("MFD_HUGETLB", Mman.MFD_HUGETLB, "MFD_HUGE_2MB", Mman.MFD_HUGE_2MB,
      "MFD_HUGE_1GB", Mman.MFD_HUGE_1GB);
  private static final Map<String, Integer> MADV = words("MADV_WILLNEED", Mman.MADV_WILLNEED, "MADV_DONTNEED", Mman.MADV_DONTNEED,
      "MADV_DONTFORK", Mman.MADV_DONTFORK, "MADV_DOFORK", Mman.MADV_DOFORK, "MADV_WIPEONFORK", Mman.MADV_WIPEONFORK,
      "MADV_KEEPONFORK", Mman.MADV_KEEPONFORK, "MADV_FREE", Mman.MADV_FREE, "MADV_REMOVE", Mman.MADV_REMOVE, "MADV_COLD", Mman.MADV_COLD,
      "MADV_PAGEOUT", Mman.MADV_PAGEOUT, "MADV_POPULATE_READ", Mman.MADV_POPULATE_READ, "MADV_POPULATE_WRITE",
      Mman.MADV_POPULATE_WRITE, "MADV_DONTNEED_LOCKED", Mman.MADV_DONTNEED_LOCKED, "MADV_HUGEPAGE", Mman.MADV_HUGEPAGE, "MADV_NOHUGEPAGE",
      Mman.MADV_NOHUGEPAGE, "MADV_COLLAPSE", Mman.MADV_COLLAPSE);
  private static final Map<String, Integer> MREMAP = words("0", 0, "MREMAP_MAYMOVE", Mman.MREMAP_MAYMOVE, "MREMAP_FIXED",
      Mman.MREMAP_FIXED, "MREMAP_DONTUNMAP", Mman.MREMAP_DONTUNMAP);
  /** The FOLL_ flags a pin may add to FOLL_PIN (include/linux/mm_types.h); FOLL_PIN alone is a plain pin. */
  private static final Map<String, Integer> FOLL = words("FOLL_PIN", Foll.FOLL_PIN, "FOLL_WRITE", Foll.FOLL_WRITE,
      "FOLL_LONGTERM", Foll.FOLL_LONGTERM, "FOLL_FORCE", Foll.FOLL_FORCE);
  /** The userptr ioctl's flags, as i915 (I915_USERPTR_READ_ONLY) and amdgpu (AMDGPU_GEM_USERPTR_READONLY) have them. */
  private static final Map<String, Integer> USERPTR = words("READ_ONLY", 1);
  /** smaps' VmFlags mnemonics (fs/proc/task_mmu.c: show_smap_vma_flags) of the flags the model keeps. */
  private static final Map<String, Integer> VMA_FLAG = VmFlags.mnemonics();
  private static final Map<String, Integer> MLOCK2 = words("0", 0, "MLOCK_ONFAULT", Mman.MLOCK_ONFAULT);
  private static final Map<String, Integer> MCL = words("MCL_CURRENT", Mman.MCL_CURRENT, "MCL_FUTURE", Mman.MCL_FUTURE,
      "MCL_ONFAULT", Mman.MCL_ONFAULT);
  private static final Map<String, Integer> SWITCH = words("on", 1, "off", 0);

  private static Map<String, Integer> words(Object... pairs) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], (Integer) pairs[i + 1]);
    }
    return m;
  }

  private static final Map<String, Integer> ACCESS = ordered("read", "write");
  /** i915's engines: render, copy (blitter), video, and compute. */
  private static final Map<String, Integer> ENGINES = ordered("rcs0", "bcs0", "vcs0", "ccs0");

  private static Map<String, Integer> ordered(String... words) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (String w : words) {
      m.put(w, m.size());
    }
    return m;
  }

  /** The words argument {@code index} of {@code op} takes, and whether several may be joined with '|'. */
  private record Table(Map<String, Integer> words, boolean flags) {}

  private static Table table(Op op, int index) {
    return switch (op) {
      case MMAP -> index == 1 ? new Table(PROT, true) : new Table(MAP, true);
      case MMAP_AT -> index == 2 ? new Table(PROT, true) : new Table(MAP_AT, true);
      case MREMAP, MREMAP_TO -> new Table(MREMAP, true);
      case PIN, PIN_FAST -> new Table(FOLL, true);
      case USERPTR -> new Table(USERPTR, true);
      case VMA_FLAG -> new Table(VMA_FLAG, false);
      case MMAP_FILE -> index == 2 ? new Table(PROT, true) : new Table(MAP, true);
      case MEMFD -> new Table(MFD, true);
      case MPROTECT -> new Table(PROT, true);
      case MADVISE -> new Table(MADV, false);
      case MLOCK2 -> new Table(MLOCK2, true);
      case MLOCKALL -> new Table(MCL, true);
      case CAPABILITY -> index == 0 ? new Table(capabilities(), false) : new Table(SWITCH, false);
      case PROMISES -> new Table(promises(), false);
      case GPU_SUBMIT -> index == 1 ? new Table(ACCESS, false) : new Table(ENGINES, false);
      default -> throw new IllegalArgumentException(op + " takes no word");
    };
  }

  private static Map<String, Integer> promises() {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (org.userptrlab.core.spi.Promise p : org.userptrlab.core.spi.Promise.values()) {
      m.put(p.name(), p.ordinal());
    }
    return m;
  }

  private static Map<String, Integer> capabilities() {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (Capability c : Capability.values()) {
      m.put(c.name(), c.ordinal());
    }
    return m;
  }

  /** Why {@code text} is not a word argument {@code index} of {@code op} takes; empty if it is one. */
  static Optional<String> check(Op op, int index, String text) {
    Table t = table(op, index);
    List<String> parts = t.flags() ? List.of(text.split("\\|", -1)) : List.of(text);
    for (String p : parts) {
      if (!t.words().containsKey(p)) {
        // mmap_file reads MAP_ANONYMOUS only to refuse it below, with its reason.
        List<String> takes = t.words().keySet().stream().filter(w -> op != Op.MMAP_FILE || !w.equals("MAP_ANONYMOUS")).toList();
        return Optional.of("'" + p + "' is not a word '" + op.word() + "' takes here; it takes " + String.join(", ", takes)
            + (t.flags() ? ", joined with '|'" : ""));
      }
    }
    if (op == Op.MMAP && index == 2 && (!parts.contains("MAP_ANONYMOUS") || parts.contains("MAP_PRIVATE") == parts.contains("MAP_SHARED"))) {
      return Optional.of("'mmap' in a program maps anonymous memory: its flags need MAP_ANONYMOUS and one of MAP_PRIVATE or MAP_SHARED");
    }
    if (op == Op.MMAP_AT && index == 3 && (!parts.contains("MAP_ANONYMOUS") || parts.contains("MAP_PRIVATE") == parts.contains("MAP_SHARED")
        || parts.contains("MAP_FIXED") == parts.contains("MAP_FIXED_NOREPLACE"))) {
      return Optional.of("'mmap_at' maps anonymous memory at an address: its flags need MAP_ANONYMOUS, one of MAP_PRIVATE or "
          + "MAP_SHARED, and one of MAP_FIXED or MAP_FIXED_NOREPLACE");
    }
    if ((op == Op.PIN || op == Op.PIN_FAST) && parts.contains("FOLL_PIN") && parts.size() > 1) {
      return Optional.of("FOLL_PIN alone is a pin with no other flag; with flags, write them without it (FOLL_WRITE|FOLL_LONGTERM)");
    }
    if ((op == Op.MREMAP || op == Op.MREMAP_TO || op == Op.MLOCK2) && parts.contains("0") && parts.size() > 1) {
      return Optional.of("'0' is no flags at all; write it alone, or the " + (op == Op.MLOCK2 ? "MLOCK_ONFAULT flag" : "MREMAP_ flags")
          + " joined with '|'");
    }
    if (op == Op.MREMAP && (parts.contains("MREMAP_FIXED") || parts.contains("MREMAP_DONTUNMAP"))) {
      return Optional.of("MREMAP_FIXED and MREMAP_DONTUNMAP move the mapping to an address 'mremap' does not give; use "
          + "'mremap_to ADDR OLD NEW FLAGS DST'");
    }
    if (op == Op.MREMAP_TO && !parts.contains("MREMAP_FIXED") && !parts.contains("MREMAP_DONTUNMAP")) {
      return Optional.of("'mremap_to' moves the mapping to DST: its flags need MREMAP_MAYMOVE with MREMAP_FIXED or "
          + "MREMAP_DONTUNMAP; without them use 'mremap'");
    }
    if (op == Op.MMAP_FILE && index == 3 && (parts.contains("MAP_ANONYMOUS") || parts.contains("MAP_PRIVATE") == parts.contains("MAP_SHARED"))) {
      return Optional.of("'mmap_file' maps a file: its flags need one of MAP_PRIVATE or MAP_SHARED, and not MAP_ANONYMOUS");
    }
    return Optional.empty();
  }

  /** The words a result ({@link Kind#RESULT}) is: OK, each errno the kernel may answer, and the signals a program may take. */
  static List<String> results() {
    List<String> out = new java.util.ArrayList<>();
    out.add("OK");
    for (org.userptrlab.mm.Errno e : org.userptrlab.mm.Errno.values()) {
      out.add(e.name());
    }
    out.addAll(List.of("SIGSEGV", "SIGBUS"));
    return out;
  }

  /** The number {@code text} stands for (the flags or'ed together). */
  static int value(Op op, int index, String text) {
    Table t = table(op, index);
    int v = 0;
    for (String p : t.flags() ? text.split("\\|") : new String[] {text}) {
      v |= t.words().get(p);
    }
    return v;
  }
}
