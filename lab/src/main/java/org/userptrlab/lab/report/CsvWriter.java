package org.userptrlab.lab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.userptrlab.core.cost.Cost;
import org.userptrlab.core.cost.CostItem;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.harness.Hazard;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.lab.Crossover;
import org.userptrlab.lab.LabReport;
import org.userptrlab.lab.SweepResult;
import org.userptrlab.lab.TimelineResult;

/**
 * The report as tidy CSV: one table per document, one observation per row, one header each; a
 * kernel is always written as its release ({@code 3.4}), a size in bytes, a time in nanoseconds.
 * The main table comes first ({@code runs.csv} for a comparison, with its hazards, costs, checks,
 * calls in virtual time and the GPU's side; {@code sweep.csv} for a sweep, {@code timeline.csv} for
 * a timeline).
 */
final class CsvWriter implements ReportWriter {
  @Override
  public List<Document> write(LabReport report) {
    List<Document> docs = new ArrayList<>();
    if (!report.runs().isEmpty()) {
      docs.add(runs(report));
      docs.add(hazards(report));
      docs.add(costs(report));
      docs.add(checks(report));
      docs.add(calls(report));
      docs.add(gpu(report));
    }
    if (!report.sweeps().isEmpty()) {
      docs.add(sweep(report));
      docs.add(crossovers(report));
    }
    if (!report.timeline().rows().isEmpty()) {
      docs.add(timeline(report.timeline()));
      docs.add(flips(report.timeline()));
    }
    if (!report.thp().modes().isEmpty()) {
      docs.add(thp(report.thp()));
    }
    return docs;
  }

  private static Document runs(LabReport report) {
    Table t = new Table("scenario", "kernel", "strategy", "contract", "verdict", "serves_needs", "hazards", "detail");
    for (RunResult r : report.runs()) {
      t.row(r.scenario(), r.kernel().name(), r.strategy(), r.contract().name(), r.verdict().name(),
          r.needs().isEmpty() ? "" : Boolean.toString(r.serves()), Integer.toString(r.hazards().size()), r.summary());
    }
    return t.document("runs.csv");
  }

  private static Document hazards(LabReport report) {
    Table t = new Table("scenario", "kernel", "strategy", "kind", "detail");
    for (RunResult r : report.runs()) {
      for (Hazard h : r.hazards()) {
        t.row(r.scenario(), r.kernel().name(), r.strategy(), h.kind().name(), h.detail());
      }
    }
    return t.document("hazards.csv");
  }

  /** Each check of a run as it came out: a promise of the strategy's (an expect line), or the program's own of the kernel (no promise). */
  private static Document checks(LabReport report) {
    Table t = new Table("scenario", "kernel", "strategy", "promise", "check", "held", "expected_to_fail", "seen");
    for (RunResult r : report.runs()) {
      for (org.userptrlab.core.harness.Check c : r.checks()) {
        t.row(r.scenario(), r.kernel().name(), r.strategy(), c.promise() == null ? "" : c.promise().name(), c.what(),
            Boolean.toString(c.held()), Boolean.toString(c.xfail()), c.seen() == null ? "" : c.seen());
      }
    }
    return t.document("checks.csv");
  }

  /** The calls of each run by kind, in virtual time: how many, their latency and what they waited for in the kernel. */
  private static Document calls(LabReport report) {
    Table t = new Table("scenario", "kernel", "strategy", "call", "count", "median_ns", "p99_ns", "max_ns", "waited_ns");
    for (RunResult r : report.runs()) {
      for (org.userptrlab.core.time.Latency l : r.timing().latencies()) {
        t.row(r.scenario(), r.kernel().name(), r.strategy(), l.kind().label(), Integer.toString(l.count()), Long.toString(l.median()),
            Long.toString(l.p99()), Long.toString(l.max()), Long.toString(l.waited()));
      }
    }
    return t.document("calls.csv");
  }

  /** The GPU's side of each run: its jobs, how long they kept it busy, its retries, timeouts, preemptions and refaults. */
  private static Document gpu(LabReport report) {
    Table t = new Table("scenario", "kernel", "strategy", "jobs", "busy_ns", "retries", "timeouts", "preemptions", "refaults");
    for (RunResult r : report.runs()) {
      org.userptrlab.core.time.GpuTiming g = r.timing().gpu();
      t.row(r.scenario(), r.kernel().name(), r.strategy(), Integer.toString(g.jobs()), Long.toString(g.busyNs()),
          Integer.toString(g.retries()), Integer.toString(g.timeouts()), Integer.toString(g.preemptions()), Integer.toString(g.refaults()));
    }
    return t.document("gpu.csv");
  }

