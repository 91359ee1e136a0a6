package org.userptrlab.lab.lang;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.userptrlab.lab.lang.Program.Arg;
import org.userptrlab.lab.lang.Program.Statement;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.MmException;

/** What the rest of the lab needs of a program: reading a file, the machine it asks for, its words' values, whether it fits. */
public final class Programs {
  private Programs() {}

  /** The size of x86-64 user space with 4-level paging (128 TiB): no allocation of more can succeed. */
  private static final long USER_SPACE = 1L << 47;

  /** The largest program file read: far more than any program a person writes or the explorer shrinks to. */
  public static final int MAX_BYTES = 1 << 20;

  /**
   * Reads and checks the program in {@code file}: at most {@link #MAX_BYTES} of UTF-8 text, so
   * that an endless file ({@code /dev/zero}) is refused after that much rather than read whole.
   */
  public static Program read(Path file) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    }
    if (bytes.length > MAX_BYTES) {
      throw new ProgramError(file.toString(), "larger than " + org.userptrlab.lab.Sizes.format(MAX_BYTES)
          + ", more than a program may be; is it one?");
    }
    return parse(file.toString(), bytes);
  }

  /** Reads and checks a program from its bytes, which must be UTF-8; {@code file} names it in errors. */
  public static Program parse(String file, byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      // Where the first byte that is not UTF-8 lies: its line, and its column among the characters before it.
      out.flip();
      int line = 1;
      int column = 1;
      while (out.hasRemaining()) {
        char c = out.get();
        line += c == '\n' ? 1 : 0;
        column = c == '\n' ? 1 : column + 1;
      }
      throw new ProgramError(file, line, column, String.format(Locale.ROOT, "byte 0x%02x is not UTF-8 text; a program is UTF-8 text "
          + "(is this a binary file?)", bytes[in.position()] & 0xff));
    }
    decoder.flush(out);
    return Parser.parse(file, out.flip().toString());
  }

  /** {@code defaults} with the program's {@code machine} settings applied. */
  public static MachineConfig.Builder machine(Program p, MachineConfig.Builder defaults) {
    for (Program.Setting s : p.machine()) {
      apply(defaults, s);
    }
    return defaults;
  }

  static void apply(MachineConfig.Builder b, Program.Setting s) {
    switch (s.key()) {
      case "ram" -> b.ram(s.value());
      case "swap" -> b.swap(s.value());
      case "cma" -> b.cma(s.value());
      case "movable" -> b.movable(s.value());
      case "vram" -> b.devicePrivate(s.value());
      case "cpus" -> {
        if (s.value() > Integer.MAX_VALUE) {
          // As the builder says it, with the number written rather than what an int makes of it.
          throw new org.userptrlab.mm.MmException(org.userptrlab.mm.Errno.EINVAL, "a machine has 1 to 64 CPUs, not " + s.value());
        }
        b.cpus((int) s.value());
      }
      case "thp" -> {
        if (s.size() != 0) {
          b.thpSize(s.size(), s.thpMode());
        } else {
          b.thp(s.thpMode());
        }
      }
      case "hugetlb" -> b.hugetlbPages(s.size(), (int) Math.min(Integer.MAX_VALUE, s.value()));
      case "thp_zero_page" -> b.thpUseZeroPage(s.value() != 0);
      case "thp_defrag" -> b.thpDefrag(s.thpDefragMode());
      default -> b.memlock(s.value());
    }
  }

  /** The number a word argument stands for ({@code PROT_READ|PROT_WRITE} is 3). */
  public static int word(Op op, int index, String text) {
    return Words.value(op, index, text);
  }

  /**
   * The memory the program asks for at most (every malloc, memalign, mmap that commits memory, a read-only or
   * MAP_NORESERVE one reserving addresses only, mremap of one that does, create and pressure, less
   * what a free, a whole munmap or a close of a name bound to one of them gave back, at the peak of that running
   * sum), so that a program that cannot fit is refused before it runs; memory an import still holds after
   * its munmap is the model's to run out of (ENOMEM), as a real machine's. A
   * malloc or memalign larger than user space is left out: the C library returns NULL for it
   * without asking the kernel, as a real program would see. A hugetlb mapping or memfd takes its pages
   * from the hugetlb pool, not from this. The sum stops at {@link Long#MAX_VALUE}.
   */
  public static long demand(Program p) {
    return demand(p, Long.MAX_VALUE);
  }

  /**
   * As {@link #demand(Program)}, leaving out a request that the kernel charges when it is asked
   * ({@link #accounted}) and refuses at once (__vm_enough_memory under OVERCOMMIT_GUESS: more than RAM
   * plus swap), so that it takes nothing and the program sees ENOMEM: one of more than {@code
   * oneRequest} bytes that the program tries ({@code r = try ...}), and one past the largest machine
   * the model builds (64 GiB of RAM and as much swap), which no 'machine ram' would make fit.
   */
  static long demand(Program p, long oneRequest) {
    long total = 0;
    long peak = 0;
    // What each name was last bound to, so that its munmap or free gives it back: a repeat loop that
    // maps and unmaps asks for one iteration's memory, not the sum of all of them.
    java.util.Map<String, Long> bound = new java.util.HashMap<>();
    for (Statement s : p.body()) {
      Program.Call c = Program.callOf(s);
      if (c == null) {
        continue;
      }
      long back = givenBack(c, bound);
      total -= back;
      if (hugetlb(c)) {
        continue;
      }
      Arg size = switch (c.op()) {
        case MALLOC, CREATE, PRESSURE -> c.args().get(0);
        case MEMALIGN, FILE, MEMFD, TMPFILE -> c.args().get(1);
        // A mapping that commits no memory (read-only, or MAP_NORESERVE) reserves addresses only: its pages come when written.
        case MMAP -> commits(c) ? c.args().get(0) : null;
        case MMAP_AT -> commits(c) ? c.args().get(1) : null;
        // A mapping grown (or moved) to its new size: counted whole, as if the old one were not given back; one that commits
        // no memory (not bound here to a request that does) grows by addresses only.
        case MREMAP, MREMAP_TO -> c.args().get(0) instanceof Program.Ref r && bound.containsKey(r.name()) ? c.args().get(2) : null;
        default -> null;
      };
      // A size set from a name is known only when the program runs; a malloc larger than user space gets NULL and takes nothing.
      boolean nullFromLibc = (c.op() == Op.MALLOC || c.op() == Op.MEMALIGN) && size instanceof Program.Num n
          && n.value() >= USER_SPACE;
      // One request the kernel refuses at once takes nothing: left out where the program expects the refusal (try)
      // or where no machine the model builds would take it.
      boolean charged = accounted(c) || (c.op() == Op.MREMAP || c.op() == Op.MREMAP_TO) && size != null;
      boolean refused = charged && (n(size) > 2 * MachineConfig.MAX_BYTES || n(size) > oneRequest && unwrap(s) instanceof Program.Try);
      if (size instanceof Program.Num n && !nullFromLibc && !refused) {
        total = n.value() > Long.MAX_VALUE - total ? Long.MAX_VALUE : total + n.value();
        peak = Math.max(peak, total);
        if (s instanceof Program.Bind b && (c.op() == Op.MALLOC || c.op() == Op.MMAP || c.op() == Op.MEMALIGN || c.op() == Op.CREATE)) {
          bound.put(b.name(), n.value());
        }
      }
    }
    return peak;
  }

  private static long n(Arg a) {
    return a instanceof Program.Num n ? n.value() : 0;
  }

  private static Statement unwrap(Statement s) {
    return s instanceof Program.On o ? unwrap(o.inner()) : s;
  }

  /**
   * Whether an anonymous mapping commits memory when it is made: a private one as {@link #accounted} says, a
   * shared one (shmem_acct_size) unless MAP_NORESERVE.
   */
  private static boolean commits(Program.Call c) {
    int prot = c.op() == Op.MMAP ? 1 : 2;
    if (accounted(c)) {
      return true;
    }
    return c.args().size() > prot + 1 && c.args().get(prot + 1) instanceof Program.Word f && f.text().contains("MAP_SHARED")
        && !f.text().contains("MAP_NORESERVE");
  }

  /**
   * Whether the kernel charges the call's memory when it is asked (accountable_mapping: private and
   * writable, without MAP_NORESERVE), so that one request past RAM plus swap is refused at once:
   * malloc's and memalign's (glibc maps them read-write, or grows the heap), an mmap's written so.
   */
  private static boolean accounted(Program.Call c) {
    int prot = c.op() == Op.MMAP ? 1 : c.op() == Op.MMAP_AT ? 2 : -1;
    if (c.op() == Op.MALLOC || c.op() == Op.MEMALIGN) {
      return true;
    }
    return prot >= 0 && c.args().size() > prot + 1 && c.args().get(prot) instanceof Program.Word p && c.args().get(prot + 1)
        instanceof Program.Word f && p.text().contains("PROT_WRITE") && f.text().contains("MAP_PRIVATE")
        && !f.text().contains("MAP_NORESERVE");
  }

  /**
   * What a munmap of a whole mapping, a free, or a close, of a name bound to an mmap, a malloc or a
   * create gives back: the size it was bound to (once), 0 for anything else.
   */
  private static long givenBack(Program.Call c, java.util.Map<String, Long> bound) {
    if (c.args().isEmpty() || !(c.args().get(0) instanceof Program.Ref r) || r.offset() != 0 || !bound.containsKey(r.name())) {
      return 0;
    }
    long size = bound.get(r.name());
    boolean whole = c.op() == Op.FREE || c.op() == Op.CLOSE
        || c.op() == Op.MUNMAP && c.args().size() > 1 && c.args().get(1) instanceof Program.Num n && n.value() >= size;
    if (!whole) {
      return 0;
    }
    bound.remove(r.name());
    return size;
  }

  /**
   * Why the program cannot run on the model with {@code base} as the machine it is given: its own
   * settings on top make no machine the model can build, or it asks for more memory than that
   * machine's RAM and swap; null if it can run. {@code run}, {@code diff} and the library refuse
   * such a program before it runs.
   */
  public static String cannotRun(Program p, MachineConfig base) {
    String why = cannotBuild(p, base.toBuilder());
    return why != null ? why : doesNotFit(p, machine(p, base.toBuilder()).build());
  }

  /**
   * Why the program's {@code machine} settings on top of {@code base} (the command line's machine)
   * make no machine the model can build, such as a CMA region larger than the RAM the command line
   * gives a program that does not set its own; null if they make one. Each setting alone was
   * checked when the program was read.
   */
  static String cannotBuild(Program p, MachineConfig.Builder base) {
    try {
      machine(p, base).build();
      return null;
    } catch (MmException e) {
      return "program " + p.name() + ": its machine settings on the command line's machine make none the model can build: "
          + e.getMessage().replaceFirst("^" + e.errno().name() + ": ", "") + "; give it 'machine ram ...' or run it with --ram";
    }
  }

  /** Whether a line of the program maps or makes hugetlb memory (MAP_HUGETLB, MFD_HUGETLB). */
  public static boolean usesHugetlb(Program program) {
    for (Program.Statement st : program.body()) {
      for (Program.Call c : Program.callsOf(st)) {
        if (hugetlb(c)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the call maps or makes hugetlb memory (MAP_HUGETLB, MFD_HUGETLB), which comes from the pool. */
  private static boolean hugetlb(Program.Call c) {
    int flags = c.op() == Op.MMAP ? 2 : c.op() == Op.MMAP_AT ? 3 : c.op() == Op.MEMFD ? 2 : -1;
    return flags >= 0 && c.args().size() > flags && c.args().get(flags) instanceof Program.Word w
        && (w.text().contains("MAP_HUGETLB") || w.text().contains("MFD_HUGETLB"));
  }

  /** A sum of bytes as a program writes it, and in the largest unit besides where that is not a whole one (1048577M, about 1.0T). */
  private static String roughly(long bytes) {
    String exact = Printer.size(bytes);
    int shift = bytes >= 1L << 40 ? 40 : bytes >= 1L << 30 ? 30 : bytes >= 1L << 20 ? 20 : 0;
    String unit = shift == 40 ? "T" : shift == 30 ? "G" : "M";
    // Long.MAX_VALUE is where the sum stopped counting: no unit says more of it.
    return shift == 0 || bytes % (1L << shift) == 0 || bytes == Long.MAX_VALUE ? exact
        : String.format(java.util.Locale.ROOT, "%s (about %.1f%s)", exact, bytes / (double) (1L << shift), unit);
  }

  /** Why the program cannot run on {@code machine} (it asks for more than RAM, but its hugetlb pools, and swap together); null if it can. */
  public static String doesNotFit(Program p, MachineConfig machine) {
    long pools = machine.hugetlbPages().entrySet().stream().mapToLong(e -> (long) e.getValue() << (12 + e.getKey())).sum();
    long have = machine.ramBytes() - pools + machine.swapBytes();
    long want = demand(p, machine.ramBytes() + machine.swapBytes());
    if (want > have && machine.ramBytes() == MachineConfig.MAX_BYTES) {
      // No 'machine ram' helps: this is the largest machine the model builds.
      return String.format("program %s asks for %s of memory in all, more than the model's largest machine holds (64 GiB of RAM%s, "
          + "and %s)", p.name(), roughly(want), pools > 0 ? " less its hugetlb pools" : "",
          machine.swapBytes() == 0 ? "no swap" : Printer.size(machine.swapBytes()) + " of swap");
    }
    return want > have ? String.format("program %s asks for %s of memory in all, more than the machine's %s of RAM%s and swap; "
        + "give it 'machine ram ...' or run it with --ram/--swap", p.name(), roughly(want), Printer.size(have),
        pools > 0 ? " outside its hugetlb pools" : "") : null;
  }
}
