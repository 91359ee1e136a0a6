package org.userptrlab.lab.lang;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.userptrlab.lab.lang.Program.Arg;
import org.userptrlab.lab.lang.Program.Statement;
import org.userptrlab.mm.MachineConfig;

/** What the rest of the lab needs of a program: reading a file, the machine it asks for, its words' values, whether it fits. */
public final class Programs {
  private Programs() {}

  /** Reads and checks the program in {@code file}. */
  public static Program read(Path file) throws IOException {
    return Parser.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  /** {@code defaults} with the program's {@code machine} settings applied. */
  public static MachineConfig.Builder machine(Program p, MachineConfig.Builder defaults) {
    for (Program.Setting s : p.machine()) {
      switch (s.key()) {
        case "ram" -> defaults.ram(s.value());
        case "swap" -> defaults.swap(s.value());
        case "cma" -> defaults.cma(s.value());
        case "movable" -> defaults.movable(s.value());
        case "cpus" -> defaults.cpus((int) Math.min(Integer.MAX_VALUE, s.value()));
        default -> defaults.memlock(s.value());
      }
    }
    return defaults;
  }

  /** The number a word argument stands for ({@code PROT_READ|PROT_WRITE} is 3). */
  public static int word(Op op, int index, String text) {
    return Words.value(op, index, text);
  }

  /**
   * The memory the program asks for at most (every malloc, memalign, mmap, create and pressure,
   * as if none were given back), so that a program that cannot fit is refused before it runs.
   */
  public static long demand(Program p) {
    long total = 0;
    for (Statement s : p.body()) {
      Program.Call c = Program.callOf(s);
      if (c == null) {
        continue;
      }
      Arg size = switch (c.op()) {
        case MALLOC, MMAP, CREATE, PRESSURE -> c.args().get(0);
        case MEMALIGN, FILE -> c.args().get(1);
        default -> null;
      };
      // A size set from a name is known only when the program runs.
      if (size instanceof Program.Num n) {
        total = Math.addExact(total, n.value());
      }
    }
    return total;
  }

  /** Why the program cannot run on {@code machine} (it asks for more than RAM and swap together); null if it can. */
  public static String doesNotFit(Program p, MachineConfig machine) {
    long have = machine.ramBytes() + machine.swapBytes();
    long want = demand(p);
    return want > have ? String.format("program %s asks for %s of memory in all, more than the machine's %s of RAM and swap; "
        + "give it 'machine ram ...' or run it with --ram/--swap", p.name(), Printer.size(want), Printer.size(have)) : null;
  }
}
