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
 * Draws the report as SVG: the verdict matrix as a coloured grid ({@code verdicts.svg}, for a
 * comparison), each sweep as cost curves ({@code sweep-<kernel>.svg}), and the timeline as a grid
 * of kernels with the flipping changes named ({@code timeline.svg}), and each run that kept its
 * time's spans as a Gantt chart ({@code gantt-<scenario>-<strategy>-<kernel>.svg}). Refused sizes
 * are drawn as crosses on the axis, and the curve breaks there.
 */
public final class SvgWriter implements ReportWriter {
  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2"};

  @Override
  public List<Document> write(LabReport report) {
    List<Document> docs = new ArrayList<>();
    if (!report.runs().isEmpty()) {
      List<MachineConfig.Thp> modes = report.thp().modes();
      if (modes.isEmpty()) {
        docs.add(new Document("verdicts.svg", matrix(report, report.runs(), "")));
      }
      // compare --thp: a chart of each mode's runs, named after it whatever the order the modes were given in.
      for (int i = 0; i < modes.size(); i++) {
        String mode = modes.get(i).sysfsName();
        List<RunResult> runs = i == 0 ? report.runs() : report.thp().others().get(i - 1);
        docs.add(new Document("verdicts-thp-" + mode + ".svg", matrix(report, runs, " (THP " + mode + ")")));
      }
    }
    for (SweepResult s : report.sweeps()) {
      docs.add(new Document("sweep-" + s.kernel().name() + ".svg", sweep(s)));
    }
    if (!report.timeline().rows().isEmpty()) {
      docs.add(new Document("timeline.svg", timeline(report.timeline())));
    }
    for (RunResult r : report.runs()) {
      if (!r.timing().spans().isEmpty()) {
        docs.add(new Document(GanttChart.name(r), GanttChart.draw(r)));
      }
    }
    return docs;
  }

  private static String fill(RunResult.Verdict v) {
    return switch (v) {
      case KEPT -> "#8fd18f";
      case BROKEN -> "#f08080";
      case REFUSED -> "#c8c8c8";
      case ERROR -> "#ffd966";
    };
  }

