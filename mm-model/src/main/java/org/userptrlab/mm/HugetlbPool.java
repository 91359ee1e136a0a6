package org.userptrlab.mm;

/**
 * A hugetlb pool as /sys/kernel/mm/hugepages/hugepages-&lt;size&gt;kB shows it.
 *
 * @param bytes the size of its huge pages
 * @param nrHugepages nr_hugepages: the pool's pages
 * @param freeHugepages free_hugepages: those no one has
 * @param resvHugepages resv_hugepages: those promised to a mapping and not yet faulted in (free ones)
 */
public record HugetlbPool(long bytes, int nrHugepages, int freeHugepages, int resvHugepages) {}
