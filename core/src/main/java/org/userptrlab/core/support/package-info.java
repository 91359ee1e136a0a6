/**
 * Building blocks strategies share: a base class holding the kernel services, objects backed by
 * held pages or by shmem, and a lease over frames for one GPU job.
 */
package org.userptrlab.core.support;
