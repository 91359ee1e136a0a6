package org.userptrlab.gem;

import com.google.inject.Inject;
import org.userptrlab.core.inject.RunScoped;
import org.userptrlab.core.driver.DriverStats;
import org.userptrlab.core.driver.UserptrImporter;
import org.userptrlab.core.time.VirtualClock;
import org.userptrlab.mm.Machine;
import org.userptrlab.mm.Process;

/**
 * A DRM device with GEM buffer objects and a userptr ioctl that uses the bound strategy. Its GPU
 * reads and writes objects by DMA inside jobs, which is how a scenario sees what the GPU sees.
 */
@RunScoped
public final class DrmDevice {
  final Machine machine;
  final UserptrImporter importer;
  final DriverStats stats;
  private final Gpu gpu;

  @Inject
  DrmDevice(Machine machine, UserptrImporter importer, DriverStats stats, VirtualClock clock) {
    this.machine = machine;
    this.importer = importer;
    this.stats = stats;
    this.gpu = new Gpu(machine.kernel(), clock);
  }

  /** open("/dev/dri/card0") by a process. */
  public DrmFile open(Process p) {
    return new DrmFile(this, p);
  }

  public Gpu gpu() {
    return gpu;
  }

  public Machine machine() {
    return machine;
  }
}
