package org.userptrlab.lab.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.lang.Program.Statement;

/**
 * Makes a program near one of the corpus, as syzkaller mutates its corpus: a line deleted,
 * duplicated or moved, two neighbours swapped, a size or offset changed (halved, doubled, a page
 * more or less, unaligned by 16 bytes, made 2 MiB), lines spliced in from a second program, or the
 * machine changed (THP always, a CMA region, less RAM). What no longer reads (a name used before it
 * is set) is not a mutant; the caller tries again.
 */
final class Mutator {
  private static final long PAGE = 4096;
  private static final long THP = 2L << 20;

  private final SplittableRandom rnd;

  Mutator(SplittableRandom rnd) {
    this.rnd = rnd;
  }

  /** One to three mutations of {@code p} (with {@code donor} for a splice), or null when what came out does not read. */
  Program mutate(Program p, Program donor) {
    List<Statement> body = new ArrayList<>(p.body().stream().filter(s -> !(s instanceof Program.Comment)).toList());
    List<Program.Setting> machine = new ArrayList<>(p.machine());
    int n = 1 + rnd.nextInt(3);
    for (int i = 0; i < n && !body.isEmpty(); i++) {
      switch (rnd.nextInt(8)) {
        case 0 -> body.remove(rnd.nextInt(body.size()));
        case 1 -> body.add(rnd.nextInt(body.size() + 1), body.get(rnd.nextInt(body.size())));
        case 2 -> {
          int at = rnd.nextInt(body.size());
          Statement s = body.remove(at);
          body.add(rnd.nextInt(body.size() + 1), s);
        }
        case 3 -> {
          if (body.size() > 1) {
            int at = rnd.nextInt(body.size() - 1);
            body.set(at, body.set(at + 1, body.get(at)));
          }
        }
        case 4, 5 -> {
          int at = rnd.nextInt(body.size());
          Statement changed = withNumber(body.get(at));
          if (changed != null) {
            body.set(at, changed);
          }
        }
        case 6 -> splice(body, donor);
        default -> machine = mutateMachine(machine);
      }
    }
    Program q = new Program(p.preamble(), p.name(), p.description(), machine, p.kernel(), p.needs(), p.observe(), body);
    return Shrinker.reread(q, body);
  }

  /** Lines of {@code donor} (a run of one to four, from where its import is made on) put in at a random place. */
  private void splice(List<Statement> body, Program donor) {
    List<Statement> from = donor.body().stream().filter(s -> !(s instanceof Program.Comment)).toList();
    if (from.isEmpty()) {
      return;
    }
    int start = rnd.nextInt(from.size());
    int len = Math.min(from.size() - start, 1 + rnd.nextInt(4));
    body.addAll(rnd.nextInt(body.size() + 1), from.subList(start, start + len));
  }

  /** The statement with one of its numbers changed, or null if it has none. */
  private Statement withNumber(Statement s) {
    Program.Call c = Program.callOf(s);
    if (c == null) {
      return null;
    }
    List<Integer> nums = new ArrayList<>();
    for (int i = 0; i < c.args().size(); i++) {
      if (c.args().get(i) instanceof Program.Num || c.args().get(i) instanceof Program.Ref) {
        nums.add(i);
      }
    }
    if (nums.isEmpty()) {
      return null;
    }
    int i = nums.get(rnd.nextInt(nums.size()));
    List<Program.Arg> args = new ArrayList<>(c.args());
    Program.Arg a = args.get(i);
    if (a instanceof Program.Num num) {
      args.set(i, new Program.Num(number(num.value())));
    } else if (a instanceof Program.Ref r) {
      // An address: an offset into the buffer moved by a page, or unaligned.
      long offset = Math.max(0, r.offset() + (rnd.nextBoolean() ? PAGE : -PAGE) + (rnd.nextInt(4) == 0 ? 16 : 0));
      args.set(i, new Program.Ref(r.name(), offset));
    }
    return withCall(s, new Program.Call(c.receiver(), c.op(), args));
  }

  /** {@code s} (a bind, a try or a plain call) making {@code call} instead. */
  static Statement withCall(Statement s, Program.Call call) {
    return s instanceof Program.Bind b ? new Program.Bind(b.line(), b.name(), call)
        : s instanceof Program.Try t ? new Program.Try(t.line(), t.name(), call) : new Program.Do(s.line(), call);
  }

  private long number(long v) {
    long out = switch (rnd.nextInt(6)) {
      case 0 -> v / 2;
      case 1 -> v * 2;
      case 2 -> v + PAGE;
      case 3 -> v - PAGE;
      case 4 -> v + 16;
      default -> THP;
    };
    return out <= 0 ? PAGE : Math.min(out, 64L << 20);
  }

  /** The machine with THP always, a CMA region, or half the RAM (none below 4 MiB). */
  private List<Program.Setting> mutateMachine(List<Program.Setting> machine) {
    List<Program.Setting> out = new ArrayList<>(machine);
    switch (rnd.nextInt(3)) {
      case 0 -> set(out, Program.Setting.thp(org.userptrlab.mm.MachineConfig.Thp.ALWAYS));
      case 1 -> set(out, new Program.Setting("cma", (1 + rnd.nextInt(4)) << 20));
      default -> {
        for (int i = 0; i < out.size(); i++) {
          if (out.get(i).key().equals("ram")) {
            out.set(i, new Program.Setting("ram", Math.max(4L << 20, out.get(i).value() / 2)));
          }
        }
      }
    }
    return out;
  }

  private static void set(List<Program.Setting> machine, Program.Setting s) {
    machine.removeIf(x -> x.key().equals(s.key()) && x.size() == s.size());
    machine.add(s);
  }
}
