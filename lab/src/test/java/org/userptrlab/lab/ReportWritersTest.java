package org.userptrlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.userptrlab.core.cost.Cost;
import org.userptrlab.core.cost.CostItem;
import org.userptrlab.core.cost.PlatformProfile;
import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Check;
import org.userptrlab.core.harness.Failure;
import org.userptrlab.core.harness.Hazard;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.core.harness.Scenario;
import org.userptrlab.core.harness.ScenarioRun;
import org.userptrlab.core.inject.Strategies;
import org.userptrlab.core.spi.Contract;
import org.userptrlab.core.spi.Promise;
import org.userptrlab.lab.report.Document;
import org.userptrlab.lab.report.Format;
import org.userptrlab.lab.report.SvgWriter;
import org.userptrlab.mm.Errno;
import org.userptrlab.mm.KernelConfig;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The writers on a report made by hand: every verdict, a refusal, a hazard with awkward text, many strategies in a sweep. */
class ReportWritersTest {
  static final PlatformProfile P = Profiles.EPYC_GUEST;
  static final KernelConfig K = KernelConfig.LINUX_6_12;

  record Named(String name) implements Scenario {
    @Override
    public String description() {
      return "a scenario called " + name;
    }

    @Override
    public void run(ScenarioRun run) {
      throw new UnsupportedOperationException("made by hand");
    }
  }

  static RunResult run(String scenario, String strategy, double ns, Failure refusal, Failure error, List<Check> checks,
      List<Hazard> hazards) {
    Map<CostItem, Double> items = new EnumMap<>(CostItem.class);
    for (CostItem i : CostItem.values()) {
      items.put(i, 0.0);
    }
    items.put(CostItem.IOCTLS, ns);
    return new RunResult(scenario, strategy, Contract.SNAPSHOT, K, K, List.of(), List.of(), checks, hazards, refusal, error, null,
        Map.of(), 1, List.of(new Cost(P, items)), org.userptrlab.mm.Coverage.NONE, org.userptrlab.core.time.Timing.NONE);
  }

  static final List<Check> KEPT = List.of(new Check(Promise.GPU_SEES_IMPORTED_BYTES, "the GPU saw the bytes", true));

  /** a: copy kept, steal broken with a hazard whose text needs escaping; b: copy refused, steal a scenario error. */
  static LabReport report(Set<FailOn> failOn) {
    List<RunResult> runs = List.of(
        run("a", "copy", 1500, null, null, KEPT, List.of()),
        run("a", "steal", 2500, null, null, List.of(new Check(Promise.GPU_SEES_IMPORTED_BYTES, "the GPU saw <the> \"bytes\" & more", false),
            new Check(Promise.GPU_KEEPS_SNAPSHOT, "the snapshot held", false)),
            List.of(new Hazard(HazardKind.FELL_BACK_TO_COPY, "fell back \u0001 to <copy> & 'so'"))),
        run("b", "copy", 99_000, new Failure(Errno.EFAULT, "the range has a hole"), null, List.of(), List.of()),
        run("b", "steal", 77_000, null, new Failure(Errno.ENOMEM, "out of memory"), List.of(), List.of()));
    List<Strategies.Info> infos = List.of(new Strategies.Info("copy", Contract.SNAPSHOT, "test"),
        new Strategies.Info("steal", Contract.MOVE, "test"));
    return new LabReport(LabReport.Command.RUN, "0.0.0", LabOptions.DEFAULT_MACHINE, infos, List.of(K), List.of(P),
        List.of(new Named("a"), new Named("b")), runs, List.of(), TimelineResult.NONE, List.of(), failOn, ThpContrast.NONE);
  }

  static String render(Format f, LabReport r) {
    return f.writer().write(r).get(0).content();
  }

  @Test
  void aRefusedOrFailedRunHasNoCostAsIfItRan() {
    String table = render(Format.TABLE, report(Set.of()));
    String costs = table.substring(table.indexOf("Cost in microseconds"));
    assertThat(costs).contains("refused", "error").doesNotContain("99.0", "77.0");
    String csv = Format.CSV.writer().write(report(Set.of())).stream().filter(d -> d.name().equals("costs.csv")).findFirst()
        .orElseThrow().content();
    assertThat(csv).contains("a,6.12,copy").doesNotContain("b,6.12,copy", "b,6.12,steal");
  }

