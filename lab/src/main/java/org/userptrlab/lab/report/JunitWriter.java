package org.userptrlab.lab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.userptrlab.core.harness.Hazard;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.lab.FailOn;
import org.userptrlab.lab.LabReport;

/**
 * The runs as JUnit XML ({@code junit.xml}), for a CI server: one {@code testsuite} per scenario,
 * one {@code testcase} per strategy and kernel. A scenario error is always an {@code error}; a
 * broken contract or a hazard is a {@code failure} where the report's {@code --fail-on} selects
 * it; a refused import is {@code skipped}, since nothing ran. Every run's summary and hazards are
 * in its {@code system-out}.
 */
final class JunitWriter implements ReportWriter {
  @Override
  public List<Document> write(LabReport report) {
    // The runs under other THP modes (compare --thp) are test cases of their own, named with their mode.
    Map<String, List<RunResult>> suites = new LinkedHashMap<>();
    Map<RunResult, String> mode = new java.util.IdentityHashMap<>();
    for (RunResult r : report.runs()) {
      suites.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(r);
    }
    for (int i = 0; i < report.thp().others().size(); i++) {
      for (RunResult r : report.thp().others().get(i)) {
        suites.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(r);
        mode.put(r, " with THP " + report.thp().modes().get(i + 1).sysfsName());
      }
    }
    StringBuilder body = new StringBuilder();
    int[] all = new int[4];
    for (Map.Entry<String, List<RunResult>> s : suites.entrySet()) {
      int[] n = new int[4];
      StringBuilder cases = new StringBuilder();
      for (RunResult r : s.getValue()) {
        n[0]++;
        cases.append(String.format("    <testcase classname=\"%s\" name=\"%s\" time=\"0\">%n",
            attr("userptr-lab." + report.command().name().toLowerCase(Locale.ROOT) + "." + r.scenario()),
            attr(r.strategy() + " on " + r.kernel().name() + mode.getOrDefault(r, ""))));
        if (r.verdict() == RunResult.Verdict.ERROR) {
          n[2]++;
          cases.append(element("error", "ERROR", r.summary(), r.summary()));
        } else if (r.verdict() == RunResult.Verdict.REFUSED && report.failures(r).isEmpty()
            || (r.checkOutcome() == RunResult.CheckOutcome.SKIP && report.failures(r).isEmpty())) {
          n[3]++;
          cases.append(String.format("      <skipped message=\"%s\"/>%n", attr(r.summary())));
        } else {
          List<FailOn> failed = report.failures(r);
          if (!failed.isEmpty()) {
            n[1]++;
            String type = String.join(",", failed.stream().map(f -> f.name()).toList());
            cases.append(element("failure", type, r.summary(), details(r)));
          }
        }
        cases.append("      <system-out>").append(text(details(r))).append("</system-out>\n");
        cases.append("    </testcase>\n");
      }
      body.append(String.format("  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"0\">%n",
          attr(s.getKey()), n[0], n[1], n[2], n[3])).append(cases).append("  </testsuite>\n");
      for (int i = 0; i < 4; i++) {
        all[i] += n[i];
      }
    }
    String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + String.format("<testsuites name=\"userptr-lab %s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"0\">%n",
            attr(report.command().name().toLowerCase(Locale.ROOT)), all[0], all[1], all[2], all[3])
        + body + "</testsuites>\n";
    return List.of(new Document("junit.xml", xml));
  }

  private static String element(String name, String type, String message, String text) {
    return String.format("      <%s type=\"%s\" message=\"%s\">%s</%s>%n", name, attr(type), attr(message), text(text), name);
  }

  /** The summary, then one line per hazard. */
  private static String details(RunResult r) {
    StringBuilder sb = new StringBuilder(r.summary());
    for (Hazard h : r.hazards()) {
      sb.append("\nhazard ").append(h.kind()).append(": ").append(h.detail());
    }
    return sb.toString();
  }

  private static String attr(String s) {
    return text(s).replace("\"", "&quot;").replace("\n", "&#10;");
  }

  /** Escaped for XML 1.0 character data; characters XML 1.0 cannot hold at all become U+FFFD. */
  static String text(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(c -> {
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        default -> {
          boolean legal = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
              || (c >= 0x10000 && c <= 0x10FFFF);
          sb.appendCodePoint(legal ? c : 0xFFFD);
        }
      }
    });
    return sb.toString();
  }
}
