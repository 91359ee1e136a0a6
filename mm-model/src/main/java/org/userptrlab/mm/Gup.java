package org.userptrlab.mm;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** get_user_pages and pin_user_pages (mm/gup.c), and the registry of every page reference a driver holds. */
final class Gup {
  private final Machine m;
  private final MemMap mem;
  private final Set<PageRefs> live = Collections.newSetFromMap(new IdentityHashMap<>());

  Gup(Machine m) {
    this.m = m;
    this.mem = m.mem;
  }

  /** Adds the references every live holder has on each frame (1 per FOLL_GET, GUP_PIN_COUNTING_BIAS per FOLL_PIN). */
  void addHeldReferences(int[] refs) {
    for (PageRefs r : live) {
      int each = r.pin ? MemMap.GUP_PIN_COUNTING_BIAS : 1;
      for (int pfn : r.pfns) {
        if (pfn != MemMap.ZERO_PFN) {
          refs[pfn] += each;
        }
      }
    }
  }

  int liveHolders() {
    return live.size();
  }

  PageRefs hold(int[] pfns, boolean pin, boolean longterm) {
    PageRefs r = new PageRefs(this, pfns, pin, longterm);
    live.add(r);
    return r;
  }

  void release(PageRefs r, boolean dirty) {
    live.remove(r);
    for (int pfn : r.pfns) {
      if (pfn == MemMap.ZERO_PFN) {
        continue;
      }
      if (dirty) {
        mem.flags[pfn] |= PageFlags.PG_DIRTY;
      }
      if (r.pin) {
        mem.refcount[pfn] -= MemMap.GUP_PIN_COUNTING_BIAS - 1;
        m.vmstat.count(VmEvent.NR_FOLL_PIN_RELEASED);
      }
      m.putPage(pfn);
    }
  }
}
