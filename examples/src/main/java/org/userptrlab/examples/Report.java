package org.userptrlab.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.mm.KernelEra;

/** Renders comparison results and sweeps for people (a terminal table, Markdown) and for machines (CSV, JSON). */
public final class Report {
  /** Output formats. */
  public enum Format { TABLE, MARKDOWN, CSV, JSON }

  private Report() {}

  public static String verdicts(List<RunResult> results, Format format) {
    if (format == Format.JSON) {
      return json(results);
    }
    if (format == Format.CSV) {
      StringBuilder sb = new StringBuilder("scenario,era,strategy,contract,verdict,detail,hazards\n");
      for (RunResult r : results) {
        sb.append(csv(r.scenario())).append(',').append(r.era()).append(',').append(csv(r.strategy())).append(',')
            .append(r.contract()).append(',').append(r.verdict()).append(',').append(csv(r.summary())).append(',')
            .append(csv(String.join("; ", r.hazards()))).append('\n');
      }
      return sb.toString();
    }
    List<String> strategies = distinct(results, RunResult::strategy);
    List<String> header = new ArrayList<>(List.of("scenario", "kernel"));
    header.addAll(strategies);
    List<List<String>> rows = new ArrayList<>();
    List<String> details = new ArrayList<>();
    for (String scenario : distinct(results, RunResult::scenario)) {
      for (KernelEra era : distinctEras(results)) {
        List<String> row = new ArrayList<>(List.of(scenario, era.release()));
        for (String s : strategies) {
          RunResult r = find(results, scenario, era, s);
          if (r == null) {
            row.add("-");
            continue;
          }
          String cell = r.verdict() == RunResult.Verdict.KEPT ? "kept" : r.verdict() == RunResult.Verdict.BROKEN ? "BROKEN" : "REFUSED";
          if (!r.hazards().isEmpty()) {
            cell += " +" + r.hazards().size() + " hazard" + (r.hazards().size() > 1 ? "s" : "");
          }
          row.add(cell);
          if (r.verdict() != RunResult.Verdict.KEPT || !r.hazards().isEmpty()) {
            StringBuilder d = new StringBuilder(String.format("%s, %s, kernel %s: %s", scenario, s, era.release(), r.summary()));
            for (String h : r.hazards()) {
              d.append("\n    hazard: ").append(h);
            }
            details.add(d.toString());
          }
        }
        rows.add(row);
      }
    }
    StringBuilder sb = new StringBuilder(table(header, rows, format));
    StringBuilder legend = new StringBuilder("contracts:");
    for (String st : strategies) {
      legend.append(' ').append(st).append('=').append(contractOf(results, st));
    }
    sb.append(format == Format.MARKDOWN ? "\n" : "").append(legend).append('\n');
    if (!details.isEmpty()) {
      sb.append(format == Format.MARKDOWN ? "\n" : "").append("\nWhat went wrong:\n");
      for (String d : details) {
        sb.append(format == Format.MARKDOWN ? "- " : "  ").append(d).append('\n');
      }
    }
    return sb.toString();
  }

  /** Whether each use case's program got what it needs (its {@code needs()}), whatever the strategy promised. */
  public static String fit(List<RunResult> results, Format format) {
    List<String> strategies = distinct(results, RunResult::strategy);
    List<String> header = new ArrayList<>(List.of("use case", "kernel"));
    header.addAll(strategies);
    List<List<String>> rows = new ArrayList<>();
    for (String scenario : distinct(results, RunResult::scenario)) {
      for (KernelEra era : distinctEras(results)) {
        List<String> row = new ArrayList<>(List.of(scenario, era.release()));
        boolean any = false;
        for (String st : strategies) {
          RunResult r = find(results, scenario, era, st);
          any |= r != null && !r.needs().isEmpty();
          row.add(r == null ? "-" : r.refusal() != null ? "refused" : r.serves() ? "yes" : "NO");
        }
        if (any) {
          rows.add(row);
        }
      }
    }
    return rows.isEmpty() ? "" : table(header, rows, format);
  }