  /**
   * The timeline: kernels along, one row per scenario and strategy down; each cell coloured by
   * verdict, and where the outcome flipped on the way from the kernel before, the change that did
   * it is named in the cell, with its commit in the tooltip.
   */
  static String timeline(TimelineResult tl) {
    int cellW = 122;
    int cellH = 30;
    int left = 330;
    int top = 60;
    // Wide enough for the legend's lines too, as the verdicts' chart is.
    int width = Math.max(left + cellW * tl.kernels().size() + 20, 20 + (int) (CHAR_W * Math.max(TIMELINE_LEGEND.length(),
        TIMELINE_CHECKS.length())));
    int height = top + cellH * tl.rows().size() + 76;
    StringBuilder sb = header(width, height);
    sb.append(text(10, 24, 16, "bold", "Which kernel change flipped each outcome"));
    for (int c = 0; c < tl.kernels().size(); c++) {
      sb.append(text(left + c * cellW + 4, top - 8, 12, "bold", tl.kernels().get(c).name()));
    }
    for (int row = 0; row < tl.rows().size(); row++) {
      TimelineResult.Row r = tl.rows().get(row);
      int y = top + row * cellH;
      sb.append(text(10, y + 19, 12, "normal", r.scenario() + " / " + r.strategy()));
      for (int c = 0; c < tl.kernels().size(); c++) {
        TimelineResult.Outcome o = r.outcomes().get(c);
        List<TimelineResult.Flip> flips = r.flipsInto(tl.kernels().get(c));
        StringBuilder tip = new StringBuilder(o.describe());
        for (TimelineResult.Flip f : flips) {
          tip.append(String.format(" | %s%s (%s, %s)", f.added() ? "" : "without ", f.change().id(), f.change().release(),
              f.change().citation()));
        }
        int x = left + c * cellW;
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"white\"><title>%s</title></rect>%n",
            x, y, cellW, cellH, fill(o.verdict()), escape(tip.toString())));
        sb.append(text(x + 5, y + 12, 10, "normal", o.code()));
        if (!flips.isEmpty()) {
          sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"3\" height=\"%d\" fill=\"#333\"/>%n", x, y, cellH));
          sb.append(text(x + 5, y + 25, 9, "bold", String.join(", ", flips.stream().map(f -> (f.added() ? "" : "-") + f.change().id()).toList())));
        }
      }
    }
    int ly = top + tl.rows().size() * cellH + 30;
    sb.append(text(10, ly, 11, "normal", TIMELINE_LEGEND));
    sb.append(text(10, ly + 16, 11, "normal", TIMELINE_CHECKS));
    return sb.append("</svg>\n").toString();
  }

  private static final String TIMELINE_LEGEND = "green: kept   red: broken   grey: refused   yellow: scenario error   !: hazards   "
      + "a bar and a name: the change that flipped the outcome from the kernel before (hover for the commit)";
  private static final String TIMELINE_CHECKS = "after /: what the program's own checks came to (PASS, FAIL, SKIP, XFAIL; "
      + "REFUSED: an import was refused, and the checks after it not made)";

  /**
   * The verdicts of {@code runs}: one row per scenario and kernel, one column per strategy; green kept, red broken, grey
   * refused, a dot for hazards; {@code mode} ends the title (which THP mode, for compare --thp).
   */
  static String matrix(LabReport report, List<RunResult> runs, String mode) {
    List<String> strategies = report.strategies().stream().map(Strategies.Info::name).toList();
    List<String> scenarios = report.scenarios().stream().map(Scenario::name).toList();
    List<KernelConfig> kernels = report.kernels();
    int cellW = 130;
    int cellH = 22;
    // Wide enough for the longest "scenario (kernel)" label at about 7 pixels a character.
    int longest = scenarios.stream().mapToInt(String::length).max().orElse(0)
        + kernels.stream().mapToInt(k -> k.name().length()).max().orElse(0) + 3;
    int left = Math.max(250, 20 + 7 * longest);
    int top = 60;
    int rows = scenarios.size() * kernels.size();
    // Wide enough for the legend too, at about 6.2 pixels a character of its 11-pixel text.
    int width = Math.max(left + cellW * strategies.size() + 20, 20 + (int) (CHAR_W * LEGEND.length()));
    int height = top + cellH * rows + 60;
    StringBuilder sb = header(width, height);
    sb.append(text(10, 24, 16, "bold", "Does each strategy keep its contract?" + mode));
    for (int c = 0; c < strategies.size(); c++) {
      sb.append(text(left + c * cellW + 4, top - 8, 12, "bold", strategies.get(c)));
    }
    int row = 0;
    for (String s : scenarios) {
      for (KernelConfig kernel : kernels) {
        int y = top + row * cellH;
        sb.append(text(10, y + 15, 12, "normal", s + " (" + kernel.name() + ")"));
        for (int c = 0; c < strategies.size(); c++) {
          RunResult r = LabReport.find(runs, s, kernel, strategies.get(c));
          if (r == null) {
            continue;
          }
          String fill = fill(r.verdict());
          int x = left + c * cellW;
          sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"white\"><title>%s</title></rect>%n",
              x, y, cellW, cellH, fill, escape(r.summary() + (r.hazards().isEmpty() ? "" : " | " + String.join(" | ", r.hazards().stream().map(Hazard::detail).toList())))));
          sb.append(text(x + 6, y + 15, 11, "normal", r.verdict().name().toLowerCase(Locale.ROOT)));
          if (!r.hazards().isEmpty()) {
            sb.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"5\" fill=\"#e67e00\"/>%n", x + cellW - 12, y + cellH / 2));
          }
        }
        row++;
      }
    }
    int ly = top + rows * cellH + 30;
    sb.append(text(10, ly, 11, "normal", LEGEND));
    return sb.append("</svg>\n").toString();
  }

  private static final String LEGEND =
      "green: kept   red: broken   grey: refused   yellow: scenario error   orange dot: hazards reported (hover a cell for details)";

  /** Dash patterns, one per strategy, so that curves stay apart where their colours do not. */
  private static final String[] DASHES = {"", "7 4", "2 3", "9 3 2 3", "1 5", "12 5", "4 2 1 2"};

  /** Roughly the width of one character of an 11-pixel sans-serif caption, for wrapping. */
  private static final double CHAR_W = 6.2;

  /**
   * The sweep: one panel per profile, cost of one upload against size, both axes logarithmic. Each
   * strategy has its own colour, dash pattern and marker; a curve identical to an earlier one is
   * drawn a few pixels below it and says so in the legend. The legend and the crossover captions
   * sit under the panel and wrap to its width, however many strategies there are.
   */
  static String sweep(SweepResult sweep) {
    List<PlatformProfile> profiles = sweep.profiles();
    int panelW = 420;
    int panelH = 300;
    int gap = 110;
    int width = 40 + profiles.size() * (panelW + gap);
    StringBuilder body = new StringBuilder();
    List<Long> sizes = sweep.sizes();
    double minX = Math.log(sizes.get(0)) / Math.log(2);
    double maxX = Math.max(minX + 1, Math.log(sizes.get(sizes.size() - 1)) / Math.log(2));
    int bottom = 0;
    for (int i = 0; i < profiles.size(); i++) {
      PlatformProfile p = profiles.get(i);
      int ox = 90 + i * (panelW + gap);
      int oy = 50;
      double minY = Double.MAX_VALUE;
      double maxY = 1e-3;
      for (SweepResult.Point pt : sweep.points()) {
        if (!pt.refused()) {
          double v = pt.totalNs(p) / 1000.0;
          minY = Math.min(minY, v);
          maxY = Math.max(maxY, v);
        }
      }
      double ly0 = Math.floor(Math.log10(Math.max(Math.min(minY, maxY), 1e-3)));
      double ly1 = Math.max(ly0 + 1, Math.ceil(Math.log10(maxY)));
      body.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n", ox, oy, panelW, panelH));
      body.append(text(ox, oy - 8, 13, "bold", p.name()));
      for (double e = ly0; e <= ly1; e++) {
        double y = oy + panelH - (e - ly0) / (ly1 - ly0) * panelH;
        body.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n", ox, y, ox + panelW, y));
        body.append(text(ox - 80, (int) y + 4, 10, "normal", String.format(Locale.ROOT, "%s us", fmt(Math.pow(10, e)))));
      }
      for (int k = 0; k < sizes.size(); k++) {
        double x = ox + (Math.log(sizes.get(k)) / Math.log(2) - minX) / (maxX - minX) * panelW;
        if (k % 4 == 0 || k == sizes.size() - 1) {
          body.append(text((int) x - 14, oy + panelH + 16, 10, "normal", Sizes.format(sizes.get(k))));
        }
      }
      List<String> strategies = sweep.strategies();
      List<List<Double>> curves = new ArrayList<>();
      List<String> legend = new ArrayList<>();
      for (int k = 0; k < strategies.size(); k++) {
        String s = strategies.get(k);
        List<Double> ys = new ArrayList<>();
        for (long size : sizes) {
          SweepResult.Point pt = sweep.point(size, s);
          ys.add(pt.refused() ? null : Math.log10(Math.max(pt.totalNs(p) / 1000.0, Math.pow(10, ly0))));
        }
        int same = curves.indexOf(ys);
        int offset = 0;
        for (List<Double> c : curves) {
          offset += c.equals(ys) ? 3 : 0;
        }
        curves.add(ys);
        legend.add(same < 0 ? s : s + " (same as " + strategies.get(same) + ")");
        String color = COLORS[k % COLORS.length];
        StringBuilder path = new StringBuilder();
        StringBuilder marks = new StringBuilder();
        boolean pen = false;
        for (int j = 0; j < sizes.size(); j++) {
          double x = ox + (Math.log(sizes.get(j)) / Math.log(2) - minX) / (maxX - minX) * panelW;
          if (ys.get(j) == null) {
            body.append(text((int) x - 4, oy + panelH - 4 - 12 * k, 12, "bold", "x"));
            pen = false;
            continue;
          }
          double y = oy + panelH - (ys.get(j) - ly0) / (ly1 - ly0) * panelH + offset;
          path.append(pen ? " L" : (path.length() == 0 ? "M" : " M")).append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
          marks.append(marker(k, x, y, color));
          pen = true;
        }
        body.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n", path, color,
            dash(k)));
        body.append(marks);
      }
      // The legend under the axis labels, wrapping to the panel's width; then the crossovers.
      int y = oy + panelH + 36;
      int x = ox;
      for (int k = 0; k < legend.size(); k++) {
        int w = 40 + (int) Math.ceil(legend.get(k).length() * CHAR_W);
        if (x > ox && x + w > ox + panelW) {
          x = ox;
          y += 16;
        }
        String color = COLORS[k % COLORS.length];
        body.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
            x, y - 4, x + 28, y - 4, color, dash(k)));
        body.append(marker(k, x + 14, y - 4, color));
        body.append(text(x + 34, y, 11, "normal", legend.get(k)));
        x += w + 12;
      }
      y += 8;
      for (Crossover c : sweep.crossovers()) {
        if (c.profile().equals(p)) {
          for (String line : wrap(c.challenger() + " cheaper " + c.describe(), (int) (panelW / CHAR_W))) {
            y += 14;
            body.append(text(ox, y, 11, "normal", line));
          }
        }
      }
      for (String note : org.userptrlab.lab.Sweep.notes(strategies)) {
        y += 6;
        for (String line : wrap(note, (int) (panelW / CHAR_W))) {
          y += 14;
          body.append(text(ox, y, 11, "normal", line));
        }
      }
      bottom = Math.max(bottom, y);
    }
    StringBuilder sb = header(width, bottom + 20);
    sb.append(text(10, 24, 16, "bold", "One upload: cost against size, kernel " + sweep.kernel().name()));
    return sb.append(body).append("</svg>\n").toString();
  }

  private static String dash(int k) {
    String d = DASHES[k % DASHES.length];
    return d.isEmpty() ? "" : " stroke-dasharray=\"" + d + "\"";
  }

  /** The k-th strategy's marker at (x, y): a circle, square, triangle, diamond, cross, plus, then round again. */
  private static String marker(int k, double x, double y, String color) {
    return switch (k % 6) {
      case 0 -> String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y, color);
      case 1 -> String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"6\" height=\"6\" fill=\"%s\"/>%n", x - 3, y - 3, color);
      case 2 -> String.format(Locale.ROOT, "<path d=\"M%.1f %.1f L%.1f %.1f L%.1f %.1f Z\" fill=\"%s\"/>%n", x, y - 4, x + 4, y + 3, x - 4,
          y + 3, color);
      case 3 -> String.format(Locale.ROOT, "<path d=\"M%.1f %.1f L%.1f %.1f L%.1f %.1f L%.1f %.1f Z\" fill=\"%s\"/>%n", x, y - 4, x + 4, y,
          x, y + 4, x - 4, y, color);
      case 4 -> String.format(Locale.ROOT, "<path d=\"M%.1f %.1f L%.1f %.1f M%.1f %.1f L%.1f %.1f\" stroke=\"%s\" stroke-width=\"2\"/>%n",
          x - 3, y - 3, x + 3, y + 3, x - 3, y + 3, x + 3, y - 3, color);
      default -> String.format(Locale.ROOT, "<path d=\"M%.1f %.1f L%.1f %.1f M%.1f %.1f L%.1f %.1f\" stroke=\"%s\" stroke-width=\"2\"/>%n",
          x - 4, y, x + 4, y, x, y - 4, x, y + 4, color);
    };
  }

  /** {@code s} in lines of at most {@code columns} characters, broken at spaces (a longer word stands alone). */
  static List<String> wrap(String s, int columns) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : s.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > columns) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    lines.add(line.toString());
    return lines;
  }

  private static StringBuilder header(int width, int height) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\">%n", width, height));
    sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    return sb;
  }

  private static String text(int x, int y, int size, String weight, String s) {
    return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" font-weight=\"%s\">%s</text>%n", x, y, size, weight, escape(s));
  }

  private static String fmt(double v) {
    return v >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
