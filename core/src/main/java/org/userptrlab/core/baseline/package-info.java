/**
 * The copy baseline: no userptr at all, the bytes copied into a new shmem-backed object as GEM
 * CREATE and PWRITE do. Every other strategy is measured against it.
 */
package org.userptrlab.core.baseline;
