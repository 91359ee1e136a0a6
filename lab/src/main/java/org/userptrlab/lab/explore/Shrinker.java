package org.userptrlab.lab.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Printer;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.lang.Program.Statement;
import org.userptrlab.lab.lang.ProgramError;

/**
 * Delta debugging of a failing program (Zeller's ddmin): first over its lines, dropping chunks
 * while the program still fails the same way, then over its sizes, halving them towards a page.
 * A candidate that no longer reads (a name used before it is set) does not fail the same way.
 */
final class Shrinker {
  private final Predicate<Program> failsTheSameWay;

  Shrinker(Predicate<Program> failsTheSameWay) {
    this.failsTheSameWay = failsTheSameWay;
  }

  /**
   * Lines, then sizes, then lines again while that drops some: a line a large buffer needed (a thread
   * whose CPU took a shootdown) may not be needed once the buffer is a page.
   */
  Program shrink(Program p) {
    Program best = smallerSizes(linesOf(p));
    for (int pass = 0; pass < 3; pass++) {
      Program fewer = linesOf(best);
      if (fewer.body().size() >= best.body().size()) {
        break;
      }
      best = smallerSizes(fewer);
    }
    return best;
  }

  /** ddmin over the lines. */
  private Program linesOf(Program p) {
    List<Statement> kept = new ArrayList<>(p.body().stream().filter(s -> !(s instanceof Program.Comment)).toList());
    int n = 2;
    while (kept.size() >= 2) {
      int chunk = (kept.size() + n - 1) / n;
      boolean reduced = false;
      for (int start = 0; start < kept.size(); start += chunk) {
        List<Statement> complement = new ArrayList<>(kept.subList(0, start));
        complement.addAll(kept.subList(Math.min(kept.size(), start + chunk), kept.size()));
        Program candidate = reread(p, complement);
        if (candidate != null && failsTheSameWay.test(candidate)) {
          kept = complement;
          n = Math.max(n - 1, 2);
          reduced = true;
          break;
        }
      }
      if (!reduced) {
        if (n >= kept.size()) {
          break;
        }
        n = Math.min(2 * n, kept.size());
      }
    }
    Program best = reread(p, kept);
    return best == null ? p : best;
  }

  /**
   * Halves each size while the program still fails the same way, down to a page. A size is
   * changed everywhere it is written at once, so that a buffer, its fill and its import stay one size.
   */
  private Program smallerSizes(Program p) {
    Program best = p;
    for (long size : sizes(p)) {
      long current = size;
      for (long v = Math.max(4096, (size / 2) & -4096L); v < current; v = Math.max(4096, (v / 2) & -4096L)) {
        Program candidate = replaced(best, current, v);
        if (candidate == null || !failsTheSameWay.test(candidate)) {
          break;
        }
        best = candidate;
        current = v;
      }
    }
    return best;
  }

  /** The sizes of at least two pages the program writes, largest first. */
  private static List<Long> sizes(Program p) {
    java.util.TreeSet<Long> out = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
    for (Statement s : p.body()) {
      Program.Call c = Program.callOf(s);
      if (c != null) {
        for (Program.Arg a : c.args()) {
          if (a instanceof Program.Num n && n.value() >= 8192) {
            out.add(n.value());
          }
        }
      }
    }
    return List.copyOf(out);
  }

  private static Program replaced(Program p, long from, long to) {
    List<Statement> body = new ArrayList<>();
    for (Statement s : p.body()) {
      Program.Call c = Program.callOf(s);
      if (c == null) {
        body.add(s);
        continue;
      }
      List<Program.Arg> args = new ArrayList<>();
      for (Program.Arg a : c.args()) {
        args.add(a instanceof Program.Num n && n.value() == from ? new Program.Num(to) : a);
      }
      // A try stays a try: its errno is what the program goes on with.
      body.add(Mutator.withCall(s, new Program.Call(c.receiver(), c.op(), args)));
    }
    return reread(p, body);
  }

  /** {@code p} with {@code body}, printed and read again so that the names are checked; null if it no longer reads. */
  static Program reread(Program p, List<Statement> body) {
    Program q = new Program(p.preamble(), p.name(), p.description(), p.machine(), p.kernel(), p.needs(), p.observe(), body);
    try {
      return Parser.parse(p.name(), Printer.print(q));
    } catch (ProgramError e) {
      return null;
    }
  }
}
