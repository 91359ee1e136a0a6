package org.userptrlab.lab.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.time.Span;
import org.userptrlab.core.time.SpanKind;

/**
 * One run's time as a Gantt chart: a row for each CPU thread, GPU engine and kernel worker, in
 * the order they first acted; calls, waits, jobs and a kernel worker's attempts as bars, and
 * invalidations and retries as marks, over the run's virtual time.
 */
final class GanttChart {
  private static final int LEFT = 150;
  private static final int WIDTH = 900;
  private static final int ROW = 26;
  private static final int TOP = 50;

  private GanttChart() {}

  /** The longest scenario name a chart's file takes whole: a file name is at most 255 bytes. */
  private static final int NAME_MAX = 100;

  /** The file a run's chart goes in; a longer scenario name is cut, its hash telling it from others cut alike. */
  static String name(RunResult r) {
    String s = r.scenario();
    String scenario = s.length() <= NAME_MAX ? s : s.substring(0, NAME_MAX - 9) + "-" + String.format("%08x", s.hashCode());
    return "gantt-" + scenario + "-" + r.strategy() + "-" + r.kernel().name() + ".svg";
  }

  static String draw(RunResult r) {
    // A call that took no time (making a process, reading /proc) draws nothing, nor gives its actor a row.
    List<Span> spans = r.timing().spans().stream().filter(s -> s.kind() != SpanKind.CALL || s.length() > 0).toList();
    Map<String, Integer> rows = new LinkedHashMap<>();
    long end = 1;
    for (Span s : spans) {
      rows.putIfAbsent(s.actor(), rows.size());
      end = Math.max(end, s.end());
    }
    int height = TOP + rows.size() * ROW + 70;
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\">%n",
        LEFT + WIDTH + 20, height));
    sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", LEFT + WIDTH + 20, height));
    // The clock prices a run under the first profile (a run's costs follow the profiles in order).
    sb.append(text(10, 20, 14, r.scenario() + " under " + r.strategy() + " on " + r.kernel().name() + ": "
        + time(r.timing().totalNs()) + " of virtual time" + (r.costs().isEmpty() ? "" : ", priced on " + r.costs().get(0).profile().name())));
    for (Map.Entry<String, Integer> e : rows.entrySet()) {
      int y = TOP + e.getValue() * ROW;
      sb.append(text(10, y + 16, 12, e.getKey()));
      sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eeeeee\"/>%n", LEFT, y + ROW - 2,
          LEFT + WIDTH, y + ROW - 2));
    }
    // Bars first, then the waits and preemptions over them (a call's bar spans its wait), then the instants.
    for (int layer = 0; layer < 3; layer++) {
      for (Span s : spans) {
        if (layer(s.kind()) == layer) {
          sb.append(shape(s, TOP + rows.get(s.actor()) * ROW, end));
        }
      }
    }
    int axis = TOP + rows.size() * ROW + 10;
    sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, axis, LEFT + WIDTH, axis));
    for (int i = 0; i <= 4; i++) {
      long t = end * i / 4;
      // The last label ends at the axis's end, inside the picture.
      sb.append(text((int) x(t, end) - (i == 4 ? 6 * time(t).length() : 10), axis + 15, 10, time(t)));
    }
    int lx = LEFT;
    for (SpanKind k : SpanKind.values()) {
      sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>%n", lx, axis + 28, color(k)));
      sb.append(text(lx + 14, axis + 37, 10, k.name().toLowerCase(Locale.ROOT)));
      lx += 90;
    }
    sb.append("</svg>\n");
    return sb.toString();
  }

  private static int layer(SpanKind k) {
    return switch (k) {
      case CALL, JOB, WORK -> 0;
      case WAIT, SLEEP, RUNNABLE, PREEMPTED -> 1;
      case INVALIDATE, RETRY, GPU_FAULT -> 2;
    };
  }

  private static String shape(Span s, int y, long end) {
    double x0 = x(s.start(), end);
    double x1 = x(s.end(), end);
    if (layer(s.kind()) == 2 && s.length() == 0) {
      return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\">"
          + "<title>%s</title></line>%n", x0, y, x0, y + ROW - 4, color(s.kind()), escape(s.label() + " at " + time(s.start())));
    }
    // A wait is drawn narrower, inside the bar of the call it is part of.
    int inset = layer(s.kind()) == 0 ? 3 : 7;
    return String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>%n",
        x0, y + inset, Math.max(0.5, x1 - x0), ROW - 2 * inset - 2, color(s.kind()),
        escape(s.label() + ": " + time(s.start()) + " to " + time(s.end())));
  }

  private static double x(long t, long end) {
    return LEFT + WIDTH * (double) t / end;
  }

  private static String color(SpanKind k) {
    return switch (k) {
      case CALL -> "#1f77b4";
      case WAIT -> "#d62728";
      case SLEEP -> "#aec7e8";
      case RUNNABLE -> "#dbdb8d";
      case JOB -> "#2ca02c";
      case PREEMPTED -> "#ff7f0e";
      case INVALIDATE -> "#9467bd";
      case RETRY -> "#e377c2";
      case GPU_FAULT -> "#8c564b";
      case WORK -> "#7f7f7f";
    };
  }

  /** A time as a person reads it: 850 ns, 12.5 us, 5.00 ms, 86400.00 s. */
  static String time(long ns) {
    if (ns < 1_000) {
      return ns + " ns";
    }
    if (ns < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f us", ns / 1e3);
    }
    if (ns < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
    }
    return String.format(Locale.ROOT, "%.2f s", ns / 1e9);
  }

  private static String text(int x, int y, int size, String s) {
    return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\">%s</text>%n", x, y, size, escape(s));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
