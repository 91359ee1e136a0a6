package org.userptrlab.lab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.userptrlab.core.cost.Cost;
import org.userptrlab.core.cost.CostItem;
import org.userptrlab.core.cost.Parameter;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.harness.Check;
import org.userptrlab.core.harness.Failure;
import org.userptrlab.core.harness.Hazard;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.lab.Crossover;
import org.userptrlab.lab.LabReport;
import org.userptrlab.lab.SweepResult;
import org.userptrlab.lab.TimelineResult;
import org.userptrlab.mm.KernelChange;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.VmEvent;

/**
 * The report as one JSON document, in the shape of {@value #SCHEMA} (shipped in the jar), every
 * member in a fixed order. A kernel is named as on the command line ({@code "3.4"},
 * {@code "3.4+foll-pin"}) and described once under {@code kernels}; sizes are bytes, times
 * nanoseconds rounded to a tenth.
 */
public final class JsonWriter implements ReportWriter {
  /** The version of the document's shape; raised on any change a reader could trip over. */
  public static final int SCHEMA_VERSION = 4;

  /** Where the JSON Schema of the document lies on the class path. */
  public static final String SCHEMA = "/org/userptrlab/lab/report/userptr-lab-report.schema.json";

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Override
  public List<Document> write(LabReport report) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.putObject("tool").put("name", "userptr-lab").put("version", report.version());
    root.put("command", report.command().name().toLowerCase(java.util.Locale.ROOT));
    MachineConfig m = report.machine();
    root.putObject("machine").put("ramBytes", m.ramBytes()).put("swapBytes", m.swapBytes()).put("cpus", m.cpus())
        .put("memlockBytes", m.memlockBytes()).put("seed", m.seed()).put("aslr", m.aslr()).put("thp", m.thp().sysfsName());
    ArrayNode strategies = root.putArray("strategies");
    for (Strategies.Info s : report.strategies()) {
      strategies.addObject().put("name", s.name()).put("contract", s.contract().name()).put("provider", s.provider());
    }
    ArrayNode kernels = root.putArray("kernels");
    report.kernels().forEach(k -> kernels.add(kernel(k)));
    ArrayNode profiles = root.putArray("profiles");
    report.profiles().forEach(p -> profiles.add(profile(p)));
    ArrayNode scenarios = root.putArray("scenarios");
    for (Scenario s : report.scenarios()) {
      ObjectNode o = scenarios.addObject().put("name", s.name()).put("description", s.description());
      ArrayNode needs = o.putArray("needs");
      for (Promise p : Promise.values()) {
        if (s.needs().contains(p)) {
          needs.add(p.name());
        }
      }
    }
    ArrayNode runs = root.putArray("runs");
    report.runs().forEach(r -> runs.add(run(r)));
    ArrayNode sweeps = root.putArray("sweeps");
    report.sweeps().forEach(s -> sweeps.add(sweep(s)));
    if (!report.timeline().rows().isEmpty()) {
      root.set("timeline", timeline(report.timeline()));
    }
    if (!report.thp().modes().isEmpty()) {
      root.set("thp", thp(report.thp()));
    }
    ArrayNode notes = root.putArray("notes");
    report.notes().forEach(notes::add);
    try {
      return List.of(new Document("report.json", MAPPER.writeValueAsString(root) + "\n"));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the report as JSON", e);
    }
  }

  /** A kernel: its name, the release it starts from, the changes added and removed, all its changes, and whether a release had them. */
  static ObjectNode kernel(KernelConfig k) {
    ObjectNode o = MAPPER.createObjectNode().put("name", k.name()).put("release", k.release().toString());
    ids(o.putArray("added"), k.added());
    ids(o.putArray("removed"), k.removed());
    ids(o.putArray("changes"), k.changes());
    o.put("released", k.isReleased());
    return o;
  }

  private static ObjectNode timeline(TimelineResult tl) {
    ObjectNode o = MAPPER.createObjectNode();
    ArrayNode kernels = o.putArray("kernels");
    tl.kernels().forEach(k -> kernels.add(k.name()));
    ArrayNode rows = o.putArray("rows");
    for (TimelineResult.Row r : tl.rows()) {
      ObjectNode row = rows.addObject().put("scenario", r.scenario()).put("strategy", r.strategy());
      ArrayNode outcomes = row.putArray("outcomes");
      r.outcomes().forEach(x -> outcomes.add(outcome(x)));
      ArrayNode flips = row.putArray("flips");
      for (TimelineResult.Flip f : r.flips()) {
        ObjectNode fo = flips.addObject().put("from", f.from().name()).put("to", f.to().name()).put("change", f.change().id())
            .put("added", f.added()).put("release", f.change().release().toString()).put("commit", f.change().commit())
            .put("subject", f.change().subject());
        fo.set("before", outcome(f.before()));
        fo.set("after", outcome(f.after()));
      }
    }
    return o;
  }

  private static ObjectNode thp(org.userptrlab.lab.ThpContrast c) {
    ObjectNode o = MAPPER.createObjectNode();
    ArrayNode modes = o.putArray("modes");
    c.modes().forEach(m -> modes.add(m.sysfsName()));
    ArrayNode rows = o.putArray("rows");
    for (org.userptrlab.lab.ThpContrast.Row r : c.rows()) {
      ObjectNode row = rows.addObject().put("scenario", r.scenario()).put("kernel", r.kernel().name()).put("strategy", r.strategy());
      ArrayNode outcomes = row.putArray("outcomes");
      r.outcomes().forEach(x -> outcomes.add(outcome(x)));
    }
    return o;
  }

  private static ObjectNode outcome(TimelineResult.Outcome x) {
    ObjectNode o = MAPPER.createObjectNode().put("verdict", x.verdict().name());
    ArrayNode hazards = o.putArray("hazards");
    x.hazards().forEach(h -> hazards.add(h.name()));
    o.put("checks", x.checks().name());
    if (x.error() != null) {
      o.put("error", x.error());
    }
    return o;
  }

  private static void ids(ArrayNode array, java.util.Set<KernelChange> changes) {
    changes.forEach(c -> array.add(c.id()));
  }

  private static ObjectNode profile(PlatformProfile p) {
    ObjectNode o = MAPPER.createObjectNode().put("name", p.name()).put("description", p.description());
    ObjectNode figures = o.putObject("figures");
    for (Parameter param : Parameter.values()) {
      figures.putObject(param.name()).put("value", p.get(param)).put("unit", param.unit().symbol())
          .put("source", p.figures().get(param).source());
    }
    return o;
  }

  private static ObjectNode run(RunResult r) {
    ObjectNode o = MAPPER.createObjectNode().put("scenario", r.scenario()).put("kernel", r.kernel().name())
        .put("ranOn", r.ranOn().name()).put("strategy", r.strategy()).put("contract", r.contract().name()).put("verdict", r.verdict().name())
        .put("servesNeeds", r.serves());
    o.set("refusal", failure(r.refusal()));
    o.set("error", failure(r.error()));
    ArrayNode checks = o.putArray("checks");
    for (Check c : r.checks()) {
      // A program's own check of the kernel names no promise.
      checks.addObject().put("promise", c.promise() == null ? null : c.promise().name()).put("what", c.what()).put("held", c.held())
          .put("xfail", c.xfail()).put("seen", c.seen());
    }
    o.put("skipped", r.skipped());
    ArrayNode hazards = o.putArray("hazards");
    for (Hazard h : r.hazards()) {
      hazards.addObject().put("kind", h.kind().name()).put("detail", h.detail());
    }
    o.put("ioctls", r.ioctls());
    ObjectNode counters = o.putObject("counters");
    for (VmEvent e : VmEvent.values()) {
      counters.put(e.name(), r.counters().getOrDefault(e, 0L));
    }
    ArrayNode costs = o.putArray("costs");
    for (Cost c : r.costs()) {
      ObjectNode co = costs.addObject().put("profile", c.profile().name()).put("totalNs", tenth(c.totalNs()));
      ObjectNode items = co.putObject("itemsNs");
      for (CostItem i : CostItem.values()) {
        items.put(i.name(), tenth(c.ns(i)));
      }
    }
    o.set("timing", timing(r.timing()));
    return o;
  }

  /** The run in virtual time: its length, each kind of call's latency, each actor's waits, the GPU's side. */
  private static ObjectNode timing(org.userptrlab.core.time.Timing t) {
    ObjectNode o = MAPPER.createObjectNode().put("totalNs", t.totalNs());
    ArrayNode calls = o.putArray("calls");
    for (org.userptrlab.core.time.Latency l : t.latencies()) {
      calls.addObject().put("kind", l.kind().name()).put("count", l.count()).put("medianNs", l.median()).put("p99Ns", l.p99())
          .put("maxNs", l.max()).put("waitedNs", l.waited());
    }
    ArrayNode actors = o.putArray("actors");
    for (org.userptrlab.core.time.Timing.ActorTime a : t.actors()) {
      actors.addObject().put("name", a.name()).put("kind", a.kind().name()).put("busyUntilNs", a.busyUntil()).put("waitedNs", a.waited());
    }
    org.userptrlab.core.time.GpuTiming g = t.gpu();
    o.putObject("gpu").put("jobs", g.jobs()).put("busyNs", g.busyNs()).put("retries", g.retries()).put("timeouts", g.timeouts())
        .put("preemptions", g.preemptions()).put("refaults", g.refaults());
    return o;
  }

  private static JsonNode failure(Failure f) {
    if (f == null) {
      return MAPPER.nullNode();
    }
    ObjectNode o = MAPPER.createObjectNode();
    if (f.errno() == null) {
      o.putNull("errno");
    } else {
      o.put("errno", f.errno().name());
    }
    if (f.signal() != null) {
      o.put("signal", f.signal());
    }
    return o.put("message", f.message());
  }

  private static ObjectNode sweep(SweepResult s) {
    KernelConfig kernel = s.kernel();
    ObjectNode o = MAPPER.createObjectNode().put("kernel", kernel.name()).put("baseline", s.strategies().get(0));
    ArrayNode strategies = o.putArray("strategies");
    s.strategies().forEach(strategies::add);
    ArrayNode points = o.putArray("points");
    for (SweepResult.Point pt : s.points()) {
      ObjectNode po = points.addObject().put("sizeBytes", pt.size()).put("strategy", pt.strategy())
          .put("verdict", pt.run().verdict().name());
      po.set("refusal", failure(pt.run().refusal() != null ? pt.run().refusal() : pt.run().error()));
      ObjectNode totals = po.putObject("totalNs");
      if (!pt.refused()) {
        for (PlatformProfile p : s.profiles()) {
          totals.put(p.name(), tenth(pt.totalNs(p)));
        }
      }
    }
    ArrayNode crossovers = o.putArray("crossovers");
    for (Crossover c : s.crossovers()) {
      ObjectNode co = crossovers.addObject().put("profile", c.profile().name()).put("baseline", c.baseline())
          .put("challenger", c.challenger());
      if (c.from() > 0) {
        co.put("fromBytes", c.from());
      } else {
        co.putNull("fromBytes");
      }
      ArrayNode cheaper = co.putArray("cheaperAtBytes");
      c.cheaperAt().forEach(cheaper::add);
      ArrayNode refused = co.putArray("refusedAtBytes");
      c.refusedAt().forEach(refused::add);
      co.put("text", c.describe());
    }
    return o;
  }

  private static double tenth(double ns) {
    return Math.round(ns * 10) / 10.0;
  }
}
