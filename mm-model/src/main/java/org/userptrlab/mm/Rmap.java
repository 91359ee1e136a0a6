package org.userptrlab.mm;

import java.util.ArrayList;
import java.util.List;

/** The reverse map (mm/rmap.c): from a frame to every PTE that maps it. */
final class Rmap {
  /** Called for each (VMA, virtual page) that maps the frame; return false to stop the walk. */
  @FunctionalInterface
  interface Visitor {
    boolean visit(Vma v, long vpn);
  }

  private final Machine m;
  private final MemMap mem;

  Rmap(Machine m) {
    this.m = m;
    this.mem = m.mem;
  }

  /**
   * rmap_walk: rmap_walk_anon visits the VMAs of the page's anon_vma at the address its index
   * gives (vma_address); rmap_walk_file visits the file's i_mmap. page_vma_mapped_walk then checks
   * that the PTE there really maps this frame.
   */
  void walk(int pfn, Visitor visitor) {
    if (mem.mapcount[pfn] == 0 || mem.mapping[pfn] == 0) {
      return;
    }
    if ((mem.flags[pfn] & PageFlags.PG_ANON) != 0) {
      AnonVma av = m.anonVma(mem.mapping[pfn]);
      if (av == null) {
        return;
      }
      long vpn = av.base + mem.index[pfn];
      for (Vma v : new ArrayList<>(av.vmas)) {
        if (vpn >= v.startVpn() && vpn < v.endVpn() && maps(v, vpn, pfn) && !visitor.visit(v, vpn)) {
          return;
        }
      }
    } else {
      MemFile f = m.files.get(mem.mapping[pfn]);
      if (f == null) {
        return;
      }
      for (Vma v : new ArrayList<>(f.mmaps)) {
        long vpn = v.startVpn() + (mem.index[pfn] - v.pgoff);
        if (vpn >= v.startVpn() && vpn < v.endVpn() && maps(v, vpn, pfn) && !visitor.visit(v, vpn)) {
          return;
        }
      }
    }
  }

  private static boolean maps(Vma v, long vpn, int pfn) {
    long pte = v.mm.pgtable.get(vpn);
    return Pte.present(pte) && !Pte.special(pte) && Pte.pfn(pte) == pfn;
  }

  List<long[]> mappings(int pfn) {
    List<long[]> out = new ArrayList<>();
    walk(pfn, (v, vpn) -> out.add(new long[] {v.mm.id, Page.addr(vpn)}));
    return out;
  }

  boolean mappedInLockedVma(int pfn) {
    boolean[] found = {false};
    walk(pfn, (v, vpn) -> {
      found[0] = v.has(VmFlags.VM_LOCKED);
      return !found[0];
    });
    return found[0];
  }
}
