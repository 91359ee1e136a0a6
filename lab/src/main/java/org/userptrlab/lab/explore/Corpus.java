package org.userptrlab.lab.explore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Printer;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.mm.Coverage;

/**
 * The programs worth mutating, as syzkaller keeps its corpus: each that reached something no
 * program before it had (a counter, a model path, a kernel change consulted a new way, a hazard
 * or a broken promise under a strategy and kernel), with what it added. Seeded with the catalogue
 * and a user's programs.
 */
final class Corpus {
  /** A kept program, how many points of coverage and outcomes it was the first to reach, and whether it was a seed. */
  record Entry(Program program, int added, boolean seed) {}

  private final List<Entry> entries = new ArrayList<>();
  private final Set<String> texts = new HashSet<>();
  private final Set<Signature> outcomes = new HashSet<>();
  private Coverage reached = Coverage.NONE;

  /**
   * Keeps {@code p} if it reached coverage or an outcome not reached before (and is not kept
   * already); returns whether it did.
   */
  boolean admit(Program p, Coverage coverage, List<Signature> shown, boolean seed) {
    int before = reached.size() + outcomes.size();
    reached = reached.union(coverage);
    outcomes.addAll(shown);
    int added = reached.size() + outcomes.size() - before;
    String text = Printer.print(p);
    if (added == 0 || !texts.add(text)) {
      return false;
    }
    // Kept as its text reads back, which is how the corpus travels to another machine: mutants of it are the same there.
    entries.add(new Entry(Parser.parse(p.name(), text), added, seed));
    return true;
  }

  /** The kept programs, seeds first, in the order they were kept. */
  List<Program> programs() {
    return entries.stream().map(Entry::program).toList();
  }

  /** The failures every program run so far showed between them. */
  Set<Signature> outcomes() {
    return Set.copyOf(outcomes);
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  int size() {
    return entries.size();
  }

  Entry get(int i) {
    return entries.get(i);
  }

  /** The explored programs kept (the seeds left out), in the order they were. */
  List<Program> explored() {
    return entries.stream().filter(e -> !e.seed()).map(Entry::program).toList();
  }

  /** What every program run so far reached between them. */
  Coverage reached() {
    return reached;
  }
}
