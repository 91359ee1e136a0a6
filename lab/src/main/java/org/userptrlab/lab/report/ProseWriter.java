package org.userptrlab.lab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.harness.Hazard;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.lab.Crossover;
import org.userptrlab.lab.LabReport;
import org.userptrlab.lab.Sizes;
import org.userptrlab.lab.SweepResult;
import org.userptrlab.lab.TimelineResult;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;

/**
 * The report for people, whatever the markup: what ran, whether each use case gets what it needs,
 * whether each strategy kept its contract and what went wrong, the costs, and the crossovers. The
 * two subclasses say how a heading, a list and a table look.
 */
abstract class ProseWriter implements ReportWriter {
  private final StringBuilder out = new StringBuilder();

  abstract String heading(String text);

  abstract String subheading(String text);

  /** The model's kernels a report ran on, as its first line names them: "Linux 3.4 and 6.12 on "; nothing for none. */
  private static String kernels(List<KernelConfig> kernels) {
    List<String> names = kernels.stream().map(KernelConfig::name).toList();
    if (names.isEmpty()) {
      return "";
    }
    String last = names.get(names.size() - 1);
    return "Linux " + (names.size() == 1 ? last : String.join(", ", names.subList(0, names.size() - 1)) + " and " + last) + " on ";
  }

  abstract String bullet(String text, int depth);

  abstract String table(TextTable t);

  abstract String fileName();

  @Override
  public final List<Document> write(LabReport report) {
    out.setLength(0);
    MachineConfig m = report.machine();
    paragraph(String.format(Locale.ROOT, "userptr-lab %s, %s: %sa simulated %s machine with %s, %s of swap, RLIMIT_MEMLOCK %s (an app raises its own to 1 GiB where lower), seed %d%s%s, "
        + "%s.",
        report.version(), report.command().name().toLowerCase(Locale.ROOT), kernels(report.kernels()), Sizes.format(m.ramBytes()),
        m.cpus() == 1 ? "1 CPU" : m.cpus() + " CPUs",
        Sizes.format(m.swapBytes()), m.memlockBytes() < 0 ? "the kernel's default" : Sizes.format(m.memlockBytes()),
        m.seed(), m.aslr() ? ", ASLR on" : "",
        thpMode(m, report.thp()),
        report.command() == LabReport.Command.SWEEP ? "where an upload needs more RAM (four times its size and 64 MiB)"
            : "where a scenario's 'machine' line asks for no other"));
    if (!report.runs().isEmpty()) {
      scenarios(report);
      fit(report);
      checks(report);
      verdicts(report);
      for (PlatformProfile p : report.profiles()) {
        costs(report, p);
      }
      stalls(report);
    }
    for (SweepResult s : report.sweeps()) {
      if (report.command() == LabReport.Command.SWEEP) {
        sweepTables(s);
      }
    }
    crossovers(report);
    if (!report.timeline().rows().isEmpty()) {
      timeline(report.timeline());
    }
    if (!report.thp().modes().isEmpty()) {
      thp(report.thp());
    }
    if (!report.notes().isEmpty()) {
      out.append(heading("Notes"));
      report.notes().forEach(n -> out.append(bullet(n, 0)));
      out.append('\n');
    }
    return List.of(new Document(fileName(), out.toString().stripTrailing() + "\n"));
  }

  /** The header's THP mode, where it is not the default, and the modes the runs are contrasted with below. */
  private static String thpMode(MachineConfig m, org.userptrlab.lab.ThpContrast c) {
    List<String> others = c.modes().stream().filter(t -> t != m.thp()).map(MachineConfig.Thp::sysfsName).toList();
    if (m.thp() == MachineConfig.Thp.MADVISE && others.isEmpty()) {
      return "";
    }
    return ", transparent huge pages " + m.thp().sysfsName() + (others.isEmpty() ? "" : " (" + String.join(", ", others)
        + " beside it, below)");
  }

