package org.userptrlab.lab.explore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.lang.Program.Statement;

/**
 * Other interleavings of a program's threads. A program's lines run in the order written, so an
 * interleaving is the same lines in another order: each thread's lines (the main flow's, and each
 * {@code T: LINE} thread's) keep their own order, a line comes after the lines that set the names
 * it uses, and a process's exit after every line before it that uses the process. Short programs
 * get every interleaving; others a few drawn as probabilistic concurrency testing draws them
 * (PCT: random priorities for the threads, lowered at random points), from a seed. A program
 * with one thread has only the order written.
 */
final class Schedules {
  /** Up to this many interleavings, a program gets them all. */
  static final int ALL_UP_TO = 6;
  /** Past that, how many PCT draws it gets. */
  static final int DRAWS = 3;
  /** PCT's depth: priority change points, plus one. */
  static final int DEPTH = 2;

  private final Program program;
  private final List<Statement> body;
  /** The thread each line runs on ("" for the main flow), by line index. */
  private final String[] flowOf;
  /** The lines each line must follow, by index. */
  private final List<Set<Integer>> after = new ArrayList<>();
  private final Map<String, List<Integer>> flows = new LinkedHashMap<>();

  private Schedules(Program program) {
    this.program = program;
    this.body = program.body();
    this.flowOf = new String[body.size()];
    Map<String, Integer> setAt = new java.util.HashMap<>();
    List<Set<String>> used = new ArrayList<>();
    for (int i = 0; i < body.size(); i++) {
      Statement s = body.get(i);
      used.add(Program.uses(s));
      flowOf[i] = s instanceof Program.On o ? o.thread() : "";
      flows.computeIfAbsent(flowOf[i], f -> new ArrayList<>()).add(i);
      Set<Integer> deps = new HashSet<>();
      for (String n : used.get(i)) {
        Integer at = setAt.get(n);
        if (at != null) {
          deps.add(at);
        }
      }
      String exiting = exits(s);
      String set = sets(s);
      for (int j = 0; j < i; j++) {
        // A process's exit after every line that uses it; a name set again after every line that used it before.
        if ((exiting != null && used.get(j).contains(exiting)) || (set != null && used.get(j).contains(set))) {
          deps.add(j);
        }
      }
      after.add(deps);
      if (set != null) {
        setAt.put(set, i);
      }
    }
  }

  /**
   * The interleavings of {@code p} other than the order written, each a program of the same lines
   * in another order: all of them if there are few, else {@link #DRAWS} drawn from {@code seed}.
   */
  static List<Program> of(Program p, long seed) {
    if (p.body().stream().noneMatch(s -> s instanceof Program.On)) {
      return List.of();
    }
    Schedules s = new Schedules(p);
    List<List<Integer>> orders = new ArrayList<>();
    s.enumerate(new ArrayList<>(), new int[s.flows.size()], orders, ALL_UP_TO + 1);
    if (orders.size() > ALL_UP_TO) {
      orders.clear();
      SplittableRandom rnd = new SplittableRandom(seed);
      for (int d = 0; d < DRAWS; d++) {
        List<Integer> o = s.pct(rnd);
        if (!orders.contains(o)) {
          orders.add(o);
        }
      }
    }
    List<Integer> written = new ArrayList<>();
    for (int i = 0; i < s.body.size(); i++) {
      written.add(i);
    }
    List<Program> out = new ArrayList<>();
    for (List<Integer> o : orders) {
      if (!o.equals(written)) {
        out.add(s.program(o));
      }
    }
    return out;
  }

  private Program program(List<Integer> order) {
    List<Statement> b = new ArrayList<>();
    for (int i : order) {
      b.add(body.get(i));
    }
    return new Program(program.preamble(), program.name(), program.description(), program.machine(), program.kernel(),
        program.needs(), program.observe(), b);
  }

  /** Every order, depth first, until {@code cap} of them are found. */
  private void enumerate(List<Integer> done, int[] next, List<List<Integer>> out, int cap) {
    if (out.size() >= cap) {
      return;
    }
    if (done.size() == body.size()) {
      out.add(List.copyOf(done));
      return;
    }
    int f = 0;
    for (List<Integer> lines : flows.values()) {
      if (next[f] < lines.size() && ready(lines.get(next[f]), done)) {
        done.add(lines.get(next[f]));
        next[f]++;
        enumerate(done, next, out, cap);
        next[f]--;
        done.remove(done.size() - 1);
      }
      f++;
    }
  }

  /** One PCT order: the ready flow of highest priority runs; at each change point the running flow drops below all. */
  private List<Integer> pct(SplittableRandom rnd) {
    int n = flows.size();
    double[] priority = new double[n];
    for (int f = 0; f < n; f++) {
      priority[f] = DEPTH + rnd.nextDouble();
    }
    Set<Integer> changes = new HashSet<>();
    for (int d = 1; d < DEPTH; d++) {
      changes.add(rnd.nextInt(body.size()));
    }
    List<List<Integer>> lines = new ArrayList<>(flows.values());
    int[] next = new int[n];
    List<Integer> done = new ArrayList<>();
    while (done.size() < body.size()) {
      int best = -1;
      for (int f = 0; f < n; f++) {
        if (next[f] < lines.get(f).size() && ready(lines.get(f).get(next[f]), done) && (best < 0 || priority[f] > priority[best])) {
          best = f;
        }
      }
      if (best < 0) {
        throw new IllegalStateException("no line of " + program.name() + " can run next");
      }
      done.add(lines.get(best).get(next[best]++));
      if (changes.contains(done.size())) {
        priority[best] = rnd.nextDouble();
      }
    }
    return done;
  }

  private boolean ready(int line, List<Integer> done) {
    return done.containsAll(after.get(line));
  }

  /** The name a line sets, or null. */
  private static String sets(Statement s) {
    Statement in = s instanceof Program.On o ? o.inner() : s;
    return in instanceof Program.Bind b ? b.name() : in instanceof Program.Try t ? t.name() : null;
  }

  /** The process a line ends ({@code P.exit}, {@code oom_kill P}), or null. */
  private static String exits(Statement s) {
    Program.Call c = Program.callOf(s);
    if (c == null) {
      return null;
    }
    return switch (c.op()) {
      case EXIT -> c.receiver();
      case OOM_KILL -> c.args().get(0) instanceof Program.Ref r ? r.name() : null;
      default -> null;
    };
  }
}
