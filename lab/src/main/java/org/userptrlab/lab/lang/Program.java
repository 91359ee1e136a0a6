package org.userptrlab.lab.lang;

import java.util.List;
import java.util.Set;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;

/**
 * A scenario as a program: its header (name, description, the machine it needs, the kernel it is
 * about, what it needs) and its lines, one operation or check each. Immutable; {@link Parser}
 * reads one, {@link Printer} writes its canonical text.
 *
 * @param preamble the comment lines before the {@code scenario} line: what the program is about
 * @param machine the machine settings the program asks for, in the order written
 * @param kernel the kernel the program is about, or null
 * @param observe whether the harness checks the program's and the GPU's bytes against the strategy's
 *     contract and watches for hazards by itself ({@code observe} in the header), as for explored programs
 */
public record Program(List<String> preamble, String name, String description, List<Setting> machine, KernelConfig kernel, Set<Promise> needs,
    boolean observe, List<Statement> body) {
  public Program {
    preamble = List.copyOf(preamble);
    machine = List.copyOf(machine);
    needs = Set.copyOf(needs);
    body = List.copyOf(body);
  }

  /**
   * One machine setting: {@code ram 32M}, {@code cpus 4}, {@code thp always}, {@code thp 64K always}; a word
   * setting's value is the ordinal of its word ({@link #thp}).
   *
   * @param size the folio size of a {@code thp SIZE MODE} setting (hugepages-&lt;size&gt;kB/enabled) or the huge page size of a
   *     {@code hugetlb SIZE COUNT} one; 0 for any other
   */
  public record Setting(String key, long value, long size) {
    /** The settings a program may give, as {@code machine} takes them. */
    public static final List<String> KEYS = List.of("ram", "swap", "cma", "movable", "cpus", "memlock", "thp", "hugetlb",
        "thp_zero_page", "thp_defrag", "vram");

    /** {@code thp_zero_page on|off}: /sys/kernel/mm/transparent_hugepage/use_zero_page, 1 or 0. */
    public static Setting thpZeroPage(boolean on) {
      return new Setting("thp_zero_page", on ? 1 : 0);
    }

    /**
     * {@code hugetlb SIZE COUNT}: a pool of COUNT huge pages of {@code bytes} (2M or 1G), as
     * /sys/kernel/mm/hugepages/hugepages-&lt;size&gt;kB/nr_hugepages; each size a setting of its own.
     */
    public static Setting hugetlb(long bytes, long count) {
      return new Setting("hugetlb", count, bytes);
    }

    /** Whether this is a {@code hugetlb SIZE COUNT} setting. */
    public boolean isHugetlb() {
      return key.equals("hugetlb");
    }

    /** A setting of one value: {@code ram 32M}. */
    public Setting(String key, long value) {
      this(key, value, 0);
    }

    /** {@code thp_defrag MODE}: /sys/kernel/mm/transparent_hugepage/defrag. */
    public static Setting thpDefrag(MachineConfig.ThpDefrag mode) {
      return new Setting("thp_defrag", mode.ordinal());
    }

    /** The mode of a {@code thp_defrag} setting. */
    public MachineConfig.ThpDefrag thpDefragMode() {
      if (!key.equals("thp_defrag")) {
        throw new IllegalStateException(key + " is not the thp_defrag setting");
      }
      return MachineConfig.ThpDefrag.values()[(int) value];
    }

    /** {@code thp MODE}: transparent huge pages for anonymous memory, as /sys/kernel/mm/transparent_hugepage/enabled. */
    public static Setting thp(MachineConfig.Thp mode) {
      return new Setting("thp", mode.ordinal());
    }

    /**
     * {@code thp SIZE MODE}: anonymous multi-size THP of {@code bytes} (16K to 2M, a power of two), as
     * /sys/kernel/mm/transparent_hugepage/hugepages-&lt;size&gt;kB/enabled.
     */
    public static Setting thpSize(long bytes, MachineConfig.Thp mode) {
      return new Setting("thp", mode.ordinal(), bytes);
    }

    /** The mode of a {@code thp} setting. */
    public MachineConfig.Thp thpMode() {
      if (!key.equals("thp")) {
        throw new IllegalStateException(key + " is not the thp setting");
      }
      return MachineConfig.Thp.values()[(int) value];
    }
  }

  /** One line of the body; {@code line} is its line in the source, for errors at run time. */
  public sealed interface Statement permits Comment, Bind, Try, Do, Expect, Check, Skip, Hazard, On {
    int line();
  }

  /** The operation a statement performs ({@code name = call} or {@code call}), or null for a check or a comment. */
  public static Call callOf(Statement s) {
    if (s instanceof On o) {
      return callOf(o.inner());
    }
    return s instanceof Bind b ? b.call() : s instanceof Try t ? t.call() : s instanceof Do d ? d.call() : null;
  }

  /** The names a line uses: its thread, its operations' receivers and the names in their arguments and conditions. */
  public static Set<String> uses(Statement s) {
    Set<String> out = new java.util.LinkedHashSet<>();
    if (s instanceof On o) {
      out.add(o.thread());
    }
    for (Call c : callsOf(s)) {
      if (c.receiver() != null) {
        out.add(c.receiver());
      }
      for (Arg a : c.args()) {
        if (a instanceof Ref r) {
          out.add(r.name());
        }
      }
    }
    for (Cond cond : condsOf(s instanceof On o ? o.inner() : s)) {
      for (Atom a : cond.atoms()) {
        if (a.ref() != null) {
          out.add(a.ref());
        }
        if (a.compare() != null) {
          for (Operand op : List.of(a.compare().left(), a.compare().right())) {
            if (op.arg() instanceof Ref r) {
              out.add(r.name());
            }
          }
        }
      }
    }
    return out;
  }

  /** Every operation a statement performs: its own and those of its conditions, in order. */
  public static List<Call> callsOf(Statement s) {
    if (s instanceof On o) {
      return callsOf(o.inner());
    }
    List<Call> out = new java.util.ArrayList<>();
    Call c = callOf(s);
    if (c != null) {
      out.add(c);
    }
    condsOf(s).forEach(cond -> cond.atoms().forEach(a -> out.addAll(a.calls())));
    return out;
  }

  /** The conditions of a statement: an expectation's or check's and its {@code when}, a skip's, a hazard line's. */
  private static List<Cond> condsOf(Statement s) {
    List<Cond> conds = new java.util.ArrayList<>();
    if (s instanceof Expect e) {
      conds.add(e.cond());
      conds.add(e.when());
    } else if (s instanceof Check k) {
      conds.add(k.cond());
      conds.add(k.when());
    } else if (s instanceof Skip k) {
      conds.add(k.cond());
    } else if (s instanceof Hazard h) {
      conds.add(h.cond());
    }
    conds.removeIf(java.util.Objects::isNull);
    return conds;
  }

  /** {@code T: LINE}: the line runs on thread {@code T} (set by {@code P.thread}) instead of the program's main flow. */
  public record On(int line, String thread, Statement inner) implements Statement {}

  /** A line that is only a comment (kept, so that printing a program keeps its explanation). */
  public record Comment(int line, String text) implements Statement {}

  /** {@code name = call}. */
  public record Bind(int line, String name, Call call) implements Statement {}

  /**
   * {@code name = try call}: the operation, whose failure does not end the program; {@code name} is set to
   * what it came to ({@link Kind#RESULT}): {@code OK}, its errno or its signal.
   */
  public record Try(int line, String name, Call call) implements Statement {}

  /** {@code call}: an operation whose value, if any, is not kept. */
  public record Do(int line, Call call) implements Statement {}

  /** {@code expect PROMISE "what" cond [if when]}: a check of a promise; skipped when {@code when} is false. */
  public record Expect(int line, Promise promise, String what, Cond cond, Cond when) implements Statement {}

  /**
   * {@code check "what" cond [if when]}: the program's own check of the kernel, whatever the strategy
   * promises, as a selftest's assertion; skipped when {@code when} is false.
   */
  public record Check(int line, String what, Cond cond, Cond when, String xfail) implements Statement {
    public Check(int line, String what, Cond cond, Cond when) {
      this(line, what, cond, when, null);
    }
  }

  /** {@code skip "why" if cond}: the program ends here, neither passing nor failing, as a selftest skips. */
  public record Skip(int line, String why, Cond cond) implements Statement {}

  /** {@code hazard KIND "detail" if cond}: the program's own observation of a hazard. */
  public record Hazard(int line, HazardKind kind, String detail, Cond cond) implements Statement {}

  /** An operation, performed by {@code receiver} (a process's name, {@code gpu}, or null for the machine). */
  public record Call(String receiver, Op op, List<Arg> args) {
    public Call {
      args = List.copyOf(args);
    }
  }

  /** An argument. */
  public sealed interface Arg permits Ref, Num, Word, Time {}

  /** A name bound earlier, with a byte offset for an address ({@code buf+4K}). */
  public record Ref(String name, long offset) implements Arg {}

  /** A time, in nanoseconds ({@code 5ms}). */
  public record Time(long ns) implements Arg {}

  /** A number or a size. */
  public record Num(long value) implements Arg {}

  /** A word: a name for a new process, a flag list, a capability, on or off. */
  public record Word(String text) implements Arg {}

  /** Atoms joined by {@code and}. */
  public record Cond(List<Atom> atoms) {
    public Cond {
      atoms = List.copyOf(atoms);
    }
  }

  /** {@code [not] call}, {@code [not] name} (a name bound to a BOOL) or {@code [not] left == right}: one of the three set. */
  public record Atom(boolean negated, Call call, String ref, Compare compare) {
    public Atom(boolean negated, Call call, String ref) {
      this(negated, call, ref, null);
    }

    /** The operations the atom performs, in order. */
    public List<Call> calls() {
      if (call != null) {
        return List.of(call);
      }
      if (compare == null) {
        return List.of();
      }
      return java.util.stream.Stream.of(compare.left(), compare.right()).filter(o -> o.call() != null).map(Operand::call).toList();
    }
  }

  /** Two values compared: sizes by any relation, addresses and results for (in)equality. */
  public record Compare(Operand left, Relation relation, Operand right) {}

  /** One side of a comparison: an operation's value, or an argument (a name, a number, a result's word such as EINVAL). */
  public record Operand(Call call, Arg arg) {}

  /** How two values of a comparison stand. */
  public enum Relation {
    EQ("=="),
    NE("!="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">=");

    private final String text;

    Relation(String text) {
      this.text = text;
    }

    /** As a program writes it. */
    public String text() {
      return text;
    }

    /** Whether {@code c}, the result of comparing the left side with the right, satisfies the relation. */
    public boolean test(int c) {
      return switch (this) {
        case EQ -> c == 0;
        case NE -> c != 0;
        case LT -> c < 0;
        case LE -> c <= 0;
        case GT -> c > 0;
        case GE -> c >= 0;
      };
    }

    /** The relation {@code text} writes, if it is one. */
    public static java.util.Optional<Relation> of(String text) {
      return java.util.Arrays.stream(values()).filter(r -> r.text.equals(text)).findFirst();
    }
  }
}