  public static String costs(List<RunResult> results, PlatformProfile profile, Format format) {
    if (format == Format.JSON) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (RunResult r : results) {
        out.put(r.scenario() + "/" + r.era() + "/" + r.strategy(), r.costs().get(profile.name()));
      }
      return json(out);
    }
    List<String> strategies = distinct(results, RunResult::strategy);
    List<String> header = new ArrayList<>(List.of("scenario", "kernel"));
    header.addAll(strategies);
    List<List<String>> rows = new ArrayList<>();
    for (String scenario : distinct(results, RunResult::scenario)) {
      for (KernelEra era : distinctEras(results)) {
        List<String> row = new ArrayList<>(List.of(scenario, era.release()));
        for (String s : strategies) {
          RunResult r = find(results, scenario, era, s);
          row.add(r == null ? "-" : micros(r.totalNs(profile.name())));
        }
        rows.add(row);
      }
    }
    return table(header, rows, format);
  }

  public static String sweep(Sweep sweep, Format format) {
    if (format == Format.JSON) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("era", sweep.era());
      out.put("points", sweep.points());
      out.put("crossovers", crossovers(sweep));
      return json(out);
    }
    StringBuilder sb = new StringBuilder();
    for (PlatformProfile p : sweep.profiles()) {
      List<String> header = new ArrayList<>(List.of("size"));
      for (String s : sweep.strategies()) {
        header.add(s + " us");
      }
      List<List<String>> rows = new ArrayList<>();
      for (Sweep.Point pt : sweep.points()) {
        List<String> row = new ArrayList<>(List.of(size(pt.size())));
        for (String s : sweep.strategies()) {
          row.add(micros(pt.ns().get(s).get(p.name())));
        }
        rows.add(row);
      }
      if (format != Format.CSV) {
        sb.append(format == Format.MARKDOWN ? "### " : "").append("One upload on ").append(p.name()).append(", kernel ")
            .append(sweep.era().release()).append('\n');
      }
      sb.append(table(header, rows, format)).append('\n');
    }
    sb.append(crossoverText(sweep));
    return sb.toString();
  }

  static Map<String, Map<String, Long>> crossovers(Sweep sweep) {
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    String base = sweep.strategies().get(0);
    for (PlatformProfile p : sweep.profiles()) {
      Map<String, Long> m = new LinkedHashMap<>();
      for (String s : sweep.strategies().subList(1, sweep.strategies().size())) {
        m.put(s, sweep.crossover(p.name(), base, s));
      }
      out.put(p.name(), m);
    }
    return out;
  }

  /** The crossover lines: where each strategy becomes cheaper than the first (the baseline) for good. */
  public static String crossoverText(Sweep sweep) {
    StringBuilder sb = new StringBuilder();
    String base = sweep.strategies().get(0);
    for (Map.Entry<String, Map<String, Long>> e : crossovers(sweep).entrySet()) {
      for (Map.Entry<String, Long> c : e.getValue().entrySet()) {
        sb.append(String.format("crossover on %s (kernel %s): %s is cheaper than %s %s%n", e.getKey(), sweep.era().release(),
            c.getKey(), base, c.getValue() < 0 ? "at no size swept (" + size(sweep.points().get(0).size()) + " to "
                + size(sweep.points().get(sweep.points().size() - 1).size()) + ")" : "from " + size(c.getValue()) + " up"));
      }
    }
    return sb.toString();
  }

  static String size(long bytes) {
    if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + " B";
  }

  static String micros(double ns) {
    return String.format(Locale.ROOT, "%.1f", ns / 1000.0);
  }

  private static String table(List<String> header, List<List<String>> rows, Format format) {
    StringBuilder sb = new StringBuilder();
    if (format == Format.CSV) {
      sb.append(String.join(",", header.stream().map(Report::csv).toList())).append('\n');
      for (List<String> r : rows) {
        sb.append(String.join(",", r.stream().map(Report::csv).toList())).append('\n');
      }
      return sb.toString();
    }
    if (format == Format.MARKDOWN) {
      sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
      for (int i = 0; i < header.size(); i++) {
        sb.append(i < 2 ? " --- |" : " ---: |");
      }
      sb.append('\n');
      for (List<String> r : rows) {
        sb.append("| ").append(String.join(" | ", r)).append(" |\n");
      }
      return sb.toString();
    }
    int[] w = new int[header.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = header.get(i).length();
      for (List<String> r : rows) {
        w[i] = Math.max(w[i], r.get(i).length());
      }
    }
    appendRow(sb, header, w);
    StringBuilder rule = new StringBuilder();
    for (int x : w) {
      rule.append("-".repeat(x)).append("  ");
    }
    sb.append(rule.toString().stripTrailing()).append('\n');
    for (List<String> r : rows) {
      appendRow(sb, r, w);
    }
    return sb.toString();
  }

  private static void appendRow(StringBuilder sb, List<String> cells, int[] w) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      line.append(String.format("%-" + w[i] + "s  ", cells.get(i)));
    }
    sb.append(line.toString().stripTrailing()).append('\n');
  }

  private static String csv(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  private static String json(Object o) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> distinct(List<RunResult> results, java.util.function.Function<RunResult, String> f) {
    Set<String> s = new LinkedHashSet<>();
    results.forEach(r -> s.add(f.apply(r)));
    return List.copyOf(s);
  }

  private static List<KernelEra> distinctEras(List<RunResult> results) {
    Set<KernelEra> s = new LinkedHashSet<>();
    results.forEach(r -> s.add(r.era()));
    return List.copyOf(s);
  }

  private static String contractOf(List<RunResult> results, String strategy) {
    return results.stream().filter(r -> r.strategy().equals(strategy)).findFirst().map(r -> r.contract().name()).orElse("?");
  }

  private static RunResult find(List<RunResult> results, String scenario, KernelEra era, String strategy) {
    for (RunResult r : results) {
      if (r.scenario().equals(scenario) && r.era() == era && r.strategy().equals(strategy)) {
        return r;
      }
    }
    return null;
  }
}
