package org.userptrlab.lab.lang;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.userptrlab.mm.Capability;
import org.userptrlab.mm.Mman;

/** The words an operation takes (protections, flags, advice, capabilities) and the numbers they stand for. */
final class Words {
  private Words() {}

  private static final Map<String, Integer> PROT = words("PROT_NONE", Mman.PROT_NONE, "PROT_READ", Mman.PROT_READ,
      "PROT_WRITE", Mman.PROT_WRITE, "PROT_EXEC", Mman.PROT_EXEC);
  private static final Map<String, Integer> MAP = words("MAP_PRIVATE", Mman.MAP_PRIVATE, "MAP_SHARED", Mman.MAP_SHARED,
      "MAP_ANONYMOUS", Mman.MAP_ANONYMOUS, "MAP_LOCKED", Mman.MAP_LOCKED, "MAP_POPULATE", Mman.MAP_POPULATE);
  private static final Map<String, Integer> MADV = words("MADV_DONTNEED", Mman.MADV_DONTNEED, "MADV_DONTFORK",
      Mman.MADV_DONTFORK, "MADV_DOFORK", Mman.MADV_DOFORK, "MADV_WIPEONFORK", Mman.MADV_WIPEONFORK, "MADV_KEEPONFORK",
      Mman.MADV_KEEPONFORK);
  private static final Map<String, Integer> MLOCK2 = words("MLOCK_ONFAULT", Mman.MLOCK_ONFAULT);
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

  /** The words argument {@code index} of {@code op} takes, and whether several may be joined with '|'. */
  private record Table(Map<String, Integer> words, boolean flags) {}

  private static Table table(Op op, int index) {
    return switch (op) {
      case MMAP -> index == 1 ? new Table(PROT, true) : new Table(MAP, true);
      case MMAP_FILE -> index == 2 ? new Table(PROT, true) : new Table(MAP, true);
      case MPROTECT -> new Table(PROT, true);
      case MADVISE -> new Table(MADV, false);
      case MLOCK2 -> new Table(MLOCK2, true);
      case MLOCKALL -> new Table(MCL, true);
      case CAPABILITY -> index == 0 ? new Table(capabilities(), false) : new Table(SWITCH, false);
      case PROMISES -> new Table(promises(), false);
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
        return Optional.of("'" + p + "' is not a word '" + op.word() + "' takes here; it takes " + String.join(", ", t.words().keySet())
            + (t.flags() ? ", joined with '|'" : ""));
      }
    }
    if (op == Op.MMAP && index == 2 && (!parts.contains("MAP_ANONYMOUS") || parts.contains("MAP_PRIVATE") == parts.contains("MAP_SHARED"))) {
      return Optional.of("'mmap' in a program maps anonymous memory: its flags need MAP_ANONYMOUS and one of MAP_PRIVATE or MAP_SHARED");
    }
    if (op == Op.MMAP_FILE && index == 3 && (parts.contains("MAP_ANONYMOUS") || parts.contains("MAP_PRIVATE") == parts.contains("MAP_SHARED"))) {
      return Optional.of("'mmap_file' maps a file: its flags need one of MAP_PRIVATE or MAP_SHARED, and not MAP_ANONYMOUS");
    }
    return Optional.empty();
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
