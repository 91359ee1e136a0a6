package org.userptrlab.mm;

import java.util.ArrayList;
import java.util.List;

/**
 * mm/rmap.c's anon_vma: the VMAs an anonymous page may be mapped in. A page records the anon_vma
 * it was faulted into (mapping) and its page offset from {@link #base} (index); the rmap walk
 * visits this anon_vma's VMAs, which include those of every process forked since (anon_vma_fork
 * links a child's VMA into each ancestor's anon_vma, as the anon_vma_chain does).
 */
final class AnonVma {
  final int id;
  /** The virtual page number that page index 0 stands for (vm_pgoff of an anonymous VMA is its start vpn). */
  final long base;
  final AnonVma parent;
  final List<Vma> vmas = new ArrayList<>(2);

  AnonVma(int id, long base, AnonVma parent) {
    this.id = id;
    this.base = base;
    this.parent = parent;
  }

  /** anon_vma->root: the anon_vma of the oldest ancestor, whose VMAs include every descendant's. */
  AnonVma root() {
    AnonVma a = this;
    while (a.parent != null) {
      a = a.parent;
    }
    return a;
  }
}
