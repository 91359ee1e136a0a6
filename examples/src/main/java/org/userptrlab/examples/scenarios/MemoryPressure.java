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
    return "import 8 MiB on a 32 MiB machine with swap; another program then needs 50 MiB";
  }

  @Override
  public MachineConfig.Builder machine(MachineConfig.Builder defaults) {
    return defaults.ram(32L << 20).swap(80L << 20);
  }

  @Override
  long size() {
    return 8L << 20;
  }

  @Override
  void hazard(App app, long buf, int handle) {
    long before = app.m.vmstat().get(VmEvent.PSWPOUT);
    app.pressure(50L << 20);
    app.reportSwapped(buf, size());
    if (app.m.vmstat().get(VmEvent.PSWPOUT) == before) {
      app.run.hazard(HazardKind.PRESSURE_INEFFECTIVE, "memory pressure swapped nothing out");
    }
  }
}