  @Test
  void aSummaryEndsInItsLastWordNotASemicolon() {
    String table = render(Format.TABLE, report(Set.of()));
    assertThat(table).contains("BROKEN: the GPU saw <the> \"bytes\" & more; the snapshot held\n").doesNotContain(";\n");
  }

  /** A check's name may hold a line break (a string's \n): its row stays one line, the break shown as its escape. */
  @Test
  void aCellWithALineBreakStaysOneLine() {
    String plain = new org.userptrlab.lab.report.TextTable(List.of("check", "verdict"), 1).row(List.of("a\nb\tc", "PASS")).plain();
    assertThat(plain.lines()).hasSize(3);
    assertThat(plain).contains("a\\nb\\tc  PASS");
  }

  @Test
  void markdownRightAlignsOnlyColumnsOfFigures() {
    String md = render(Format.MARKDOWN, report(Set.of()));
    List<String> rules = md.lines().filter(l -> l.startsWith("| ---")).toList();
    // The verdict table: scenario, kernel, copy, steal, all text; the cost table: figures under copy and steal.
    String verdicts = md.substring(md.indexOf("## Verdicts"));
    assertThat(verdicts.lines().filter(l -> l.startsWith("| ---")).findFirst().orElseThrow()).isEqualTo("| --- | --- | --- | --- |");
    String costs = md.substring(md.indexOf("## Cost in"));
    assertThat(costs.lines().filter(l -> l.startsWith("| ---")).findFirst().orElseThrow()).isEqualTo("| --- | --- | ---: | ---: |");
    assertThat(rules).isNotEmpty();
  }

  @Test
  void junitIsWellFormedWithOneSuitePerScenarioAndOneCasePerRun() throws Exception {
    String xml = render(Format.JUNIT, report(Set.of(FailOn.BROKEN, FailOn.HAZARD)));
    org.w3c.dom.Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    Element root = doc.getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("testsuites");
    assertThat(root.getAttribute("tests")).isEqualTo("4");
    NodeList suites = root.getElementsByTagName("testsuite");
    assertThat(suites.getLength()).isEqualTo(2);
    assertThat(((Element) suites.item(0)).getAttribute("name")).isEqualTo("a");
    NodeList cases = doc.getElementsByTagName("testcase");
    assertThat(cases.getLength()).isEqualTo(4);
    assertThat(((Element) cases.item(1)).getAttribute("name")).isEqualTo("steal on 6.12");
    Element failure = (Element) doc.getElementsByTagName("failure").item(0);
    assertThat(failure.getAttribute("type")).isEqualTo("BROKEN,HAZARD");
    assertThat(failure.getAttribute("message")).isEqualTo("BROKEN: the GPU saw <the> \"bytes\" & more; the snapshot held");
    assertThat(failure.getTextContent()).contains("fell back \uFFFD to <copy> & 'so'");
    assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(1);
    assertThat(doc.getElementsByTagName("error").getLength()).as("a scenario error always").isEqualTo(1);
    assertThat(doc.getElementsByTagName("skipped").getLength()).as("a refusal ran nothing").isEqualTo(1);
    assertThat(((Element) suites.item(1)).getAttribute("errors")).isEqualTo("1");
  }

  @Test
  void junitWithoutFailOnMarksOnlyTheScenarioError() throws Exception {
    String xml = render(Format.JUNIT, report(Set.of()));
    org.w3c.dom.Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    assertThat(doc.getElementsByTagName("failure").getLength()).isZero();
    assertThat(doc.getElementsByTagName("error").getLength()).isEqualTo(1);
  }

  @Test
  void failOnSelectsTheRunsThatFail() {
    assertThat(report(Set.of()).failed()).isEmpty();
    assertThat(report(Set.of(FailOn.BROKEN)).failed()).extracting(RunResult::strategy).containsExactly("steal");
    assertThat(report(Set.of(FailOn.ERROR)).failed()).extracting(RunResult::scenario).containsExactly("b");
    assertThat(report(Set.of(FailOn.REFUSED)).failed()).extracting(RunResult::strategy).as("b's copy was refused").containsExactly("copy");
    assertThat(report(Set.of(FailOn.values())).failed()).hasSize(3);
    assertThat(FailOn.parse("broken, HAZARD")).containsExactlyInAnyOrder(FailOn.BROKEN, FailOn.HAZARD);
  }

