package org.userptrlab.strategy.cow;

import org.userptrlab.mm.Kernel;
import org.userptrlab.core.spi.ImportNote;
import com.google.inject.Inject;
import java.util.List;
import org.userptrlab.core.spi.Contract;
import org.userptrlab.core.support.KernelStrategy;
import org.userptrlab.core.support.ShmemObject;
import org.userptrlab.core.spi.UserptrBacking;
import org.userptrlab.core.spi.UserptrRequest;
import org.userptrlab.mm.Foll;
import org.userptrlab.mm.KernelChange;
import org.userptrlab.mm.KernelConfig;
import org.userptrlab.mm.PageRefs;
import org.userptrlab.mm.Process;
import org.userptrlab.mm.VmFlags;
import org.userptrlab.mm.Vma;

/**
 * Steal with the COW trick ("mark the range as COW and steal the page, if userspace try to write
 * something new to the range it will get new page"): take a reference to each page, write-protect
 * the program's PTEs and make the pages shared, so that the program keeps reading its data and
 * its next write to a page copies it away from the object.
 *
 * <p>How the pages are taken decides whether the COW happens. FOLL_WRITE first, so each page is
 * the process's own and not one it shares with a child. A plain reference, not a FOLL_PIN: on a
 * modern kernel an exclusive pinned page cannot be shared (folio_try_share_anon_rmap_pte), and a
 * write to an exclusive page is reused in place by do_wp_page, so the object would see it. With
 * the page shared and referenced, wp_can_reuse_anon_folio sees a second reference and copies. The
 * trick needs do_wp_page to look at references at all, which it does since 5.9 (09854ba94c6a,
 * page_count == 1). Before, as on 3.4, do_wp_page reuses any page mapped once (reuse_swap_page),
 * whoever else holds it, so the program's writes would reach the object and the snapshot would be
 * lost; on such a kernel the strategy copies instead, and says so.
 */
public final class CowStrategy extends KernelStrategy {
  public static final String NAME = "cow";

  @Inject
  CowStrategy(Kernel kernel, KernelConfig kernelConfig) {
    super(NAME, Contract.SNAPSHOT, kernel, kernelConfig);
  }



  @Override
  public UserptrBacking importRange(UserptrRequest r) {
    Process p = r.process();
    if (kernelConfig.cowReuse() == KernelConfig.CowReuse.MAPCOUNT) {
      return ShmemObject.copyOf(kernel, r, "cow-fallback").note(ImportNote.Kind.FELL_BACK_TO_COPY, "fell back to copying: on this kernel do_wp_page "
          + "reuses a write-protected page mapped once (reuse_swap_page), so a held page would not be copied on write; "
          + "it looks at references since 5.9 (" + KernelChange.WP_PAGE_COUNT.citation() + ")");
    }
    for (long a = r.firstPage(); a < r.end(); ) {
      Vma v = p.vma(a);
      if (!v.isAnonymous() || v.has(VmFlags.VM_SHARED) || !v.has(VmFlags.VM_WRITE)) {
        return ShmemObject.copyOf(kernel, r, "cow-fallback")
            .note(ImportNote.Kind.FELL_BACK_TO_COPY, "fell back to copying: " + v + " is not writable anonymous private memory");
      }
      a = v.end();
    }
    long len = (long) r.pageCount() << 12;
    PageRefs pages = kernel.getUserPagesAll(p, r.firstPage(), r.pageCount(), Foll.FOLL_WRITE);
    kernel.writeProtectRange(p, r.firstPage(), len, true);
    return new CowObject(kernel, pages, r.offsetInPage(), r.size(),
        List.of(new ImportNote(ImportNote.Kind.WRITE_PROTECTED, String.format("write-protected %d pages; each one the program writes again costs a COW fault", r.pageCount()))));
  }
}
