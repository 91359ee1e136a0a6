package org.userptrlab.lab.lang;

import java.util.ArrayList;
import java.util.List;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.lab.lang.Program.Arg;
import org.userptrlab.lab.lang.Program.Atom;
import org.userptrlab.lab.lang.Program.Call;
import org.userptrlab.lab.lang.Program.Cond;
import org.userptrlab.lab.lang.Program.Statement;

/**
 * Writes a program in canonical form: the header in a fixed order, one statement a line, single
 * spaces, sizes in the largest exact unit. Reading what it writes gives the same program back.
 */
public final class Printer {
  private Printer() {}

  public static String print(Program p) {
    StringBuilder sb = new StringBuilder();
    p.preamble().forEach(c -> sb.append(c.isEmpty() ? "#" : "# " + c).append('\n'));
    sb.append("scenario ").append(p.name());
    if (!p.description().isEmpty()) {
      sb.append(' ').append(quote(p.description()));
    }
    sb.append('\n');
    if (!p.machine().isEmpty()) {
      sb.append("machine");
      p.machine().forEach(s -> sb.append(' ').append(s.key()).append(' ').append(s.size() != 0 ? size(s.size()) + " " : "")
          .append(s.key().equals("thp") ? s.thpMode().sysfsName() : s.key().equals("thp_zero_page") ? s.value() != 0 ? "on" : "off"
              : s.key().equals("thp_defrag") ? s.thpDefragMode().sysfsName() : size(s.value())));
      sb.append('\n');
    }
    if (p.kernel() != null) {
      sb.append("kernel ").append(p.kernel().name()).append('\n');
    }
    if (!p.needs().isEmpty()) {
      sb.append("needs");
      for (Promise promise : Promise.values()) {
        if (p.needs().contains(promise)) {
          sb.append(' ').append(promise.name());
        }
      }
      sb.append('\n');
    }
    if (p.observe()) {
      sb.append("observe\n");
    }
    sb.append('\n');
    for (Statement s : p.body()) {
      sb.append(statement(s)).append('\n');
    }
    return sb.toString();
  }

  /** A time in the largest unit that writes it exactly: 5ms, 1500us, 7ns. */
  static String time(long ns) {
    if (ns != 0 && ns % 1_000_000_000L == 0) {
      return ns / 1_000_000_000L + "s";
    }
    if (ns != 0 && ns % 1_000_000L == 0) {
      return ns / 1_000_000L + "ms";
    }
    if (ns != 0 && ns % 1_000L == 0) {
      return ns / 1_000L + "us";
    }
    return ns + "ns";
  }

  static String statement(Statement s) {
    if (s instanceof Program.On o) {
      return o.thread() + ": " + statement(o.inner());
    }
    if (s instanceof Program.Comment c) {
      return c.text().isEmpty() ? "#" : "# " + c.text();
    }
    if (s instanceof Program.Bind b) {
      return b.name() + " = " + call(b.call());
    }
    if (s instanceof Program.Try t) {
      return t.name() + " = try " + call(t.call());
    }
    if (s instanceof Program.Do d) {
      return call(d.call());
    }
    if (s instanceof Program.Check c) {
      return "check " + quote(c.what()) + " " + cond(c.cond()) + (c.when() == null ? "" : " if " + cond(c.when()))
          + (c.xfail() == null ? "" : " xfail " + quote(c.xfail()));
    }
    if (s instanceof Program.Skip k) {
      return "skip " + quote(k.why()) + " if " + cond(k.cond());
    }
    if (s instanceof Program.Expect e) {
      return "expect " + e.promise().name() + " " + quote(e.what()) + " " + cond(e.cond())
          + (e.when() == null ? "" : " if " + cond(e.when()));
    }
    Program.Hazard h = (Program.Hazard) s;
    return "hazard " + h.kind().name() + " " + quote(h.detail()) + " if " + cond(h.cond());
  }

  /** One operation as a program writes it. */
  public static String call(Call c) {
    List<String> parts = new ArrayList<>();
    parts.add((c.receiver() == null ? "" : c.receiver() + ".") + c.op().word());
    for (Arg a : c.args()) {
      parts.add(arg(a));
    }
    return String.join(" ", parts);
  }

  static String arg(Arg a) {
    if (a instanceof Program.Ref r) {
      return r.offset() == 0 ? r.name() : r.name() + (r.offset() > 0 ? "+" : "-") + size(Math.abs(r.offset()));
    }
    if (a instanceof Program.Num n) {
      // Only sbrk's increment is negative.
      return n.value() < 0 ? "-" + size(-n.value()) : size(n.value());
    }
    if (a instanceof Program.Time t) {
      return time(t.ns());
    }
    return ((Program.Word) a).text();
  }

  private static String cond(Cond c) {
    List<String> parts = new ArrayList<>();
    for (Atom a : c.atoms()) {
      String atom = a.call() != null ? call(a.call()) : a.ref() != null ? a.ref() : compare(a.compare());
      parts.add((a.negated() ? "not " : "") + atom);
    }
    return String.join(" and ", parts);
  }

  /** A comparison as a program writes it: {@code p.vm_rss <= 4M}. */
  static String compare(Program.Compare c) {
    return operand(c.left()) + " " + c.relation().text() + " " + operand(c.right());
  }

  private static String operand(Program.Operand o) {
    return o.call() != null ? call(o.call()) : arg(o.arg());
  }

  /** A size in the largest unit that divides it: 4K, 1M, 2G, 1T, or plain bytes. */
  public static String size(long v) {
    if (v != 0 && v % (1L << 40) == 0) {
      return (v >> 40) + "T";
    }
    if (v != 0 && v % (1L << 30) == 0) {
      return (v >> 30) + "G";
    }
    if (v != 0 && v % (1L << 20) == 0) {
      return (v >> 20) + "M";
    }
    if (v != 0 && v % (1L << 10) == 0) {
      return (v >> 10) + "K";
    }
    return Long.toString(v);
  }

  /** A string as a program writes it, with the escapes the parser reads. */
  /** A time to three figures in the largest unit under it, for a person: 5.06ms, 86400s. */
  static String approximateTime(long ns) {
    String[] units = {"s", "ms", "us"};
    long[] scale = {1_000_000_000L, 1_000_000L, 1_000L};
    for (int i = 0; i < units.length; i++) {
      if (ns >= scale[i]) {
        double v = (double) ns / scale[i];
        return (v >= 100 ? String.format(java.util.Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(java.util.Locale.ROOT, "%.1f", v)
            : String.format(java.util.Locale.ROOT, "%.2f", v)) + units[i];
      }
    }
    return ns + "ns";
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