  /** A sweep of six strategies, two of whose curves are the same. */
  static SweepResult wideSweep() {
    List<String> strategies = List.of("copy", "steal", "mlock", "backed-pin", "backed-longterm", "backed-notifier");
    List<SweepResult.Point> points = new ArrayList<>();
    for (long size = 4096; size <= 1 << 20; size *= 2) {
      for (int k = 0; k < strategies.size(); k++) {
        // mlock costs what steal costs, at every size.
        double ns = size / 4.0 * (k == 2 ? 2 : k + 1);
        points.add(new SweepResult.Point(size, strategies.get(k), run("upload-" + size, strategies.get(k), ns, null, null, KEPT,
            List.of())));
      }
    }
    return new SweepResult(K, strategies, List.of(P), points);
  }

  @Test
  void theSweepChartShowsEveryCaptionAndTellsIdenticalCurvesApart() throws Exception {
    SweepResult s = wideSweep();
    LabReport r = new LabReport(LabReport.Command.SWEEP, "0.0.0", LabOptions.DEFAULT_MACHINE, List.of(), List.of(K), List.of(P),
        List.of(), List.of(), List.of(s), TimelineResult.NONE, List.of());
    Document svg = new SvgWriter().write(r).get(0);
    org.w3c.dom.Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.content().getBytes(StandardCharsets.UTF_8)));
    int height = Integer.parseInt(doc.getDocumentElement().getAttribute("height"));
    int width = Integer.parseInt(doc.getDocumentElement().getAttribute("width"));
    NodeList texts = doc.getElementsByTagName("text");
    List<String> all = new ArrayList<>();
    for (int i = 0; i < texts.getLength(); i++) {
      Element t = (Element) texts.item(i);
      all.add(t.getTextContent());
      assertThat(Integer.parseInt(t.getAttribute("y"))).as("'%s' lies inside the picture", t.getTextContent()).isLessThan(height);
      assertThat(Integer.parseInt(t.getAttribute("x")) + t.getTextContent().length() * 5).as("'%s' fits across", t.getTextContent())
          .isLessThanOrEqualTo(width);
    }
    String captions = String.join(" ", all);
    for (Crossover c : s.crossovers()) {
      assertThat(captions).as("the caption of %s", c.challenger()).contains(c.challenger() + " cheaper");
    }
    assertThat(all).contains("mlock (same as steal)");
    NodeList paths = doc.getElementsByTagName("path");
    List<String> curveStyles = new ArrayList<>();
    for (int i = 0; i < paths.getLength(); i++) {
      Element p = (Element) paths.item(i);
      if ("none".equals(p.getAttribute("fill"))) {
        curveStyles.add(p.getAttribute("stroke") + "/" + p.getAttribute("stroke-dasharray"));
      }
    }
    assertThat(curveStyles).hasSize(6).doesNotHaveDuplicates();
    assertThat(captions).as("what an upload is for backed-notifier").contains("An upload under backed-notifier is the import");
  }

  @Test
  void aReleasePastTheNewestSaysWhatItRunsAs() {
    assertThat(Kernels.pastNewest(List.of(KernelConfig.LINUX_3_4, KernelConfig.LINUX_6_12))).isEmpty();
    List<String> notes = Kernels.pastNewest(List.of(Kernels.parse("9.9"), Kernels.parse("10.0"), Kernels.parse("9.9")));
    assertThat(notes).hasSize(2);
    assertThat(notes.get(0)).startsWith("kernel 9.9 is past 6.15, the newest release the model follows: it runs as 6.15, with the ")
        .contains("changes the model follows").doesNotContain("\n");
    assertThat(Kernels.newest()).isEqualTo(KernelConfig.linux("6.15").release());
  }

  @Test
  void aSweepWithBackedNotifierSaysWhatAnUploadIsForIt() {
    assertThat(Sweep.notes(List.of("copy", "steal"))).isEmpty();
    assertThat(Sweep.notes(List.of("copy", "backed-notifier"))).singleElement().asString().contains("hmm_range_fault", "ioctls");
  }
}