  /** The runs whose outcome differs between THP modes, one column per mode. */
  private void thp(org.userptrlab.lab.ThpContrast c) {
    List<String> header = new ArrayList<>(List.of("scenario", "kernel", "strategy"));
    c.modes().forEach(m -> header.add("thp " + m.sysfsName()));
    out.append(heading("Large folios: the runs that differ with transparent huge pages "
        + String.join(", ", c.modes().stream().map(org.userptrlab.mm.MachineConfig.Thp::sysfsName).toList())));
    if (c.rows().isEmpty()) {
      paragraph("None: every run gives the same verdict and hazards in every mode.");
      return;
    }
    TextTable t = new TextTable(header, 3);
    for (org.userptrlab.lab.ThpContrast.Row r : c.rows()) {
      List<String> row = new ArrayList<>(List.of(r.scenario(), r.kernel().name(), r.strategy()));
      r.outcomes().forEach(o -> row.add(o.describe()));
      t.row(row);
    }
    out.append(table(t)).append('\n');
    paragraph("The other tables are of THP " + c.modes().get(0).sysfsName() + "; a scenario's own 'machine thp' line wins over "
        + "the mode, so its runs differ in no mode.");
  }

  /** One row per scenario and strategy, one column per kernel; then each flip with the change that made it. */
  private void timeline(TimelineResult tl) {
    List<String> header = new ArrayList<>(List.of("scenario", "strategy"));
    tl.kernels().forEach(k -> header.add(k.name()));
    TextTable t = new TextTable(header, 2);
    for (TimelineResult.Row r : tl.rows()) {
      List<String> row = new ArrayList<>(List.of(r.scenario(), r.strategy()));
      r.outcomes().forEach(o -> row.add(o.code()));
      t.row(row);
    }
    out.append(heading("Timeline: the verdict on each kernel")).append(table(t)).append('\n');
    paragraph("kept, BROKEN, refused or error: whether the strategy kept its contract; ! when hazards were reported; then "
        + "the errno or signal an error stopped the run with, and, after /, what the program's own checks came to where it "
        + "makes any (PASS, FAIL, SKIP, XFAIL, or REFUSED: the driver refused an import, and the checks after it were not made).");
    out.append(subheading("Flips, and the change that made each"));
    boolean any = false;
    for (TimelineResult.Row r : tl.rows()) {
      for (TimelineResult.Flip f : r.flips()) {
        any = true;
        String hz = f.hazardChange();
        out.append(bullet(String.format("%s under %s, %s to %s: %s -> %s%s, at %s%s (%s, %s)", r.scenario(), r.strategy(),
            f.from(), f.to(), f.before().describe(), f.after().describe(), hz.isEmpty() ? "" : " (" + hz + ")",
            f.added() ? "" : "the removal of ", f.change().id(), f.change().release(), f.change().citation()), 0));
      }
    }
    if (!any) {
      out.append(bullet("none: every outcome is the same on every kernel", 0));
    }
    out.append('\n');
  }

  private void paragraph(String text) {
    out.append(text).append("\n\n");
  }

  private void scenarios(LabReport report) {
    out.append(heading("Scenarios"));
    for (Scenario s : report.scenarios()) {
      out.append(bullet(s.name() + ": " + s.description(), 0));
    }
    out.append('\n');
  }

  private void fit(LabReport report) {
    TextTable t = new TextTable(header("use case", report), 2);
    List<String> unmet = new ArrayList<>();
    for (Scenario s : report.scenarios()) {
      if (s.needs().isEmpty()) {
        continue;
      }
      for (KernelConfig kernel : report.kernels()) {
        List<String> row = new ArrayList<>(List.of(s.name(), kernel.name()));
        for (Strategies.Info st : report.strategies()) {
          RunResult r = report.find(s.name(), kernel, st.name());
          row.add(cell(r, ran -> ran.serves() ? "yes" : "NO"));
          if (r != null) {
            r.unmetNeeds().forEach(c -> unmet.add(String.format(Locale.ROOT, "%s, kernel %s, %s: %s not met: %s", s.name(),
                kernel.name(), st.name(), c.promise(), c.described())));
          }
        }
        t.row(row);
      }
    }
    if (!t.isEmpty()) {
      out.append(heading("Use cases: does the program get what it needs?")).append(table(t)).append('\n');
    }
    // A user's own program says which of its expectations failed; the catalogue's contracts say it for compare.
    if (report.command() == LabReport.Command.RUN && !unmet.isEmpty()) {
      out.append(subheading("Expectations not met"));
      unmet.forEach(u -> out.append(bullet(u, 0)));
      out.append('\n');
    }
  }

