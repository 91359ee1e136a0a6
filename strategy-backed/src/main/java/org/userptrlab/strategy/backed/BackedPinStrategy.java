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
 * drm_gem_backed_by_userptr as the i915 prototype the thread mentions did it (and was refused):
 * get_user_pages once, hold the references for the object's life while the program keeps the
 * pages mapped. Nothing is accounted; the pages can neither migrate nor leave CMA; fork and COW
 * can silently part the object from the program.
 */
public final class BackedPinStrategy extends KernelStrategy {
  public static final String NAME = "backed-pin";

  @Inject
  BackedPinStrategy(Kernel kernel, KernelConfig kernelConfig) {
    super(NAME, Contract.COHERENT, kernel, kernelConfig);
  }



  @Override
  public UserptrBacking importRange(UserptrRequest r) {
    PageRefs pages = kernel.getUserPagesAll(r.process(), r.firstPage(), r.pageCount(), r.readOnly() ? 0 : Foll.FOLL_WRITE);
    return new HeldPages(pages.pfns(), r.offsetInPage(), r.size(), List.of(pages), List.of(), () -> { });
  }
}
