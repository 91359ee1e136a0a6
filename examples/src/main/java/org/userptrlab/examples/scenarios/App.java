package org.userptrlab.examples.scenarios;

import java.util.Set;
import org.userptrlab.core.UserptrFlag;
import org.userptrlab.core.harness.ScenarioRun;
import org.userptrlab.gem.DrmDevice;
import org.userptrlab.gem.DrmFile;
import org.userptrlab.gem.Gpu;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.Process;
import org.userptrlab.mm.SignalException;

/** A graphics program in a scenario: a process with two threads (CPUs 0 and 1) and the DRM device open. */
final class App {
  final ScenarioRun run;
  final Machine m;
  final Process p;
  final DrmFile f;
  final Gpu gpu;

  App(ScenarioRun run, String name) {
    this.run = run;
    this.m = run.machine();
    this.p = m.spawn(name);
    p.runOn(0, 1);
    DrmDevice dev = run.get(DrmDevice.class);
    this.f = dev.open(p);
    this.gpu = dev.gpu();
  }

  /** The userptr ioctl with no flags; what the strategy reported about the import goes into the run's hazards. */
  int userptr(long addr, long size) {
    int h = f.userptr(addr, size, Set.<UserptrFlag>of());
    for (String note : f.lookup(h).notes()) {
      if (note.startsWith("fell back")) {
        run.hazard(note);
      }
    }
    return h;
  }

  /** free(3), reporting whether it worked: an abort means the bytes before the block were lost. */
  boolean free(long ptr) {
    try {
      p.free(ptr);
      return true;
    } catch (SignalException e) {
      run.hazard("free() aborted: " + e.getMessage());
      return false;
    }
  }

  void end() {
    f.close();
    if (p.alive()) {
      p.exit();
    }
  }
}
