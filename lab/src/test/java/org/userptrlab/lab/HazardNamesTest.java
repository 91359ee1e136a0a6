package org.userptrlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.userptrlab.core.harness.Comparison;
import org.userptrlab.core.harness.Hazard;
import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.core.harness.LabOptions;
import org.userptrlab.core.harness.RunResult;
import org.userptrlab.lab.lang.Parser;
import org.userptrlab.lab.scenarios.TextScenario;
import org.userptrlab.mm.KernelConfig;

/** A hazard names only objects the program still has: a name bound again stands for its new value. */
class HazardNamesTest {
  static final String REBOUND = """
      scenario rebind "an object's name bound again, to an import of the buffer malloc() gave over the freed one's addresses"
      observe
      p = app app
      buf = p.malloc 64K
      p.fill buf 64K 1
      obj = p.userptr buf 64K
      p.free buf
      other = p.malloc 64K
      p.fill other 64K 3
      obj = p.userptr other 64K
      w = gpu.write obj 9
      p.close obj
      """;

  static final String ORPHANED = """
      scenario orphan "the GPU writes through an object whose buffer was freed and reused"
      observe
      p = app app
      buf = p.malloc 64K
      p.fill buf 64K 1
      obj = p.userptr buf 64K
      p.free buf
      other = p.malloc 64K
      p.fill other 64K 3
      w = gpu.write obj 9
      p.close obj
      """;

  static RunResult run(String text) {
    TextScenario s = new TextScenario("p.scenario", Parser.parse("p.scenario", text));
    return new Comparison(LabOptions.builder().strategies("copy", "backed-pin").kernels(KernelConfig.LINUX_6_12).build())
        .run(s, "backed-pin", KernelConfig.LINUX_6_12);
  }

  @Test
  void aWriteThroughTheNewObjectOfAReboundNameIsNoWriteThroughTheOldOne() {
    assertThat(run(REBOUND).hazards()).extracting(Hazard::kind).doesNotContain(HazardKind.REUSED_MEMORY_WRITTEN);
  }

  @Test
  void aWriteThroughTheOrphanItselfIsStillNamed() {
    assertThat(run(ORPHANED).hazards()).filteredOn(h -> h.kind() == HazardKind.REUSED_MEMORY_WRITTEN).singleElement()
        .extracting(Hazard::detail).asString().contains("the GPU wrote through obj, imported from buf", "other, allocated since");
  }
}
