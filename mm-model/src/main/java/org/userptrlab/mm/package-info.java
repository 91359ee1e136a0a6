/**
 * The simulated Linux memory manager: frames in primitive arrays as mem_map, VMAs and page tables,
 * faults, fork and COW, GUP and pins, mlock, migration and CMA, reclaim and swap, TLB shootdowns and
 * MMU notifiers, with the kernel's names and errnos. It depends on nothing else in the project.
 */
package org.userptrlab.mm;