  /**
   * One row per program that checks the kernel itself, one column per kernel: PASS, FAIL or SKIP as a
   * selftest reports a case (one outcome where every strategy gives it, else each strategy's); then
   * what failed and why a program skipped.
   */
  private void checks(LabReport report) {
    List<String> header = new ArrayList<>(List.of("program", "case"));
    report.kernels().forEach(k -> header.add(k.name()));
    TextTable t = new TextTable(header, 2);
    List<String> details = new ArrayList<>();
    for (Scenario s : report.scenarios()) {
      List<String> row = new ArrayList<>(List.of(s.name(), s.description()));
      List<String> why = new ArrayList<>();
      // A program with checks of its own: some run got to one. A refusal or an error alone, in a program without any, is
      // the verdicts' to tell, not a check's.
      boolean checks = false;
      for (KernelConfig kernel : report.kernels()) {
        java.util.Map<RunResult.CheckOutcome, List<String>> by = new java.util.EnumMap<>(RunResult.CheckOutcome.class);
        int ran = 0;
        for (Strategies.Info st : report.strategies()) {
          RunResult r = report.find(s.name(), kernel, st.name());
          ran += r == null ? 0 : 1;
          if (r == null || r.checkOutcome() == RunResult.CheckOutcome.NONE) {
            continue;
          }
          checks |= CHECKED.contains(r.checkOutcome()) || r.checks().stream().anyMatch(c -> c.promise() == null);
          by.computeIfAbsent(r.checkOutcome(), o -> new ArrayList<>()).add(st.name());
          if (r.checkOutcome() != RunResult.CheckOutcome.PASS) {
            why.add(String.format("%s, kernel %s, %s: %s", s.name(), kernel.name(), st.name(), whyNot(r)));
          }
        }
        boolean allAlike = by.size() == 1 && by.values().iterator().next().size() == ran;
        row.add(by.isEmpty() ? "-" : allAlike ? by.keySet().iterator().next().name()
            : String.join(", ", by.entrySet().stream().map(e -> e.getKey().name() + " (" + String.join(" ", e.getValue()) + ")").toList()));
      }
      if (checks) {
        t.row(row);
        details.addAll(why);
      }
    }
    if (t.isEmpty()) {
      return;
    }
    out.append(heading("Checks: what the programs' own checks of the kernel found")).append(table(t)).append('\n');
    if (!details.isEmpty()) {
      out.append(subheading("What failed or was skipped"));
      details.forEach(d -> out.append(bullet(d, 0)));
      out.append('\n');
    }
  }

  /** The outcomes of a run that got to the program's own checks. */
  private static final java.util.Set<RunResult.CheckOutcome> CHECKED = java.util.EnumSet.of(RunResult.CheckOutcome.PASS,
      RunResult.CheckOutcome.FAIL, RunResult.CheckOutcome.SKIP, RunResult.CheckOutcome.XFAIL);

  private static String whyNot(RunResult r) {
    return switch (r.checkOutcome()) {
      case FAIL -> "FAIL: " + String.join("; ", r.failedChecks().stream().map(org.userptrlab.core.harness.Check::described).toList());
      case SKIP -> "SKIP: " + r.skipped();
      case XFAIL -> "XFAIL: " + String.join("; ", r.expectedFailures().stream().map(org.userptrlab.core.harness.Check::described).toList());
      case REFUSED -> "refused: " + r.refusal().message() + heldBefore(r);
      default -> "error: " + r.error().message() + heldBefore(r);
    };
  }

  /** The program's own checks that held before it stopped, which its row's ERROR or REFUSED does not show. */
  private static String heldBefore(RunResult r) {
    List<String> held = r.checks().stream().filter(c -> c.held() && c.promise() == null).map(org.userptrlab.core.harness.Check::what)
        .toList();
    return held.isEmpty() ? "" : "; before it, " + (held.size() == 1 ? "1 check held: " : held.size() + " checks held: ")
        + String.join(", ", held);
  }

