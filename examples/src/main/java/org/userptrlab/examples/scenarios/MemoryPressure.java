package org.userptrlab.examples.scenarios;

import org.userptrlab.core.harness.HazardKind;
import org.userptrlab.mm.MachineConfig;
import org.userptrlab.mm.VmEvent;

/** Memory pressure and swap while the object lives ("page can't be swaped out or moved as regular anonymous page"). */
public final class MemoryPressure extends HazardScenario {
  @Override
  public String name() {
    return "memory-pressure";
  }

  @Override
  public String description() {
    return "import 8 MiB on a 64 MiB machine with swap; another program then needs 100 MiB";
  }

  @Override
  public MachineConfig.Builder machine(MachineConfig.Builder defaults) {
    return defaults.ram(64L << 20).swap(160L << 20);
  }

  @Override
  long size() {
    return 8L << 20;
  }

  @Override
  void hazard(App app, long buf, int handle) {
    long before = app.m.vmstat().get(VmEvent.PSWPOUT);
    app.pressure(100L << 20);
    reportSwapped(app, buf, size());
    if (app.m.vmstat().get(VmEvent.PSWPOUT) == before) {
      app.run.hazard(HazardKind.PRESSURE_INEFFECTIVE, "memory pressure swapped nothing out");
    }
  }
}
