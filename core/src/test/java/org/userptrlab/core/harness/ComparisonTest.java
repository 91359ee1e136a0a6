package org.userptrlab.core.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.CostItem;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.driver.UserptrImporter;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.core.spi.UserptrRequest;
import org.userptrlab.mm.Errno;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.Mman;
import org.userptrlab.mm.Process;

class ComparisonTest {
  private final Comparison cmp = new Comparison(LabOptions.builder().strategies("copy").kernels(KernelConfig.LINUX_6_12).build());

  /** A program that maps {@code mapBytes}, fills it and imports {@code importBytes} of it. */
  record Program(String name, long mapBytes, long importBytes) implements Scenario {
    @Override
    public String description() {
      return "maps " + mapBytes + " bytes and imports " + importBytes;
    }

    @Override
    public Set<Promise> needs() {
      return Set.of(Promise.GPU_KEEPS_SNAPSHOT, Promise.GPU_SEES_IMPORTED_BYTES);
    }

    @Override
    public void run(ScenarioRun run) {
      Process p = run.machine().spawn("app");
      long buf = p.mmap(0, mapBytes, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
      p.fill(buf, Math.min(mapBytes, 1L << 20), 1);
      UserptrBacking b = run.get(UserptrImporter.class).importRange(new UserptrRequest(p, buf, importBytes, Set.of()));
      run.expect(Promise.GPU_SEES_IMPORTED_BYTES, "imported", b.size() == importBytes);
      b.release();
    }
  }

  @Test
  void onlyTheDriverRefusingTheImportIsRefused() {
    RunResult r = cmp.run(new Program("empty-import", 1L << 20, 0), "copy", KernelConfig.LINUX_6_12);
    assertThat(r.verdict()).isEqualTo(RunResult.Verdict.REFUSED);
    assertThat(r.refusal().errno()).isEqualTo(Errno.EINVAL);
    assertThat(r.error()).isNull();
    assertThat(r.serves()).isFalse();
  }

  @Test
  void aProgramWhoseOwnSetupFailsIsAScenarioErrorNotARefusal() {
    RunResult r = cmp.run(new Program("huge-map", 1L << 40, 4096), "copy", KernelConfig.LINUX_6_12);
    assertThat(r.verdict()).isEqualTo(RunResult.Verdict.ERROR);
    assertThat(r.error().errno()).isEqualTo(Errno.ENOMEM);
    assertThat(r.error().message()).contains("overcommit");
    assertThat(r.refusal()).isNull();
    assertThat(r.summary()).startsWith("scenario error: ENOMEM");
  }

  @Test
  void aRunThatImportsIsKeptAndPricedUnderEveryProfileByItem() {
    RunResult r = cmp.run(new Program("ok", 1L << 20, 1L << 20), "copy", KernelConfig.LINUX_6_12);
    assertThat(r.verdict()).isEqualTo(RunResult.Verdict.KEPT);
    assertThat(r.needs()).containsExactly(Promise.GPU_SEES_IMPORTED_BYTES, Promise.GPU_KEEPS_SNAPSHOT);
    assertThat(r.costs()).hasSize(Profiles.all().size());
    for (var p : Profiles.all()) {
      assertThat(r.cost(p).ns(CostItem.MEMCPY)).as("copying 1 MiB costs a memcpy on %s", p.name()).isPositive();
      double sum = 0;
      for (CostItem i : CostItem.values()) {
        sum += r.cost(p).ns(i);
      }
      assertThat(r.totalNs(p)).isEqualTo(sum);
    }
  }

  @Test
  void theResultsDoNotDependOnTheNumberOfThreads() {
    List<Scenario> scenarios = List.of(new Program("a", 1L << 20, 4096), new Program("b", 2L << 20, 1L << 20),
        new Program("c", 1L << 20, 0), new Program("d", 1L << 40, 4096));
    LabOptions.Builder b = LabOptions.builder().strategies("copy");
    List<RunResult> one = new Comparison(b.threads(1).build()).runAll(scenarios);
    List<RunResult> four = new Comparison(b.threads(4).build()).runAll(scenarios);
    assertThat(four).hasSize(8);
    assertThat(four).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(one);
  }

  /** A program that works before, inside and after its measured window, and reports a hazard twice. */
  record Windowed() implements Scenario {
    @Override
    public String name() {
      return "windowed";
    }

    @Override
    public String description() {
      return "touches 4 pages, then 8 measured, then 4 more";
    }

    @Override
    public void run(ScenarioRun run) {
      Process p = run.machine().spawn("app");
      long buf = p.mmap(0, 16 * 4096, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
      p.fill(buf, 4 * 4096, 1);
      run.startMeasuring();
      p.fill(buf + 4 * 4096, 8 * 4096, 1);
      run.stopMeasuring();
      p.fill(buf + 12 * 4096, 4 * 4096, 1);
      run.hazard(HazardKind.PAGES_LEAKED, "twice");
      run.hazard(HazardKind.PAGES_LEAKED, "twice");
      run.hazard(HazardKind.PAGES_LEAKED, "other");
      run.expect(Promise.GPU_KEEPS_SNAPSHOT, "the snapshot", true);
    }
  }

  /** Counters count the measured window only; a hazard is recorded once however often it is reported; checks are kept in order. */
  @Test
  void countersCountTheMeasuredWindowAndHazardsAreRecordedOnce() {
    RunResult r = cmp.run(new Windowed(), "copy", KernelConfig.LINUX_6_12);
    assertThat(r.counters().get(org.userptrlab.mm.VmEvent.PGFAULT)).isEqualTo(8);
    assertThat(r.counters().get(org.userptrlab.mm.VmEvent.PGALLOC)).isEqualTo(8);
    assertThat(r.hazards()).containsExactly(new Hazard(HazardKind.PAGES_LEAKED, "twice"), new Hazard(HazardKind.PAGES_LEAKED, "other"));
    assertThat(r.checks()).extracting(Check::what).containsExactly("the snapshot");
    assertThat(r.ioctls()).isZero();
    assertThat(r.verdict()).isEqualTo(RunResult.Verdict.KEPT);
  }

  /** Each run is handed to the listener once as it ends, on any number of threads, and the results are the ones without it. */
  @Test
  void everyRunIsReportedDoneOnceAndTheResultsDoNotDependOnIt() {
    LabOptions options = LabOptions.builder().strategies("copy").kernels(KernelConfig.LINUX_3_4, KernelConfig.LINUX_6_12).threads(2).build();
    java.util.Queue<Comparison.Run> done = new java.util.concurrent.ConcurrentLinkedQueue<>();
    List<Scenario> scenarios = List.of(new Program("small", 4 * 4096, 4096), new Program("large", 64 * 4096, 16 * 4096));
    List<RunResult> observed = new Comparison(options, done::add).runAll(scenarios);
    assertThat(done).hasSize(4).extracting(r -> r.scenario().name() + "@" + r.kernel().name())
        .containsExactlyInAnyOrder("small@3.4", "small@6.12", "large@3.4", "large@6.12");
    assertThat(observed).extracting(RunResult::summary)
        .isEqualTo(new Comparison(options).runAll(scenarios).stream().map(RunResult::summary).toList());
  }
}
