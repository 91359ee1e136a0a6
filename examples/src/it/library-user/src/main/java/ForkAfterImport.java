import org.userptrlab.core.cost.Profiles;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.lab.scenarios.Catalogue;
import org.userptrlab.mm.KernelConfig;

public class ForkAfterImport {
  public static void main(String[] args) {
    Comparison cmp = new Comparison(LabOptions.builder().strategies("copy", "backed-pin", "backed-longterm").build());
    RunResult r = cmp.run(Catalogue.byName("fork-then-parent-writes"), "backed-pin", KernelConfig.LINUX_6_12);
    // A plain page reference does not survive fork on a modern kernel: the GPU keeps the child's page.
    if (r.verdict() != RunResult.Verdict.BROKEN || !r.has(HazardKind.GPU_WRITE_REACHED_CHILD)) {
      throw new AssertionError("expected the fork hazard, got " + r.summary());
    }
    RunResult pinned = cmp.run(Catalogue.byName("fork-then-parent-writes"), "backed-longterm", KernelConfig.LINUX_6_12);
    if (pinned.verdict() != RunResult.Verdict.KEPT) {
      throw new AssertionError("a FOLL_LONGTERM pin survives fork since 5.9: " + pinned.summary());
    }
    System.out.printf("backed-pin: %s; %.1f us on %s%n", r.summary(), r.totalNs(Profiles.X86_DESKTOP_2012) / 1000,
        Profiles.X86_DESKTOP_2012.name());
  }
}
