package org.userptrlab.lab.explore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.lab.lang.Generator;
import org.userptrlab.lab.lang.Op;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.lang.Printer;
import org.userptrlab.lab.lang.Program;
import org.userptrlab.lab.lang.Programs;
import org.userptrlab.lab.scenarios.Catalogue;
import org.userptrlab.lab.scenarios.TextScenario;
import org.userptrlab.mm.Coverage;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;

/**
 * Programs against the strategies, guided by what they reach: program {@code i} of the budget is
 * either generated afresh from its own seed (drawn from the run's seed and {@code i}) or made by
 * mutating a program of the {@link Corpus}: the catalogue's and the user's programs, and every
 * explored program that reached a counter, a model path, a kernel change's branch or an outcome
 * no program before it had. Each runs under every strategy and kernel with the harness watching,
 * each failure it shows is given a {@link Signature}, and the first program showing a signature is
 * shrunk to a minimal one. The programs go in {@link Round}s, each made from the corpus as its round
 * began, so that an {@link ExploreEngine} may run a round's programs anywhere: the same seed and
 * shard explore the same programs and find the same, on one machine or many.
 */
public final class Explorer {
  /** How many operations a generated program has after its import. */
  static final int STEPS = 14;

  private final Comparison cmp;
  private final List<String> strategies;
  private final List<KernelConfig> kernels;
  /** What the run is made with besides its seed, which its result records for merge. */
  private final ExploreSetup setup;
  private final Set<Signature> catalogue = new TreeSet<>();
  /** The programs the corpus starts from: the catalogue's, then the user's. */
  private final List<Program> seeds = new ArrayList<>();
  /** The user's own programs ({@code --corpus}), which half the mutants are made from. */
  private final List<Program> users;
  /** What each seed reached and showed, once run. */
  private final List<Coverage> seedCoverage = new ArrayList<>();
  private final List<List<Signature>> seedShown = new ArrayList<>();

  public Explorer(Comparison cmp, List<String> strategies, List<KernelConfig> kernels) {
    this(cmp, strategies, kernels, List.of());
  }

  /** An explorer whose corpus starts from the catalogue and {@code userPrograms} too ({@code explore --corpus}). */
  public Explorer(Comparison cmp, List<String> strategies, List<KernelConfig> kernels, List<Program> userPrograms) {
    this.cmp = cmp;
    this.strategies = List.copyOf(strategies);
    this.kernels = List.copyOf(kernels);
    this.setup = ExploreSetup.of(cmp.options(), this.strategies, this.kernels);
    for (Scenario s : Catalogue.all()) {
      seeds.add(((TextScenario) s).program());
    }
    seeds.addAll(userPrograms);
    // As their text reads back, as a machine the run is spread to reads them: their mutants are the same there.
    this.users = userPrograms.stream().map(p -> Parser.parse(p.name(), Printer.print(p))).toList();
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
    return run(seed, budget, shard, of, progress, deadline, here);
  }

  /**
   * As {@link #run(long, long, int, int, LongConsumer, Deadline)}, the programs run and shrunk by
   * {@code engine}: the same result for the same seed, wherever the engine runs them.
   */
  public ExploreResult run(long seed, long budget, int shard, int of, LongConsumer progress, Deadline deadline, ExploreEngine engine) {
    if (seedCoverage.isEmpty()) {
      runSeeds();
    }
    Corpus corpus = new Corpus();
    for (int s = 0; s < seeds.size(); s++) {
      corpus.admit(seeds.get(s), seedCoverage.get(s), seedShown.get(s), true);
    }
    TreeMap<Signature, Candidate> first = new TreeMap<>();
    long programs = 0;
    long errors = 0;
    deadline.start();
    for (long start = 0; start < budget && !(programs > 0 && deadline.passed()); start = Round.end(start, budget)) {
      Round round = new Round(seed, start, Round.end(start, budget), corpus.programs(), corpus.reached(), corpus.outcomes());
      long[] indices = round.indices(shard, of);
      if (indices.length == 0) {
        continue;
      }
      // The corpus takes the round's programs in index order once the round is over: the same wherever they ran.
      for (Outcome o : engine.run(round, indices, progress, deadline)) {
        errors += o.errors();
        for (Candidate c : o.found()) {
          first.merge(c.signature(), c, Candidate::and);
        }
        if (o.offered()) {
          corpus.admit(o.program(), o.reached(), o.shown(), false);
        }
        programs++;
      }
    }
    List<Finding> findings = new ArrayList<>();
    for (Finding f : engine.shrink(List.copyOf(first.values()))) {
      findings.add(f.inCatalogue(catalogue.contains(f.signature())));
    }
    List<Integer> shards = List.of(shard);
    List<String> kept = corpus.explored().stream().map(Printer::print).toList();
    // The user's programs go on in the corpus written out, so that a run from it (--corpus of this --out) starts where this did.
    List<String> onward = new ArrayList<>(users.stream().map(Printer::print).toList());
    onward.addAll(kept);
    return new ExploreResult(seed, budget, shards, of, programs, errors, findings, corpus.reached(),
        List.copyOf(catalogue), kept.size(), onward, setup);
  }

