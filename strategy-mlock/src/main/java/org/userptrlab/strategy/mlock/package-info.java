/**
 * The 2012 Exynos patch as a strategy: VM_LOCKED on the whole VMAs around the range, then
 * get_user_pages, with no RLIMIT_MEMLOCK check and no locked_vm charge.
 */
package org.userptrlab.strategy.mlock;
