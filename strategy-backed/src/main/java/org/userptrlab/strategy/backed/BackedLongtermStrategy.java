package org.userptrlab.strategy.backed;

import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.Kernel;
import com.google.inject.Inject;
import java.util.List;
import org.userptrlab.core.spi.Contract;
import org.userptrlab.core.support.HeldPages;
import org.userptrlab.core.support.KernelStrategy;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.core.spi.UserptrRequest;
import org.userptrlab.mm.Foll;
import org.userptrlab.mm.PageRefs;

/**
 * A long-term pin as RDMA (ib_umem_get), VFIO and io_uring take one today: pin_user_pages with
 * FOLL_LONGTERM (pages are first migrated out of CMA and ZONE_MOVABLE), charged to pinned_vm
 * against RLIMIT_MEMLOCK unless the process has CAP_IPC_LOCK. On 3.4 there is no FOLL_PIN or
 * FOLL_LONGTERM, so it degrades to get_user_pages with the same charge.
 */
public final class BackedLongtermStrategy extends KernelStrategy {
  public static final String NAME = "backed-longterm";

  @Inject
  BackedLongtermStrategy(Kernel kernel, KernelConfig kernelConfig) {
    super(NAME, Contract.COHERENT, kernel, kernelConfig);
  }



  @Override
  public UserptrBacking importRange(UserptrRequest r) {
    int flags = Foll.FOLL_LONGTERM | (r.readOnly() ? 0 : Foll.FOLL_WRITE);
    // ib_umem_get's order: the limit first, so that a refused import pins nothing; the charge
    // after the pin then cannot fail.
    kernel.checkPinnedVm(r.process(), r.pageCount());
    PageRefs pages = kernel.pinUserPagesAll(r.process(), r.firstPage(), r.pageCount(), flags);
    kernel.accountPinnedVm(r.process(), pages);
    return new HeldPages(pages.pfns(), r.offsetInPage(), r.size(), List.of(pages), List.of(), () -> { });
  }
}