  /** This explorer as its own engine: each program and each shrinking here, one after another. */
  private final ExploreEngine here = new ExploreEngine() {
    @Override
    public List<Outcome> run(Round round, long[] indices, LongConsumer progress, Deadline deadline) {
      List<Outcome> out = new ArrayList<>();
      for (long i : indices) {
        if (!out.isEmpty() && deadline.passed()) {
          break;
        }
        out.add(explore(round, i));
        progress.accept(1);
      }
      return out;
    }

    @Override
    public List<Finding> shrink(List<Candidate> candidates) {
      return candidates.stream().map(Explorer.this::shrink).toList();
    }
  };

  /**
   * Program {@code index} of {@code round}, made from the round's corpus, run under every strategy
   * and kernel and in its other interleavings: what it gave. The same on any machine for the same
   * round and index.
   */
  public Outcome explore(Round round, long index) {
    String name = "explore-" + index;
    Program p = next(round.seed(), index, name, round.corpus(), cmp.options().machine());
    List<RunResult> results = cmp.run(runs(List.of(new TextScenario(name, p))));
    Coverage reached = Coverage.NONE;
    List<Signature> shown = new ArrayList<>();
    for (RunResult r : results) {
      reached = reached.union(r.coverage());
      shown.addAll(Signature.of(r));
    }
    Map<Signature, Candidate> found = new LinkedHashMap<>();
    long errors = record(found, results, p, index, "program " + index + " of the run", Set.of());
    // The other interleavings of its threads: a failure only some of them show is written in that order, its schedule.
    Set<Signature> written = Set.copyOf(shown);
    List<Program> others = Schedules.of(p, mix(round.seed() * 0x9E3779B97F4A7C15L + index) ^ SCHEDULE_SALT);
    for (int k = 0; k < others.size(); k++) {
      List<RunResult> more = cmp.run(runs(List.of(new TextScenario(name, others.get(k)))));
      for (RunResult r : more) {
        reached = reached.union(r.coverage());
        shown.addAll(Signature.of(r));
      }
      record(found, more, others.get(k), index, "program " + index + " of the run, in interleaving " + (k + 1)
          + " of its threads; the order first written does not show it", written);
    }
    boolean news = round.reached().missesAnyOf(reached) || !round.outcomes().containsAll(shown);
    return news ? new Outcome(index, errors, List.copyOf(found.values()), p, reached, shown)
        : new Outcome(index, errors, List.copyOf(found.values()), null, Coverage.NONE, List.of());
  }

  /** Runs the catalogue and the user's programs once: the catalogue's signatures, and what each seed reached. */
  private void runSeeds() {
    for (Program p : seeds) {
      Coverage c = Coverage.NONE;
      List<Signature> shown = new ArrayList<>();
      for (RunResult r : cmp.run(runs(List.of(new TextScenario(p.name(), p))))) {
        c = c.union(r.coverage());
        shown.addAll(Signature.of(r));
      }
      seedCoverage.add(c);
      seedShown.add(shown);
      if (seedCoverage.size() <= Catalogue.all().size()) {
        catalogue.addAll(shown);
      }
    }
  }

