package org.userptrlab.examples.scenarios;

import org.userptrlab.mm.MachineConfig;

/**
 * "userspace can munlock it in your back": the program munlocks its buffer after the import, then
 * another program needs memory. Which of the imported pages leave for swap while the GPU uses them?
 */
public final class MunlockBehindDriver extends HazardScenario {
  @Override
  public String name() {
    return "munlock-behind-driver";
  }

  @Override
  public String description() {
    return "import 4 MiB, the program munlock()s it, another program needs 48 MiB of a 32 MiB machine with swap";
  }

  @Override
  public MachineConfig.Builder machine(MachineConfig.Builder defaults) {
    return defaults.ram(32L << 20).swap(64L << 20);
  }

  @Override
  long size() {
    return 4L << 20;
  }

  @Override
  void hazard(App app, long buf, int handle) {
    app.p.munlock(buf & -4096L, size() + 4096);
    app.pressure(48L << 20);
    app.reportSwapped(buf, size());
  }
}