  private static Document costs(LabReport report) {
    Table t = new Table("scenario", "kernel", "strategy", "profile", "item", "ns");
    for (RunResult r : report.runs()) {
      if (r.verdict() == RunResult.Verdict.REFUSED || r.verdict() == RunResult.Verdict.ERROR) {
        // Nothing ran that a cost would price: runs.csv says why.
        continue;
      }
      for (Cost c : r.costs()) {
        for (CostItem item : CostItem.values()) {
          t.row(r.scenario(), r.kernel().name(), r.strategy(), c.profile().name(), item.name(), ns(c.ns(item)));
        }
      }
    }
    return t.document("costs.csv");
  }

  private static Document sweep(LabReport report) {
    Table t = new Table("kernel", "profile", "strategy", "size_bytes", "verdict", "total_ns");
    for (SweepResult s : report.sweeps()) {
      for (PlatformProfile p : s.profiles()) {
        for (SweepResult.Point pt : s.points()) {
          t.row(s.kernel().name(), p.name(), pt.strategy(), Long.toString(pt.size()), pt.run().verdict().name(),
              pt.refused() ? "" : ns(pt.totalNs(p)));
        }
      }
    }
    return t.document("sweep.csv");
  }

  private static Document crossovers(LabReport report) {
    Table t = new Table("kernel", "profile", "baseline", "challenger", "from_bytes", "cheaper_at_bytes", "refused_at_bytes");
    for (SweepResult s : report.sweeps()) {
      for (Crossover c : s.crossovers()) {
        t.row(s.kernel().name(), c.profile().name(), c.baseline(), c.challenger(), c.from() > 0 ? Long.toString(c.from()) : "",
            join(c.cheaperAt()), join(c.refusedAt()));
      }
    }
    return t.document("crossovers.csv");
  }

  private static Document timeline(TimelineResult tl) {
    Table t = new Table("scenario", "strategy", "kernel", "verdict", "hazards", "checks", "error");
    for (TimelineResult.Row r : tl.rows()) {
      for (int i = 0; i < tl.kernels().size(); i++) {
        TimelineResult.Outcome o = r.outcomes().get(i);
        t.row(r.scenario(), r.strategy(), tl.kernels().get(i).name(), o.verdict().name(),
            o.hazards().stream().map(Enum::name).collect(Collectors.joining(" ")), o.checks().name(),
            o.error() == null ? "" : o.error());
      }
    }
    return t.document("timeline.csv");
  }

  private static Document flips(TimelineResult tl) {
    Table t = new Table("scenario", "strategy", "from", "to", "change", "added", "release", "commit", "before", "after");
    for (TimelineResult.Row r : tl.rows()) {
      for (TimelineResult.Flip f : r.flips()) {
        t.row(r.scenario(), r.strategy(), f.from().name(), f.to().name(), f.change().id(), Boolean.toString(f.added()),
            f.change().release().toString(), f.change().commit(), f.before().describe(), f.after().describe());
      }
    }
    return t.document("flips.csv");
  }

  /** One row per run that differs between THP modes and per mode: the outcome under it. */
  private static Document thp(org.userptrlab.lab.ThpContrast c) {
    Table t = new Table("scenario", "kernel", "strategy", "thp", "outcome");
    for (org.userptrlab.lab.ThpContrast.Row r : c.rows()) {
      for (int i = 0; i < c.modes().size(); i++) {
        t.row(r.scenario(), r.kernel().name(), r.strategy(), c.modes().get(i).sysfsName(), r.outcomes().get(i).describe());
      }
    }
    return t.document("thp.csv");
  }

  private static String join(List<Long> sizes) {
    return sizes.stream().map(String::valueOf).collect(Collectors.joining(" "));
  }

  static String ns(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** One CSV table (RFC 4180 quoting). */
  private static final class Table {
    private final StringBuilder sb = new StringBuilder();
    private final int columns;

    Table(String... header) {
      columns = header.length;
      row(header);
    }

    void row(String... cells) {
      if (cells.length != columns) {
        throw new IllegalArgumentException(cells.length + " cells under " + columns + " columns");
      }
      for (int i = 0; i < cells.length; i++) {
        sb.append(i == 0 ? "" : ",").append(quote(cells[i]));
      }
      sb.append("\r\n");
    }

    Document document(String name) {
      return new Document(name, sb.toString());
    }

    private static String quote(String s) {
      return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
  }
}
