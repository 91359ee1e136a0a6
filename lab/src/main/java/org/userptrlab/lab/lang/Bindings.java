package org.userptrlab.lab.lang;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.userptrlab.lab.lang.Program.Arg;

/**
 * The values a running program has set, by name, and its operations' arguments read through them:
 * what the model's interpreter and the real kernel's share, each with its own kind of value.
 */
public final class Bindings {
  private final Map<String, Object> values = new HashMap<>();
  /** The kind of each name's value where its line said it (an operation's result), for what a check shows of it. */
  private final Map<String, Kind> kinds = new HashMap<>();

  public void put(String name, Object value) {
    put(name, value, null);
  }

  /** Sets {@code name} to {@code value}, of {@code kind} (null where not known). */
  public void put(String name, Object value, Kind kind) {
    values.put(name, value);
    if (kind == null) {
      kinds.remove(name);
    } else {
      kinds.put(name, kind);
    }
  }

  public Object get(String name) {
    return values.get(name);
  }

  /** Argument {@code i} as a number: a literal, or a name set to one. */
  public long num(List<Arg> args, int i) {
    if (args.get(i) instanceof Program.Time t) {
      return t.ns();
    }
    return args.get(i) instanceof Program.Num n ? n.value() : (Long) values.get(((Program.Ref) args.get(i)).name());
  }

  /** Argument {@code i} as a word. */
  public String word(List<Arg> args, int i) {
    return ((Program.Word) args.get(i)).text();
  }

  /** Argument {@code i} as an address: the name's value plus its offset. */
  public long addr(List<Arg> args, int i) {
    Program.Ref r = (Program.Ref) args.get(i);
    return (Long) values.get(r.name()) + r.offset();
  }

  /** The value the name in argument {@code i} was set to. */
  public <T> T ref(List<Arg> args, int i, Class<T> type) {
    return type.cast(values.get(((Program.Ref) args.get(i)).name()));
  }

  /** Whether every atom of {@code cond} holds, each call performed by {@code perform} in turn; stops at the first that does not. */
  public boolean holds(Program.Cond cond, java.util.function.Function<Program.Call, Object> perform) {
    return test(cond, perform).held();
  }

  /**
   * What a condition came to: whether it held and, where it did not, what its first atom that did not
   * hold saw ({@code p.stalled was 0ns}, {@code gpu.sees obj 7 was false}), else null.
   */
  public record Outcome(boolean held, String seen) {}

  /** As {@link #holds}, saying what the atom that did not hold saw; each call is performed once. */
  public Outcome test(Program.Cond cond, java.util.function.Function<Program.Call, Object> perform) {
    for (Program.Atom a : cond.atoms()) {
      if (a.compare() != null) {
        Program.Compare c = a.compare();
        Object l = value(c.left(), perform);
        Object r = value(c.right(), perform);
        int order = l instanceof Long x ? Long.compareUnsigned(x, (Long) r) : l.equals(r) ? 0 : 1;
        if (c.relation().test(order) == a.negated()) {
          // Two values written out have nothing to show: the comparison itself is what failed.
          String seen = seen(c, l, r);
          return new Outcome(false, seen.isEmpty() ? (a.negated() ? "not " : "") + Printer.compare(c) + " never holds" : seen);
        }
        continue;
      }
      boolean v = a.call() != null ? (Boolean) perform.apply(a.call()) : (Boolean) values.get(a.ref());
      if (v == a.negated()) {
        return new Outcome(false, (a.call() != null ? Printer.call(a.call()) : a.ref()) + " was " + v);
      }
    }
    return new Outcome(true, null);
  }

  /** The sides of a comparison that are not written out, with their values: {@code p.stalled was 0ns}. */
  private String seen(Program.Compare c, Object left, Object right) {
    Kind kind = kind(c.left()).or(() -> kind(c.right())).orElse(Kind.SIZE);
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Program.Operand o = i == 0 ? c.left() : c.right();
      Object v = i == 0 ? left : right;
      if (o.call() != null || o.arg() instanceof Program.Ref) {
        parts.add((o.call() != null ? Printer.call(o.call()) : Printer.arg(o.arg())) + " was " + shown(v, kind));
      }
    }
    return String.join(" and ", parts);
  }

  /** The kind of an operand's value, where it is known: an operation's result, a time, a name's, an address with an offset. */
  private Optional<Kind> kind(Program.Operand o) {
    if (o.call() != null) {
      return o.call().op().result();
    }
    if (o.arg() instanceof Program.Time) {
      return Optional.of(Kind.DURATION);
    }
    if (o.arg() instanceof Program.Ref r) {
      return r.offset() != 0 ? Optional.of(Kind.ADDR) : Optional.ofNullable(kinds.get(r.name()));
    }
    return Optional.empty();
  }

  /** A value as a program would write it: a time, an address in hex, a size, a word. */
  private static String shown(Object v, Kind kind) {
    if (!(v instanceof Long n)) {
      return String.valueOf(v);
    }
    return switch (kind) {
      case DURATION -> {
        String exact = Printer.time(n);
        yield n >= 10_000 && exact.endsWith("ns") ? exact + " (about " + Printer.approximateTime(n) + ")" : exact;
      }
      case ADDR -> "0x" + Long.toHexString(n);
      default -> Printer.size(n);
    };
  }

  /** An operand's value: the operation's, an address with its offset, a number, or a result's word. */
  private Object value(Program.Operand o, java.util.function.Function<Program.Call, Object> perform) {
    if (o.call() != null) {
      return perform.apply(o.call());
    }
    if (o.arg() instanceof Program.Num n) {
      return n.value();
    }
    if (o.arg() instanceof Program.Word w) {
      return w.text();
    }
    if (o.arg() instanceof Program.Time t) {
      return t.ns();
    }
    Program.Ref r = (Program.Ref) o.arg();
    Object v = values.get(r.name());
    return v instanceof Long x ? x + r.offset() : v;
  }
}
