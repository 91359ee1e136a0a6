/**
 * The comparison harness: {@link org.userptrlab.core.harness.LabOptions} in, a runner that gives
 * each run a fresh machine and injector, and typed {@link org.userptrlab.core.harness.RunResult}s out
 * (verdict, checks, hazards by kind, counters, costs per profile) that a library user can assert on.
 */
package org.userptrlab.core.harness;