  private void verdicts(LabReport report) {
    TextTable t = new TextTable(header("scenario", report), 2);
    List<String> details = new ArrayList<>();
    List<List<Hazard>> hazards = new ArrayList<>();
    for (Scenario s : report.scenarios()) {
      for (KernelConfig kernel : report.kernels()) {
        List<String> row = new ArrayList<>(List.of(s.name(), kernel.name()));
        for (Strategies.Info st : report.strategies()) {
          RunResult r = report.find(s.name(), kernel, st.name());
          if (r == null) {
            row.add("-");
            continue;
          }
          String cell = switch (r.verdict()) {
            case KEPT -> "kept";
            case BROKEN -> "BROKEN";
            case REFUSED -> "REFUSED";
            case ERROR -> "ERROR";
          };
          int n = r.hazards().size();
          row.add(n == 0 ? cell : cell + " +" + n + (n > 1 ? " hazards" : " hazard"));
          if (r.verdict() != RunResult.Verdict.KEPT || n > 0) {
            details.add(String.format("%s, %s, kernel %s: %s", s.name(), st.name(), kernel.name(), r.summary()));
            hazards.add(r.hazards());
          }
        }
        t.row(row);
      }
    }
    out.append(heading("Verdicts: does each strategy keep its contract?")).append(table(t)).append('\n');
    StringBuilder legend = new StringBuilder("Contracts:");
    for (Strategies.Info st : report.strategies()) {
      legend.append(' ').append(st.name()).append(' ').append(st.contract()).append(';');
    }
    paragraph(legend.substring(0, legend.length() - 1) + ".");
    if (!details.isEmpty()) {
      out.append(subheading("What went wrong"));
      for (int i = 0; i < details.size(); i++) {
        out.append(bullet(details.get(i), 0));
        // A hazard a run meets once per object (32 imports, 32 releases) is said by its first and its last, kind by kind.
        java.util.Map<org.userptrlab.core.harness.HazardKind, List<Hazard>> byKind = new java.util.LinkedHashMap<>();
        hazards.get(i).forEach(h -> byKind.computeIfAbsent(h.kind(), k -> new ArrayList<>()).add(h));
        for (List<Hazard> same : byKind.values()) {
          Hazard first = same.get(0);
          out.append(bullet("hazard " + first.kind() + ": " + first.detail(), 1));
          if (same.size() == 2) {
            out.append(bullet("hazard " + first.kind() + ": " + same.get(1).detail(), 1));
          } else if (same.size() > 2) {
            out.append(bullet(String.format(Locale.ROOT, "hazard %s, %d times more, the last: %s", first.kind(), same.size() - 1,
                same.get(same.size() - 1).detail()), 1));
          }
        }
      }
      out.append('\n');
    }
  }

  /**
   * A table cell for run {@code r}: what {@code ran} says of a run that did its work; a refused
   * import or a failed scenario did not do the work a figure would describe, and says which.
   */
  private static String cell(RunResult r, java.util.function.Function<RunResult, String> ran) {
    if (r == null) {
      return "-";
    }
    return switch (r.verdict()) {
      case REFUSED -> "refused";
      case ERROR -> "error";
      default -> ran.apply(r);
    };
  }

  private void costs(LabReport report, PlatformProfile p) {
    TextTable t = new TextTable(header("scenario", report), 2);
    for (Scenario s : report.scenarios()) {
      for (KernelConfig kernel : report.kernels()) {
        List<String> row = new ArrayList<>(List.of(s.name(), kernel.name()));
        for (Strategies.Info st : report.strategies()) {
          RunResult r = report.find(s.name(), kernel, st.name());
          row.add(cell(r, ran -> micros(ran.totalNs(p))));
        }
        t.row(row);
      }
    }
    out.append(heading("Cost in microseconds on " + p.name() + " (" + p.description() + ")")).append(table(t)).append('\n');
  }

  /**
   * The calls that stalled (waited in the kernel: an invalidation waiting for a GPU job, a fault
   * waiting for an invalidation in progress), in virtual time under the first profile, and what the
   * GPU's side retried or was preempted for; nothing where no call waited.
   */
  /** A kind of call of a scenario on a kernel. */
  private record Stalled(String scenario, String kernel, org.userptrlab.core.time.CallKind kind) {}

