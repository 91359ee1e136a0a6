package org.userptrlab.lab.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.lab.lang.Generator;
import org.userptrlab.lab.lang.Op;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Printer;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.scenarios.Catalogue;
import org.userptrlab.lab.scenarios.TextScenario;
import org.userptrlab.mm.KernelConfig;

/**
 * Random programs against the strategies: program {@code i} of the budget is generated from its
 * own seed (drawn from the run's seed and {@code i}, so any shard makes the same program {@code i}),
 * run under every strategy and kernel with the harness watching, and each failure it shows is
 * given a {@link Signature}; the first program showing a signature is shrunk to a minimal one.
 */
public final class Explorer {
  /** How many operations a generated program has after its import. */
  static final int STEPS = 14;

  private final Comparison cmp;
  private final List<String> strategies;
  private final List<KernelConfig> kernels;
  private final Set<Signature> catalogue = new TreeSet<>();

  public Explorer(Comparison cmp, List<String> strategies, List<KernelConfig> kernels) {
    this.cmp = cmp;
    this.strategies = List.copyOf(strategies);
    this.kernels = List.copyOf(kernels);
  }

  /** Program {@code index}'s text, as every shard generates it. */
  public static String program(long seed, long index) {
    long own = mix(seed * 0x9E3779B97F4A7C15L + index);
    return Generator.generate("explore-" + index, own, STEPS);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Explores programs {@code 0 .. budget-1} that fall to shard {@code shard} of {@code of} (1-based:
   * program {@code i} is shard {@code i % of + 1}'s), reporting each program done to {@code progress}.
   */
  public ExploreResult run(long seed, long budget, int shard, int of, LongConsumer progress) {
    return run(seed, budget, shard, of, progress, Deadline.NONE);
  }

  /**
   * As {@link #run(long, long, int, int, LongConsumer)}, stopping before the next program once
   * {@code deadline} has passed, counted from the first program (then the result depends on the
   * machine's speed, and says how many programs ran).
   */
  public ExploreResult run(long seed, long budget, int shard, int of, LongConsumer progress, Deadline deadline) {
    if (catalogue.isEmpty()) {
      for (RunResult r : cmp.run(runs(Catalogue.all()))) {
        catalogue.addAll(Signature.of(r));
      }
    }
    TreeMap<Signature, Finding> found = new TreeMap<>();
    long programs = 0;
    long errors = 0;
    deadline.start();
    for (long i = shard - 1; i < budget && !(programs > 0 && deadline.passed()); i += of) {
      String name = "explore-" + i;
      Program p = Parser.parse(name, program(seed, i));
      List<RunResult> results = cmp.run(runs(List.of(new TextScenario(name, p))));
      for (RunResult r : results) {
        if (r.verdict() == RunResult.Verdict.ERROR) {
          errors++;
          continue;
        }
        for (Signature sig : Signature.of(r)) {
          Finding f = found.get(sig);
          found.put(sig, f != null ? f.hit(1) : shrunk(sig, r.kernel(), p, i));
        }
      }
      programs++;
      progress.accept(1);
    }
    List<Integer> shards = List.of(shard);
    return new ExploreResult(seed, budget, shards, of, programs, errors, List.copyOf(found.values()));
  }

  private List<Comparison.Run> runs(List<? extends Scenario> scenarios) {
    List<Comparison.Run> out = new ArrayList<>();
    for (Scenario s : scenarios) {
      for (String strategy : strategies) {
        for (KernelConfig k : kernels) {
          out.add(new Comparison.Run(s, strategy, k));
        }
      }
    }
    return out;
  }

  private Finding shrunk(Signature sig, KernelConfig kernel, Program p, long index) {
    Shrinker shrinker = new Shrinker(q -> Signature.of(cmp.run(new TextScenario(q.name(), q), sig.strategy(), kernel)).contains(sig));
    Program min = shrinker.shrink(p);
    List<String> preamble = List.of(sig + ": the smallest program found, from program " + index + " of the run.",
        "Replay: userptr-lab run FILE --strategies " + sig.strategy() + " --kernels " + sig.kernel());
    Program named = new Program(preamble, sig.slug().replace('_', '-').replace('.', '-').replace('+', '-'), "shows " + sig,
        min.machine(), kernel, min.needs(), true, min.body());
    String text = Printer.print(named);
    TreeSet<String> events = new TreeSet<>();
    int lines = 0;
    for (Program.Statement s : min.body()) {
      Program.Call c = Program.callOf(s);
      if (c != null) {
        lines++;
        if (EVENTS.contains(c.op())) {
          events.add(c.op().word());
        }
      } else if (!(s instanceof Program.Comment)) {
        lines++;
      }
    }
    return new Finding(sig, index, 1, text, lines, List.copyOf(events), catalogue.contains(sig));
  }

  /** The operations that act on an imported range, named in a finding. */
  private static final Set<Op> EVENTS = Set.of(Op.FORK, Op.EXEC, Op.EXIT, Op.FREE, Op.MUNLOCK, Op.MADVISE, Op.MPROTECT, Op.PRESSURE,
      Op.COMPACT, Op.CMA_ALLOC, Op.CLOSE, Op.GPU_WRITE, Op.USERPTR, Op.SETRLIMIT_MEMLOCK, Op.MLOCK);

  /** Several shards' results as the one run they were split from. */
  public static ExploreResult merge(List<ExploreResult> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("nothing to merge");
    }
    ExploreResult first = parts.get(0);
    TreeMap<Signature, Finding> found = new TreeMap<>();
    TreeSet<Integer> shards = new TreeSet<>();
    long programs = 0;
    long errors = 0;
    for (ExploreResult r : parts) {
      if (r.seed() != first.seed() || r.budget() != first.budget() || r.of() != first.of()) {
        throw new IllegalArgumentException("these results come from different runs (seed, budget or shard count differ)");
      }
      for (int s : r.shards()) {
        if (!shards.add(s)) {
          throw new IllegalArgumentException("shard " + s + "/" + r.of() + " is given twice");
        }
      }
      programs += r.programs();
      errors += r.errors();
      for (Finding f : r.findings()) {
        Finding had = found.get(f.signature());
        // The program with the lowest index is the one a single run would have shrunk.
        found.put(f.signature(), had == null ? f : (had.first() < f.first() ? had.hit(f.hits()) : f.hit(had.hits())));
      }
    }
    List<String> missing = new ArrayList<>();
    for (int s = 1; s <= first.of(); s++) {
      if (!shards.contains(s)) {
        missing.add(s + "/" + first.of());
      }
    }
    if (!missing.isEmpty()) {
      // Half a set would read as a whole run that found less.
      throw new IllegalArgumentException((missing.size() == 1 ? "shard " : "shards ") + String.join(", ", missing)
          + (missing.size() == 1 ? " is" : " are") + " missing: give the output of every shard");
    }
    return new ExploreResult(first.seed(), first.budget(), List.copyOf(shards), first.of(), programs, errors,
        List.copyOf(found.values()));
  }
}
