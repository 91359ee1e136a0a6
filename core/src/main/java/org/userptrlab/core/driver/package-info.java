/**
 * What a DRM driver does around a strategy: the limits it sets, the checks every import passes
 * first (with DRM's errnos), and what it counts that the memory manager does not.
 */
package org.userptrlab.core.driver;