  private void stalls(LabReport report) {
    TextTable t = new TextTable(List.of("scenario", "kernel", "call", "strategy", "count", "median us", "p99 us", "max us",
        "waited us"), 4);
    TextTable g = new TextTable(List.of("scenario", "kernel", "strategy", "jobs", "busy us", "retries", "timeouts",
        "preemptions", "refaults"), 3);
    // A kind of call is shown for a scenario and kernel where one strategy's calls of it waited: every strategy's, side by side.
    java.util.Set<Stalled> waited = new java.util.HashSet<>();
    for (RunResult r : report.runs()) {
      for (org.userptrlab.core.time.Latency l : r.timing().latencies()) {
        if (l.waited() > 0) {
          waited.add(new Stalled(r.scenario(), r.kernel().name(), l.kind()));
        }
      }
    }
    for (Scenario s : report.scenarios()) {
      for (KernelConfig kernel : report.kernels()) {
        for (org.userptrlab.core.time.CallKind kind : org.userptrlab.core.time.CallKind.values()) {
          if (!waited.contains(new Stalled(s.name(), kernel.name(), kind))) {
            continue;
          }
          for (Strategies.Info st : report.strategies()) {
            RunResult r = report.find(s.name(), kernel, st.name());
            java.util.Optional<org.userptrlab.core.time.Latency> l = r == null ? java.util.Optional.empty() : r.timing().latency(kind);
            t.row(List.of(s.name(), kernel.name(), kind.label(), st.name(), l.map(x -> String.valueOf(x.count())).orElse("-"),
                l.map(x -> micros(x.median())).orElse("-"), l.map(x -> micros(x.p99())).orElse("-"),
                l.map(x -> micros(x.max())).orElse("-"), l.map(x -> micros(x.waited())).orElse("-")));
          }
        }
      }
    }
    for (RunResult r : report.runs()) {
      org.userptrlab.core.time.GpuTiming gpu = r.timing().gpu();
      if (gpu.retries() + gpu.timeouts() + gpu.preemptions() + gpu.refaults() > 0) {
        g.row(List.of(r.scenario(), r.kernel().name(), r.strategy(), String.valueOf(gpu.jobs()), micros(gpu.busyNs()),
            String.valueOf(gpu.retries()), String.valueOf(gpu.timeouts()), String.valueOf(gpu.preemptions()),
            String.valueOf(gpu.refaults())));
      }
    }
    String on = report.profiles().get(0).name();
    if (!t.isEmpty()) {
      out.append(heading("Stalls: the calls that waited in the kernel under a strategy, under each, in virtual time on " + on))
          .append(table(t)).append('\n');
      // The cost tables price work: a call's wait for a GPU job is time the program loses, not work the CPU does.
      paragraph("The cost tables above are the work the calls did (the memory manager's, the copies, the ioctls), without "
          + "their waits; what a strategy makes the program wait for is the waited column here, and a run's virtual time "
          + "(the Gantt chart, --svg) has both.");
    }
    if (!g.isEmpty()) {
      out.append(heading("The GPU's side: retries after an invalidation, preemptions, pages faulted in again")).append(table(g))
          .append('\n');
    }
  }

  private void sweepTables(SweepResult s) {
    for (PlatformProfile p : s.profiles()) {
      List<String> header = new ArrayList<>(List.of("size"));
      s.strategies().forEach(st -> header.add(st + " us"));
      TextTable t = new TextTable(header, 1);
      for (long size : s.sizes()) {
        List<String> row = new ArrayList<>(List.of(Sizes.format(size)));
        for (String st : s.strategies()) {
          SweepResult.Point pt = s.point(size, st);
          row.add(pt.refused() ? "refused" : micros(pt.totalNs(p)));
        }
        t.row(row);
      }
      out.append(heading("One upload on " + p.name() + ", kernel " + s.kernel().name())).append(table(t)).append('\n');
      boolean listed = false;
      for (SweepResult.Point pt : s.points()) {
        if (pt.refused() && p == s.profiles().get(0)) {
          out.append(bullet(Sizes.format(pt.size()) + " under " + pt.strategy() + ": " + pt.run().summary(), 0));
          listed = true;
        }
      }
      if (listed) {
        out.append('\n');
      }
    }
  }

  private void crossovers(LabReport report) {
    if (report.sweeps().isEmpty()) {
      return;
    }
    out.append(heading(report.command() == LabReport.Command.COMPARE
        ? "Where stealing gets cheaper than copying (one upload; run `sweep` for the curves)"
        : "Crossovers"));
    for (SweepResult s : report.sweeps()) {
      for (Crossover c : s.crossovers()) {
        out.append(bullet(String.format("%s, kernel %s: %s is cheaper than %s %s", c.profile().name(), s.kernel().name(),
            c.challenger(), c.baseline(), c.describe()), 0));
      }
    }
    out.append('\n');
  }

  private static List<String> header(String first, LabReport report) {
    List<String> h = new ArrayList<>(List.of(first, "kernel"));
    report.strategies().forEach(s -> h.add(s.name()));
    return h;
  }

  static String micros(double ns) {
    return String.format(Locale.ROOT, "%.1f", ns / 1000.0);
  }
}