  /**
   * Program {@code index}: one time in four, or while the corpus is empty, a fresh one; else a
   * mutant of a corpus program (half the time of one of the user's, if any), spliced with another,
   * named {@code name}. Drawn from the seed and the index alone, given the corpus.
   */
  private Program next(long seed, long index, String name, List<Program> corpus, MachineConfig machine) {
    SplittableRandom rnd = new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + index) ^ MUTATION_SALT);
    if (!corpus.isEmpty() && rnd.nextInt(4) != 0) {
      Mutator mutator = new Mutator(rnd);
      for (int attempt = 0; attempt < MUTATION_ATTEMPTS; attempt++) {
        // Half the mutants are of the user's own programs (--corpus), when there are any: the search is around them.
        Program base = !users.isEmpty() && rnd.nextBoolean() ? users.get(rnd.nextInt(users.size()))
            : corpus.get(rnd.nextInt(corpus.size()));
        Program donor = corpus.get(rnd.nextInt(corpus.size()));
        Program q = mutator.mutate(renamed(base, name), donor);
        if (q != null && Programs.cannotRun(q, machine) == null) {
          return q;
        }
      }
    }
    return Parser.parse(name, program(seed, index));
  }

  private static final long MUTATION_SALT = 0x6A09E667F3BCC909L;
  private static final long SCHEDULE_SALT = 0xBB67AE8584CAA73BL;

  /**
   * Each failure the runs of {@code p} show, but those in {@code already}, as a candidate of program
   * {@code index} ({@code p} the first time the program shows its signature, a hit after); how many
   * runs erred (the program itself ended on an errno or a signal).
   */
  private long record(Map<Signature, Candidate> found, List<RunResult> results, Program p, long index, String source,
      Set<Signature> already) {
    long errors = 0;
    for (RunResult r : results) {
      if (r.verdict() == RunResult.Verdict.ERROR) {
        errors++;
        continue;
      }
      for (Signature shown : Signature.of(r)) {
        if (already.contains(shown)) {
          continue;
        }
        Witness w = witness(results, shown);
        if (w.noneKept()) {
          continue;
        }
        // In an interleaving other than the order written (already given), the failure is a race of its own.
        Signature sig = already.isEmpty() ? shown : Signature.race(shown);
        Candidate c = found.get(sig);
        found.put(sig, c != null ? c.hit()
            : new Candidate(sig, index, 1, r.kernel().name(), p.name(), Printer.print(p), source, w.strategy()));
      }
    }
    return errors;
  }
  private static final int MUTATION_ATTEMPTS = 4;

  private static Program renamed(Program p, String name) {
    return new Program(List.of(), name, "a mutant of " + p.name(), p.machine(), null, p.needs(), true, p.body());
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

  /**
   * The failures {@code p} shows under this explorer's strategies and kernels, each once, in order (a run the program
   * itself ended on an errno or a signal shows none).
   */
  public List<Signature> signatures(Program p) {
    TreeSet<Signature> out = new TreeSet<>();
    List<RunResult> results = cmp.run(runs(List.of(new TextScenario(p.name(), p))));
    for (RunResult r : results) {
      if (r.verdict() != RunResult.Verdict.ERROR) {
        Signature.of(r).stream().filter(sig -> !witness(results, sig).noneKept()).forEach(out::add);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Whether another strategy, on the same kernel, keeps the promise a broken-promise signature says broken: the
   * witness that the program's check can hold, so that the failure is the strategy's and not the program's (a check
   * of bytes no line wrote fails under every strategy, and says nothing).
   */
  record Witness(String strategy, boolean noneKept) {
    /** Not a broken promise: a hazard needs no other strategy to count. */
    static final Witness UNJUDGED = new Witness(null, false);
    /**
     * No other strategy here that makes the promise kept it (each broke it too, or none makes it): nothing says the
     * failure is the strategy's rather than the program's (a check of bytes no line wrote fails under every strategy).
     */
    static final Witness NONE_KEPT = new Witness(null, true);
  }

  /** Whether the run checked {@code promise} and every check of it held. */
  private static boolean keeps(RunResult r, Promise promise) {
    return r.checks().stream().anyMatch(c -> c.promise() == promise && c.held())
        && r.checks().stream().noneMatch(c -> c.promise() == promise && !c.held());
  }

  private static Witness witness(List<RunResult> results, Signature sig) {
    if (sig.kind() != Signature.Kind.BROKEN) {
      return Witness.UNJUDGED;
    }
    Promise promise = Promise.valueOf(sig.what());
    for (RunResult r : results) {
      if (r.strategy().equals(sig.strategy()) || !r.kernel().name().equals(sig.kernel()) || !r.contract().promises(promise)
          || r.verdict() == RunResult.Verdict.ERROR) {
        continue;
      }
      if (keeps(r, promise)) {
        return new Witness(r.strategy(), false);
      }
    }
    return Witness.NONE_KEPT;
  }

  /**
   * Of {@code shown}, the failure a minimal program the lab wrote names in its first comment (as
   * itself or as a race of it), if {@code p} is one: the failure to keep when no other is asked for.
   */
  public static Optional<Signature> named(Program p, List<Signature> shown) {
    return shown.stream().filter(s -> namesItself(p, s) || namesItself(p, Signature.race(s))).findFirst();
  }

  private static boolean namesItself(Program p, Signature sig) {
    return !p.preamble().isEmpty() && p.preamble().get(0).startsWith(sig + ExploreReport.MINIMAL_MARK);
  }

  /** {@code p} shrunk to the smallest program that still shows {@code sig} ({@code shrink FILE}); {@code source} names where it came from. */
  public Finding shrink(Program p, Signature sig, String source) {
    KernelConfig kernel = kernel(sig.kernel());
    if (catalogue.isEmpty() && seedCoverage.isEmpty()) {
      runSeeds();
    }
    // A race the explorer wrote out (its first comment says so) shrinks as one: its schedule stays.
    Signature race = Signature.race(sig);
    Signature kept = namesItself(p, race) ? race : sig;
    return shrunk(kept, kernel, p, 0, source, witness(cmp.run(runs(List.of(new TextScenario(p.name(), p)))), sig).strategy())
        .inCatalogue(catalogue.contains(kept));
  }

  /**
   * The first program of a signature, {@code c}, shrunk to the smallest program that still shows it: a
   * finding with {@code c}'s hits, which says whether the catalogue shows it only once the run that
   * found it says so ({@link Finding#inCatalogue()} false here).
   */
  public Finding shrink(Candidate c) {
    Finding f = shrunk(c.signature(), kernel(c.kernel()), Parser.parse(c.name(), c.program()), c.index(), c.source(), c.witness());
    return f.hit(c.hits() - 1);
  }

  private KernelConfig kernel(String name) {
    return kernels.stream().filter(k -> k.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("kernel " + name + " is not one of this explorer's"));
  }

  /**
   * {@code p} shrunk for {@code sig}; where {@code witness} (a strategy that kept the broken promise on {@code p}) is
   * given, each smaller program must still keep it under the witness, so that the lines the check depends on stay.
   */
  private Finding shrunk(Signature sig, KernelConfig kernel, Program p, long index, String source, String witness) {
    // A race shrinks as the failure it names, in the order of its lines: the shrinker keeps that order, its schedule.
    Signature shown = sig.shown();
    Shrinker shrinker = new Shrinker(q -> {
      TextScenario s = new TextScenario(q.name(), q);
      if (!Signature.of(cmp.run(s, shown.strategy(), kernel)).contains(shown)) {
        return false;
      }
      // A race stays one: some other interleaving of the smaller program's threads does not show the failure.
      if (sig.kind() == Signature.Kind.RACE && Schedules.of(q, SCHEDULE_SALT).stream()
          .allMatch(o -> Signature.of(cmp.run(new TextScenario(o.name(), o), shown.strategy(), kernel)).contains(shown))) {
        return false;
      }
      if (witness == null) {
        return true;
      }
      RunResult w = cmp.run(s, witness, kernel);
      return w.verdict() != RunResult.Verdict.ERROR && keeps(w, Promise.valueOf(shown.what()));
    });
    Program min = shrinker.shrink(p);
    List<String> preamble = List.of(sig + ExploreReport.MINIMAL_MARK + source + ".",
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
    return new Finding(sig, index, 1, text, lines, List.copyOf(events), false);
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
    Coverage coverage = Coverage.NONE;
    TreeSet<Signature> catalogue = new TreeSet<>();
    long kept = 0;
    java.util.LinkedHashSet<String> corpus = new java.util.LinkedHashSet<>();
    for (ExploreResult r : parts) {
      if (r.seed() != first.seed() || r.budget() != first.budget() || r.of() != first.of()) {
        throw new IllegalArgumentException("these results come from different runs (seed, budget or shard count differ)");
      }
      String differs = first.setup().differs(r.setup());
      if (differs != null) {
        throw new IllegalArgumentException("these results come from different runs: shards " + r.shards() + " ran with " + differs);
      }
      if (!r.catalogue().equals(first.catalogue())) {
        throw new IllegalArgumentException("these results come from different runs (their strategies or kernels differ)");
      }
      for (int s : r.shards()) {
        if (!shards.add(s)) {
          throw new IllegalArgumentException("shard " + s + "/" + r.of() + " is given twice");
        }
      }
      programs += r.programs();
      errors += r.errors();
      coverage = coverage.union(r.coverage());
      catalogue.addAll(r.catalogue());
      kept += r.kept();
      corpus.addAll(r.corpus());
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
        List.copyOf(found.values()), coverage, List.copyOf(catalogue), kept, List.copyOf(corpus), first.setup());
  }
}
