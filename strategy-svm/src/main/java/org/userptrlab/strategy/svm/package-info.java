/**
 * GPU shared virtual memory as drm_gpusvm (6.15) does it for xe: no import at all; the GPU faults on
 * the process's addresses, ranges of 2 MiB, 64 KiB or 4 KiB are mirrored with hmm_range_fault under
 * interval notifiers, and migrated into the GPU's device-private memory and back. Three variants:
 * {@code svm}, {@code svm-mirror} (never migrates) and {@code svm-kfd} (asks for write whenever the
 * VMA is writable, as amdkfd does).
 */
package org.userptrlab.strategy.svm;
